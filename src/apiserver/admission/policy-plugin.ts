/**
 * @module
 * The ValidatingAdmissionPolicy admission plugin (k8s.io/apiserver
 * pkg/admission/plugin/policy/validating/dispatcher.go Dispatch): for each policy with bindings
 * (in name order) whose matchConstraints select the request, each of its bindings whose
 * matchResources select it runs the policy once per param. Denials act per the binding's
 * validationActions: Deny refuses the request with the first denial ("ValidatingAdmissionPolicy
 * '<policy>' with binding '<binding>' denied request: <message>", the denial's reason and its code:
 * Invalid 422 by default, Forbidden 403, Unauthorized 401, RequestEntityTooLarge 413), Warn adds the
 * warning "Validation failed for ValidatingAdmissionPolicy '<policy>' with binding '<binding>':
 * <message>", and Audit does nothing visible (kubelite keeps no audit log). A policy or binding that
 * cannot be applied (a paramKind that is not served, missing params under Deny, a bad selector)
 * refuses the request with "failed to configure policy/binding: …" under failurePolicy Fail and is
 * skipped under Ignore. auditAnnotations are not evaluated; status.typeChecking is not computed.
 *
 * The policy and webhook configuration kinds are exempt, so a broken policy can always be removed.
 * With no binding stored, {@link ValidatingAdmissionPolicyPlugin.active} is false and the request
 * never reaches here.
 */
import { type JsonObject, isJsonObject } from '../../api/json.js';
import type { Labels } from '../../api/labels.js';
import { StatusError, type StatusReason, groupResourceString } from '../../api/status.js';
import type { AdmissionAttributes } from './attributes.js';
import { baseActivation, namespaceObject } from './cel-activation.js';
import { type ParamStore, collectParams, paramKindString } from './policy-params.js';
import { rulesSelect, selectorsMatch } from './policy-matching.js';
import { type EquivalentResourceMapper, noEquivalentResources } from './equivalent.js';
import { type ParamKind, type PolicyBinding, type ValidatingPolicy, bindingOf, policyOf } from './policy.js';
import { validatePolicy } from './policy-validator.js';
import { metadataName, str } from './read-json.js';
import { labelsOf } from '../registry/object-meta.js';
import { isExemptResource } from './rules.js';

/** Where the plugin reads policies, bindings, namespaces and params (the watch caches, in the server). */
export interface PolicySource {
  /** Whether any binding exists: a cheap, synchronous check made on every write. */
  hasAny(): boolean;
  policies(): readonly JsonObject[];
  bindings(): readonly JsonObject[];
  /** A namespace, or undefined when it does not exist. */
  namespace(name: string): Promise<JsonObject | undefined>;
  /** The store of a served param kind; undefined when the kind is not served. */
  paramStore(kind: ParamKind): ParamStore | undefined;
  /**
   * The versions served over the request's storage, for matchPolicy Equivalent.
   * @defaultValue none
   */
  readonly equivalents?: EquivalentResourceMapper;
}

interface Denial {
  readonly policy: string;
  readonly binding: string | undefined;
  readonly message: string;
  readonly reason: string;
}

const REASON_CODES: Readonly<Record<string, number>> = { Forbidden: 403, Unauthorized: 401, RequestEntityTooLarge: 413, Invalid: 422 };

export class ValidatingAdmissionPolicyPlugin {
  private readonly equivalents: EquivalentResourceMapper;

  constructor(private readonly source: PolicySource) {
    this.equivalents = source.equivalents ?? noEquivalentResources;
  }

  active(): boolean {
    return this.source.hasAny();
  }

  /** Throws the first denial; returns the warnings of Warn bindings. */
  async validate(attributes: AdmissionAttributes): Promise<readonly string[]> {
    if (isExemptResource(attributes.group, attributes.resource)) return [];
    const byPolicy = new Map<string, PolicyBinding[]>();
    for (const object of this.source.bindings()) {
      const binding = bindingOf(object);
      const list = byPolicy.get(binding.policyName);
      if (list === undefined) byPolicy.set(binding.policyName, [binding]);
      else list.push(binding);
    }
    const warnings: string[] = [];
    const denials: Denial[] = [];
    let namespace: Promise<JsonObject | undefined> | undefined;
    const namespaceOf = (): Promise<JsonObject | undefined> => (namespace ??= this.source.namespace(attributes.namespace));
    const namespaceLabels = async (): Promise<Labels | undefined> => {
      const found = await namespaceOf();
      return found === undefined ? undefined : labelsOf(found);
    };
    const configError = (policy: ValidatingPolicy, binding: PolicyBinding | undefined, error: string): void => {
      if (policy.failurePolicy === 'Ignore') return;
      denials.push({ policy: policy.name, binding: binding?.name, message: `failed to configure ${binding === undefined ? 'policy' : 'binding'}: ${error}`, reason: 'Invalid' });
    };
    for (const object of this.source.policies()) {
      const policy = policyOf(object);
      const bindings = byPolicy.get(policy.name);
      if (bindings === undefined || policy.matchConstraints === undefined) continue;
      // Rules first, synchronously: a policy that does not cover the request costs no await.
      // Under matchPolicy Equivalent the policy may see the request in another version of the resource.
      const seen = rulesSelect(policy.matchConstraints, attributes, this.equivalents);
      if (seen === undefined) continue;
      const matched = await selectorsMatch(policy.matchConstraints, attributes, namespaceLabels);
      if (matched === false) continue;
      if (matched !== true) {
        configError(policy, undefined, matched.error);
        continue;
      }
      const store = policy.paramKind === undefined ? undefined : this.source.paramStore(policy.paramKind);
      if (policy.paramKind !== undefined && store === undefined) {
        configError(policy, undefined, `failed to find resource referenced by paramKind: '${paramKindString(policy.paramKind)}'`);
        continue;
      }
      for (const binding of bindings.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        if (binding.matchResources !== undefined) {
          if (rulesSelect(binding.matchResources, attributes, this.equivalents) === undefined) continue;
          const narrowed = await selectorsMatch(binding.matchResources, attributes, namespaceLabels);
          if (narrowed === false) continue;
          if (narrowed !== true) {
            configError(policy, binding, narrowed.error);
            continue;
          }
        }
        const params = collectParams(policy.paramKind, store, binding.paramRef, attributes.namespace);
        if ('error' in params) {
          configError(policy, binding, params.error);
          continue;
        }
        const isNamespace = attributes.group === '' && attributes.resource === 'namespaces';
        const namespaceName = isNamespace ? '' : attributes.namespace;
        let nsObject: unknown = null;
        if (namespaceName !== '') {
          const found = await namespaceOf();
          if (found === undefined) throw new StatusError('NotFound', `namespaces ${JSON.stringify(namespaceName)} not found`, { details: { name: namespaceName, kind: 'namespaces' } });
          nsObject = namespaceObject(found);
        }
        const base = baseActivation(seen);
        for (const param of params.params) {
          for (const decision of validatePolicy(policy, { base, params: param, namespaceObject: nsObject })) {
            if (decision.action !== 'deny') continue;
            for (const action of binding.validationActions) {
              if (action === 'Deny') denials.push({ policy: policy.name, binding: binding.name, message: decision.message, reason: decision.reason });
              else if (action === 'Warn') warnings.push(`Validation failed for ValidatingAdmissionPolicy '${policy.name}' with binding '${binding.name}': ${decision.message}`);
              // Audit: recorded in the audit log upstream; kubelite has none.
            }
          }
        }
      }
    }
    const denial = denials[0];
    if (denial !== undefined) throw policyDenial(attributes, denial);
    return warnings;
  }
}

/**
 * admission.NewForbidden with the denial's reason and code: `<resource> "<name>" is forbidden:
 * <message>`, the message also as the one cause.
 */
function policyDenial(attributes: AdmissionAttributes, denial: Denial): StatusError {
  const message =
    denial.binding === undefined
      ? `ValidatingAdmissionPolicy '${denial.policy}' denied request: ${denial.message}`
      : `ValidatingAdmissionPolicy '${denial.policy}' with binding '${denial.binding}' denied request: ${denial.message}`;
  const name = resourceName(attributes);
  const reason = denial.reason === '' ? 'Invalid' : denial.reason;
  const known = Object.hasOwn(REASON_CODES, reason);
  return new StatusError((known ? reason : 'Invalid') as StatusReason, `${groupResourceString(attributes)} ${JSON.stringify(name)} is forbidden: ${message}`, {
    code: REASON_CODES[reason] ?? 422,
    details: { name, ...(attributes.group === '' ? {} : { group: attributes.group }), kind: attributes.resource, causes: [{ message }] },
  });
}

/** extractResourceName: the object's name, or its generateName, else the request's name. */
function resourceName(attributes: AdmissionAttributes): string {
  const object = attributes.object;
  const name = object === undefined ? '' : metadataName(object);
  if (name !== '') return name;
  const generateName = object !== undefined && isJsonObject(object.metadata) ? (str(object.metadata.generateName) ?? '') : '';
  if (generateName !== '') return generateName;
  return attributes.name === '' ? 'Unknown' : attributes.name;
}
