/**
 * @module
 * The params a binding gives its policy (k8s.io/apiserver pkg/admission/plugin/policy/generic
 * CollectParams): none when the policy has no paramKind or the binding no paramRef (the policy runs
 * once, with `params` null); else the object paramRef names, or every object its selector selects,
 * in paramRef.namespace or the request's namespace for a namespaced kind. No params found runs no
 * validation under parameterNotFoundAction Allow and denies under Deny. Params are read from the
 * param resource's watch cache.
 */
import type { JsonObject } from '../../api/json.js';
import type { LabelSelector } from '../../api/labels.js';
import type { ParamKind, ParamRef } from './policy.js';

/** The slice of a watch cache that params are read from. */
export interface ParamStore {
  readonly namespaced: boolean;
  get(namespace: string, name: string): JsonObject | undefined;
  list(namespace: string, selector: LabelSelector): readonly JsonObject[];
}

/** Params to validate with (null: the policy's `params` is null), or a configuration error. */
export type ParamsOutcome = { readonly params: readonly (JsonObject | null)[] } | { readonly error: string };

export function collectParams(paramKind: ParamKind | undefined, store: ParamStore | undefined, paramRef: ParamRef | undefined, namespace: string): ParamsOutcome {
  if (paramKind === undefined || paramRef === undefined) return { params: [null] };
  if (store === undefined) return { error: `paramKind kind \`${paramKindString(paramKind)}\` not known` };
  let paramsNamespace = '';
  if (store.namespaced) {
    paramsNamespace = paramRef.namespace !== '' ? paramRef.namespace : namespace;
    if (paramsNamespace === '') return { error: 'cannot use namespaced paramRef in policy binding that matches cluster-scoped resources' };
  } else if (paramRef.namespace !== '') {
    return { error: 'paramRef.namespace must not be provided for a cluster-scoped `paramKind`' };
  }
  let params: readonly JsonObject[];
  if (paramRef.name !== '') {
    if (paramRef.selector !== undefined) return { error: 'paramRef.name and paramRef.selector are mutually exclusive' };
    const param = store.get(paramsNamespace, paramRef.name);
    params = param === undefined ? [] : [param];
  } else if (paramRef.selector !== undefined) {
    if (!paramRef.selector.ok) return { error: paramRef.selector.error };
    params = store.list(paramsNamespace, paramRef.selector.selector);
  } else {
    return { error: 'one of name or selector must be provided' };
  }
  if (params.length === 0 && paramRef.parameterNotFoundAction === 'Deny') {
    return { error: 'no params found for policy binding with `Deny` parameterNotFoundAction' };
  }
  return { params: params.map((param) => ({ apiVersion: paramKind.apiVersion, kind: paramKind.kind, ...param })) };
}

/** schema.GroupVersionKind's String(): `apps/v1, Kind=Deployment`. */
export function paramKindString(kind: ParamKind): string {
  return `${kind.apiVersion}, Kind=${kind.kind}`;
}
