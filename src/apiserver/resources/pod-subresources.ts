/**
 * @module
 * The pods/binding and pods/eviction subresources. A Binding is how the scheduler assigns a pod to
 * a node: spec.nodeName is set once, with the PodScheduled condition, and a second binding
 * conflicts (pkg/registry/core/pod/storage/storage.go BindingREST, assignPod). An Eviction is a
 * delete that respects PodDisruptionBudgets — `kubectl drain` evicts — answering 429 while the
 * pod's budget allows no disruption (pkg/registry/core/pod/storage/eviction.go EvictionREST). Both
 * answer 201 with a Success Status. An allowed eviction is charged to the budget's status before
 * the pod goes, so concurrent evictions cannot together take more than the budget allows.
 */
import type { ServerRequest } from '../http/exchange.js';
import { type FieldError, fieldErrors, invalidError } from '../../api/field-errors.js';
import { type JsonObject, isJsonObject } from '../../api/json.js';
import { LabelSelectorError, type MetaLabelSelector, selectorFromLabelSelector } from '../../api/labels.js';
import { type GroupResource, StatusError, badRequest, conflict, forbidden, isStatusError, methodNotSupported } from '../../api/status.js';
import type { SubresourceHandler } from '../handlers/resource-handler.js';
import type { ResourceScope } from '../handlers/scope.js';
import { parseWriteQuery } from '../handlers/query.js';
import { bodyFormat, decodeBody, protobufContext, readBody } from '../http/body.js';
import { sendObject } from '../http/respond.js';
import type { DeleteRequest } from '../registry/generic-store.js';
import { formatTime } from '../../api/time.js';
import type { RequestContext } from '../registry/resource-definition.js';
import { conditionOf, ensureObject, metaOf, numberAt, objectAt, objectsAt, present, specOf, statusOf, stringAt, stringMapAt, stringsAt } from './pod-json.js';

const PODS: GroupResource = { group: '', resource: 'pods' };
const BUDGETS: GroupResource = { group: 'policy', resource: 'poddisruptionbudget' };
/** Conflicts that are the binding's own are reported on this resource (assignPod). */
const POD_BINDINGS: GroupResource = { group: '', resource: 'pods/binding' };
/** MaxDisruptedPodSize: evictions approved but not yet seen by the disruption controller. */
const MAX_DISRUPTED_POD_SIZE = 2000;
/** Conflicting deletes retried before giving up (EvictionsRetry has 20 steps). */
const EVICTION_RETRIES = 20;
const DISRUPTION_BUDGET_VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";

/** POST pods/<name>/binding: assigns the pod to `target.name`. */
export const BINDING_HANDLER: SubresourceHandler = async (scope, request, response, target, query) => {
  if (target.verb !== 'create') throw methodNotSupported(POD_BINDINGS, target.verb);
  const write = parseWriteQuery(query);
  const binding = await readObject(scope, request, 'Binding', ['v1']);
  const meta = metaOf(binding);
  checkNames(meta, target, 'Binding');
  const errors = validatePodBinding(binding);
  if (errors.length > 0) throw invalidError({ group: '', kind: 'Binding' }, target.name, errors);
  const node = stringAt(objectAt(binding, 'target') ?? {}, 'name');
  const uid = stringAt(meta, 'uid');
  const resourceVersion = stringAt(meta, 'resourceVersion');
  const annotations = stringMapAt(meta, 'annotations');
  const context: RequestContext = { subresource: 'binding', dryRun: write.dryRun, now: scope.now() };
  // The pod strategy adds the PodScheduled condition for a binding write (prepareForUpdate).
  await scope.store.patch(target.namespace, target.name, context, (pod) => {
    const podMeta = metaOf(pod);
    checkPreconditions(target.name, podMeta, uid, resourceVersion);
    const spec = specOf(pod);
    if (present(podMeta, 'deletionTimestamp')) {
      throw conflict(POD_BINDINGS, target.name, `pod ${target.name} is being deleted, cannot be assigned to a host`);
    }
    const assigned = stringAt(spec, 'nodeName');
    if (assigned !== '') throw conflict(POD_BINDINGS, target.name, `pod ${target.name} is already assigned to node ${JSON.stringify(assigned)}`);
    if (objectsAt(spec, 'schedulingGates').length > 0) {
      throw conflict(POD_BINDINGS, target.name, `pod ${target.name} has non-empty .spec.schedulingGates`);
    }
    // The resourceVersion stays the stored one, checked above: the store then makes the write
    // unconditional and retries it if another write gets in first (GuaranteedUpdate). The pod is this
    // change's own copy, changed in place: deleting a field or adding one to a spread copy would
    // leave V8 objects on its slow paths for the rest of the write.
    ensureObject(pod, 'spec').nodeName = node;
    if (annotations.size > 0) podMeta.annotations = { ...(objectAt(podMeta, 'annotations') ?? {}), ...Object.fromEntries(annotations) };
    pod.metadata = podMeta;
    return pod;
  });
  sendObject(response, 201, successStatus());
};

/** ValidatePodBinding: a target node, and no other kind of target. */
function validatePodBinding(binding: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const target = objectAt(binding, 'target') ?? {};
  const kind = stringAt(target, 'kind');
  if (kind !== '' && kind !== 'Node') errors.push(fieldErrors.notSupported('target.kind', kind, ['Node', '<empty>']));
  if (stringAt(target, 'name') === '') errors.push(fieldErrors.required('target.name', ''));
  return errors;
}

/** storage.Preconditions as InterpretUpdateError reports them: a Conflict on pods. */
function checkPreconditions(name: string, podMeta: JsonObject, uid: string, resourceVersion: string): void {
  const actualUid = stringAt(podMeta, 'uid');
  if (uid !== '' && uid !== actualUid) {
    throw conflict(PODS, name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${actualUid}`);
  }
  const actualVersion = stringAt(podMeta, 'resourceVersion');
  if (resourceVersion !== '' && resourceVersion !== actualVersion) {
    throw conflict(PODS, name, `Precondition failed: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${actualVersion}`);
  }
}

/** POST pods/<name>/eviction: deletes the pod unless that would break its disruption budget. */
export const EVICTION_HANDLER: SubresourceHandler = async (scope, request, response, target, query) => {
  if (target.verb !== 'create') throw methodNotSupported({ group: '', resource: 'pods/eviction' }, target.verb);
  const write = parseWriteQuery(query);
  const eviction = await readObject(scope, request, 'Eviction', ['policy/v1', 'policy/v1beta1']);
  checkNames(metaOf(eviction), target, 'Eviction');
  const options = objectAt(eviction, 'deleteOptions') ?? {};
  const deleteRequest = deleteRequestOf(options);
  const dryRun = write.dryRun || stringsAt(options, 'dryRun').includes('All');
  const context: RequestContext = { subresource: undefined, dryRun, now: scope.now() };
  const versionUnset = deleteRequest.preconditions?.resourceVersion === undefined;

  for (let attempt = 0; ; attempt++) {
    try {
      sendObject(response, 201, await evictOnce(scope, target, deleteRequest, context));
      return;
    } catch (error) {
      // A budget written meanwhile: judge the eviction again (EvictionsRetry).
      if (!(error instanceof BudgetConflict)) throw error;
      if (attempt >= EVICTION_RETRIES) throw error.status;
    }
  }
};

/** A budget changed between being read and being charged for the eviction. */
class BudgetConflict extends Error {
  constructor(readonly status: StatusError) {
    super(status.message);
  }
}

/**
 * One attempt at an eviction: a pod that is not running is deleted outright; otherwise its one
 * budget must allow a disruption, which is charged to the budget's status (checkAndDecrement)
 * before the pod is deleted. Returns the Status to answer with.
 */
async function evictOnce(
  scope: ResourceScope,
  target: { readonly namespace: string; readonly name: string },
  deleteRequest: DeleteRequest,
  context: RequestContext,
): Promise<JsonObject> {
  const versionUnset = deleteRequest.preconditions?.resourceVersion === undefined;
  const running = await deleteUnlessRunning(scope, target, deleteRequest, context);
  if (running === undefined) return successStatus();
  const { pod, podVersion } = running;
  const budgets = await matchingBudgets(scope, pod);
  if (budgets.length > 1) {
    // Upstream returns this Status as the result of the create, so it travels with a 201.
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      code: 500,
    };
  }
  const budget = budgets[0];
  let enforceVersion = false;
  if (budget !== undefined) {
    const ready = conditionOf(statusOf(pod), 'Ready')?.status === 'True';
    const budgetStatus = statusOf(budget);
    const desired = numberAt(budgetStatus, 'desiredHealthy') ?? 0;
    const healthy = numberAt(budgetStatus, 'currentHealthy') ?? 0;
    // An unready pod does not count towards the healthy ones, so evicting it costs the budget nothing.
    if (!ready && stringAt(specOf(budget), 'unhealthyPodEvictionPolicy') === 'AlwaysAllow') enforceVersion = true;
    else if (!ready && healthy >= desired && desired > 0) enforceVersion = true;
    else await chargeBudget(scope, budget, target.name, context);
  }
  try {
    await scope.store.delete(target.namespace, target.name, enforceVersion ? withVersion(deleteRequest, podVersion) : deleteRequest, context);
  } catch (error) {
    // The pod changed (became ready, perhaps) since the budget was judged: let the client retry.
    if (isStatusError(error, 'Conflict') && enforceVersion && versionUnset) throw budgetStillProcessing(stringAt(metaOf(budget ?? {}), 'name'));
    throw error;
  }
  return successStatus();
}

/**
 * A pod that is not running (pending, finished, or already being deleted) disrupts nothing: it is
 * deleted without asking its budgets. Returns the running pod (and its resourceVersion) otherwise.
 */
async function deleteUnlessRunning(
  scope: ResourceScope,
  target: { readonly namespace: string; readonly name: string },
  request: DeleteRequest,
  context: RequestContext,
): Promise<{ readonly pod: JsonObject; readonly podVersion: string } | undefined> {
  const versionUnset = request.preconditions?.resourceVersion === undefined;
  for (let attempt = 0; ; attempt++) {
    const current = await scope.store.getLatest(target.namespace, target.name);
    if (!canIgnoreBudgets(current.object)) return { pod: current.object, podVersion: String(current.revision) };
    // Unless the pod is finished, make sure it has not started running since it was read.
    const enforce = shouldEnforceResourceVersion(current.object) && versionUnset;
    try {
      await scope.store.delete(target.namespace, target.name, enforce ? withVersion(request, String(current.revision)) : request, context);
      return undefined;
    } catch (error) {
      // Conflicts are retried, unless the client's own resourceVersion precondition failed.
      if (!(isStatusError(error, 'Conflict') && versionUnset && attempt < EVICTION_RETRIES)) throw error;
    }
  }
}

/** canIgnorePDB: a pending, finished or deleting pod is not a disruption. */
function canIgnoreBudgets(pod: JsonObject): boolean {
  const phase = stringAt(statusOf(pod), 'phase');
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || present(metaOf(pod), 'deletionTimestamp');
}

function shouldEnforceResourceVersion(pod: JsonObject): boolean {
  const phase = stringAt(statusOf(pod), 'phase');
  return !(phase === 'Succeeded' || phase === 'Failed' || present(metaOf(pod), 'deletionTimestamp'));
}

/**
 * The pod's namespace's PodDisruptionBudgets whose selector matches its labels. A budget with no
 * selector, an empty one or an invalid one matches nothing. No PDB resource served: no budgets.
 */
async function matchingBudgets(scope: ResourceScope, pod: JsonObject): Promise<JsonObject[]> {
  const store = scope.lookup('policy', 'v1', 'poddisruptionbudgets');
  if (store === undefined) return [];
  // A consistent read, as upstream's list through the client is: a budget created just before counts.
  await store.cache.consistentRevision();
  const namespace = stringAt(metaOf(pod), 'namespace');
  const labels = Object.fromEntries(stringMapAt(metaOf(pod), 'labels'));
  const page = store.cache.listPage(store.key(namespace, ''), { namespace }, 0);
  return page.items
    .map((item) => item.object)
    .filter((budget) => {
      const selector = objectAt(specOf(budget), 'selector');
      if (selector === undefined) return false;
      try {
        const parsed = selectorFromLabelSelector(toMetaLabelSelector(selector));
        return !parsed.empty && parsed.matches(labels);
      } catch (error) {
        if (error instanceof LabelSelectorError) return false;
        throw error;
      }
    });
}

function toMetaLabelSelector(selector: JsonObject): MetaLabelSelector {
  return {
    matchLabels: Object.fromEntries(stringMapAt(selector, 'matchLabels')),
    matchExpressions: objectsAt(selector, 'matchExpressions').map((e) => ({
      key: stringAt(e, 'key'),
      operator: stringAt(e, 'operator'),
      values: stringsAt(e, 'values'),
    })),
  };
}

/**
 * checkAndDecrement: refuses the eviction unless the budget allows a disruption, then records it in
 * the budget's status — one disruption fewer allowed, the pod among disruptedPods (so the
 * disruption controller does not count it as healthy before it is gone) — with the budget's
 * resourceVersion as precondition. A dry run checks and records nothing.
 */
async function chargeBudget(scope: ResourceScope, budget: JsonObject, podName: string, context: RequestContext): Promise<void> {
  const meta = metaOf(budget);
  const status = statusOf(budget);
  const name = stringAt(meta, 'name');
  if ((numberAt(status, 'observedGeneration') ?? 0) < (numberAt(meta, 'generation') ?? 0)) throw budgetStillProcessing(name);
  const allowed = numberAt(status, 'disruptionsAllowed') ?? 0;
  if (allowed < 0) throw forbidden(BUDGETS, name, 'pdb disruptions allowed is negative');
  if (Object.keys(objectAt(status, 'disruptedPods') ?? {}).length > MAX_DISRUPTED_POD_SIZE) {
    throw forbidden(BUDGETS, name, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
  }
  if (allowed === 0) {
    const desired = numberAt(status, 'desiredHealthy') ?? 0;
    const current = numberAt(status, 'currentHealthy') ?? 0;
    throw budgetViolation(0, `The disruption budget ${name} needs ${desired} healthy pods and has ${current} currently`);
  }
  const store = scope.lookup('policy', 'v1', 'poddisruptionbudgets');
  if (store === undefined || context.dryRun) return;
  const version = stringAt(meta, 'resourceVersion');
  const now = formatTime(context.now);
  try {
    await store.patch(stringAt(meta, 'namespace'), name, { ...context, subresource: 'status' }, (current) => {
      const next = statusOf(current);
      const left = (numberAt(next, 'disruptionsAllowed') ?? 0) - 1;
      const disruptedPods = { ...(objectAt(next, 'disruptedPods') ?? {}), [podName]: now };
      const conditions = withDisruptionAllowed(objectsAt(next, 'conditions'), left > 0, now);
      // The budget as judged, or a Conflict: the patch is conditional on its resourceVersion.
      return { ...current, metadata: { ...metaOf(current), resourceVersion: version }, status: { ...next, disruptionsAllowed: left, disruptedPods, conditions } };
    });
  } catch (error) {
    if (isStatusError(error, 'Conflict')) throw new BudgetConflict(error);
    throw error;
  }
}

/** updateDisruptionAllowedCondition, through meta.SetStatusCondition's transition rule. */
function withDisruptionAllowed(conditions: readonly JsonObject[], allowed: boolean, now: string): JsonObject[] {
  const status = allowed ? 'True' : 'False';
  const reason = allowed ? 'SufficientPods' : 'InsufficientPods';
  const existing = conditions.find((c) => stringAt(c, 'type') === 'DisruptionAllowed');
  const changed = existing === undefined || stringAt(existing, 'status') !== status;
  const condition: JsonObject = {
    ...(existing ?? {}),
    type: 'DisruptionAllowed',
    status,
    reason,
    message: existing === undefined ? '' : stringAt(existing, 'message'),
    lastTransitionTime: changed ? now : stringAt(existing, 'lastTransitionTime'),
    observedGeneration: existing === undefined ? 0 : (numberAt(existing, 'observedGeneration') ?? 0),
  };
  return existing === undefined ? [...conditions, condition] : conditions.map((c) => (c === existing ? condition : c));
}

/** createTooManyRequestsError: the budget's status lags behind its spec; retry in 10 s. */
function budgetStillProcessing(name: string): StatusError {
  return budgetViolation(10, `The disruption budget ${name} is still being processed by the server.`);
}

/** 429 with upstream's message and a DisruptionBudget cause. */
function budgetViolation(retryAfterSeconds: number, cause: string): StatusError {
  return new StatusError('TooManyRequests', DISRUPTION_BUDGET_VIOLATION, {
    details: { causes: [{ reason: 'DisruptionBudget', message: cause }], ...(retryAfterSeconds > 0 ? { retryAfterSeconds } : {}) },
  });
}

/** The eviction's deleteOptions as the store takes them. */
function deleteRequestOf(options: JsonObject): DeleteRequest {
  const grace = numberAt(options, 'gracePeriodSeconds');
  const policy = stringAt(options, 'propagationPolicy');
  if (policy !== '' && policy !== 'Orphan' && policy !== 'Background' && policy !== 'Foreground') {
    throw badRequest(`propagationPolicy must be one of Orphan, Background, Foreground; got ${JSON.stringify(policy)}`);
  }
  const preconditions = objectAt(options, 'preconditions') ?? {};
  const uid = stringAt(preconditions, 'uid');
  const resourceVersion = stringAt(preconditions, 'resourceVersion');
  return {
    ...(grace === undefined ? {} : { gracePeriodSeconds: Math.max(grace, 0) }),
    ...(policy === '' ? {} : { propagationPolicy: policy }),
    ...(typeof options.orphanDependents === 'boolean' ? { orphanDependents: options.orphanDependents } : {}),
    preconditions: { ...(uid === '' ? {} : { uid }), ...(resourceVersion === '' ? {} : { resourceVersion }) },
  };
}

function withVersion(request: DeleteRequest, resourceVersion: string): DeleteRequest {
  return { ...request, preconditions: { ...(request.preconditions ?? {}), resourceVersion } };
}

/** The body as an object of `kind` (JSON, YAML or protobuf); apiVersion and kind may be left out. */
async function readObject(scope: ResourceScope, request: ServerRequest, kind: string, apiVersions: readonly string[]): Promise<JsonObject> {
  const format = bodyFormat(request.headers['content-type'], ['json', 'yaml', 'protobuf']);
  const context = format === 'protobuf' ? protobufContext(scope.schemas, { apiVersion: apiVersions[0] ?? 'v1', kind }) : undefined;
  const value = decodeBody(await readBody(request), format, context).value;
  if (!isJsonObject(value)) throw badRequest(`the body must be a ${kind}`);
  const bodyKind = stringAt(value, 'kind');
  const apiVersion = stringAt(value, 'apiVersion');
  if ((bodyKind !== '' && bodyKind !== kind) || (apiVersion !== '' && !apiVersions.includes(apiVersion))) {
    throw badRequest(`the body must be a ${kind} (${apiVersions.join(' or ')}), not ${apiVersion === '' ? '' : `${apiVersion} `}${bodyKind}`);
  }
  return value;
}

/** The body names the pod of the URL, in the URL's namespace. */
function checkNames(meta: JsonObject, target: { readonly namespace: string; readonly name: string }, kind: string): void {
  if (stringAt(meta, 'name') !== target.name) throw badRequest(`name in URL does not match name in ${kind} object`);
  const namespace = stringAt(meta, 'namespace');
  if (namespace !== '' && namespace !== target.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}

/** The Status a successful create of a subresource answers (create.go fills in the code). */
function successStatus(): JsonObject {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
}

