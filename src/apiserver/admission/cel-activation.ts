/**
 * @module
 * The CEL variables admission expressions see (k8s.io/apiserver pkg/admission/plugin/cel
 * activation.go and CreateAdmissionRequest in compile.go): `object` and `oldObject` (null when
 * absent), `request` (the AdmissionRequest without uid and objects: kind, resource, subResource,
 * requestKind, requestResource, requestSubResource, name, namespace, operation, userInfo, dryRun,
 * options), `namespaceObject` (the request's Namespace, null for cluster-scoped requests and for
 * webhooks), `params` and `variables` (ValidatingAdmissionPolicy only).
 *
 * `authorizer` is not declared: kubelite has no authorization, so an expression that uses it does
 * not compile ("undeclared reference to 'authorizer'") — refused when the configuration is written
 * rather than answering authorization questions wrongly at admission time. Every variable is `dyn`
 * (upstream types `request` and `namespaceObject`), so a misspelt field of `request` is an
 * evaluation error ("no such key") instead of a compile error.
 */
import { jsonToCel } from '../../api/cel/index.js';
import { type JsonObject, isJsonObject } from '../../api/json.js';
import { ADMIN_USER, type AdmissionAttributes } from './attributes.js';
import { reviewResources } from './review.js';

/** The variables of a webhook's matchConditions. */
export const MATCH_CONDITION_VARIABLES: readonly string[] = ['object', 'oldObject', 'request', 'namespaceObject'];
/** The variables of a ValidatingAdmissionPolicy's expressions. */
export const POLICY_VARIABLES: readonly string[] = ['object', 'oldObject', 'request', 'namespaceObject', 'params', 'variables'];

/** RuntimeCELCostBudgetMatchConditions (k8s.io/apiserver pkg/apis/cel/config.go). */
export const RUNTIME_CEL_COST_BUDGET_MATCH_CONDITIONS = 7_000_000;

/** The AdmissionRequest as CEL sees it (CreateAdmissionRequest). */
export function admissionRequest(attributes: AdmissionAttributes): JsonObject {
  const { kind, resource, requestKind, requestResource } = reviewResources(attributes);
  return {
    kind,
    resource,
    subResource: attributes.subresource,
    requestKind,
    requestResource,
    requestSubResource: attributes.subresource,
    name: attributes.name,
    namespace: attributes.namespace,
    operation: attributes.operation,
    userInfo: ADMIN_USER,
    dryRun: attributes.dryRun,
    options: attributes.options,
  };
}

/** The variables every admission expression shares, converted once per request. */
export interface BaseActivation {
  readonly object: unknown;
  readonly oldObject: unknown;
  readonly request: unknown;
}

const activations = new WeakMap<AdmissionAttributes, BaseActivation>();

/** `object`, `oldObject` and `request` of a request, converted once however many expressions read them. */
export function baseActivation(attributes: AdmissionAttributes): BaseActivation {
  let activation = activations.get(attributes);
  if (activation === undefined) {
    activation = {
      object: attributes.object === undefined ? null : jsonToCel(attributes.object),
      oldObject: attributes.oldObject === undefined ? null : jsonToCel(attributes.oldObject),
      request: jsonToCel(admissionRequest(attributes)),
    };
    activations.set(attributes, activation);
  }
  return activation;
}

/**
 * CreateNamespaceObject: what `namespaceObject` shows of a Namespace — its metadata without managed
 * fields and owner references, its spec and status.
 */
export function namespaceObject(namespace: JsonObject | undefined): unknown {
  if (namespace === undefined) return null;
  const metadata = isJsonObject(namespace.metadata) ? namespace.metadata : {};
  const { managedFields: _managed, ownerReferences: _owners, ...shown } = metadata;
  return jsonToCel({ metadata: shown, ...(namespace.spec === undefined ? {} : { spec: namespace.spec }), ...(namespace.status === undefined ? {} : { status: namespace.status }) });
}
