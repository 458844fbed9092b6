/**
 * @module
 * The generic store's side of admission: the attributes of a create, update or delete, and the
 * calls to mutating and validating admission at upstream's points (k8s.io/apiserver
 * pkg/endpoints/handlers/{create,update,patch,delete}.go and pkg/registry/generic/registry/store.go):
 * mutating admission sees the decoded, defaulted object (for an update or patch, the result of
 * applying it to the stored object) before the strategy prepares and validates it; validating
 * admission sees the object the strategy validated, just before it is stored.
 *
 * A `scale` subresource write is seen by webhooks as upstream shows it: an autoscaling/v1 Scale
 * (old and new); a webhook's patch to its spec.replicas is carried back to the object. Other
 * subresources (status, binding, finalize) are sent as the kind's own object.
 */
import { type JsonObject, cloneJson, isJsonObject } from '../../api/json.js';
import type { DeleteRequest } from '../registry/generic-store.js';
import type { RequestContext, ResourceDefinition } from '../registry/resource-definition.js';
import { toScale } from '../handlers/scale.js';
import { type AdmissionAttributes, type AdmissionOperation, writeOptions } from './attributes.js';
import type { AdmissionChain } from './dispatcher.js';
import { metadataName } from './read-json.js';

function attributes(
  definition: ResourceDefinition,
  operation: AdmissionOperation,
  namespace: string,
  name: string,
  object: JsonObject | undefined,
  oldObject: JsonObject | undefined,
  context: RequestContext,
  options: JsonObject = writeOptions(operation, context.dryRun),
): AdmissionAttributes {
  const isNamespace = definition.group === '' && definition.resource === 'namespaces';
  return {
    operation,
    group: definition.group,
    version: definition.version,
    kind: definition.kind,
    resource: definition.resource,
    subresource: context.subresource ?? '',
    namespace: isNamespace ? name : definition.namespaced ? namespace : '',
    name,
    object,
    oldObject,
    dryRun: context.dryRun,
    options,
  };
}

/** Mutating admission of a create: the object after the webhooks (namespace set, defaults applied). */
export async function admitCreate(
  chain: AdmissionChain,
  definition: ResourceDefinition,
  namespace: string,
  object: JsonObject,
  context: RequestContext,
  warnings: string[],
): Promise<JsonObject> {
  if (definition.namespaced && isJsonObject(object.metadata)) object.metadata.namespace = namespace;
  definition.strategy.defaults?.(object);
  const outcome = await chain.admit(attributes(definition, 'CREATE', namespace, metadataName(object), object, undefined, context));
  warnings.push(...outcome.warnings);
  return outcome.object ?? object;
}

export async function validateCreate(
  chain: AdmissionChain,
  definition: ResourceDefinition,
  namespace: string,
  object: JsonObject,
  context: RequestContext,
  warnings: string[],
): Promise<void> {
  warnings.push(...(await chain.validate(attributes(definition, 'CREATE', namespace, metadataName(object), object, undefined, context))));
}

/** Mutating admission of an update (PUT, or PATCH after the patch is applied). */
export async function admitUpdate(
  chain: AdmissionChain,
  definition: ResourceDefinition,
  target: { readonly namespace: string; readonly name: string },
  updated: JsonObject,
  old: JsonObject,
  context: RequestContext,
  warnings: string[],
): Promise<JsonObject> {
  const scale = context.subresource === 'scale' ? definition.scale : undefined;
  if (scale !== undefined) {
    const before = toScale(updated, scale);
    const outcome = await chain.admit(scaleAttributes(definition, target, before, toScale(old, scale), context));
    warnings.push(...outcome.warnings);
    const replicas = outcome.object !== undefined && isJsonObject(outcome.object.spec) ? outcome.object.spec.replicas : undefined;
    if (typeof replicas === 'number') setPath(updated, scale.specReplicasPath, replicas);
    return updated;
  }
  definition.strategy.defaults?.(updated, context);
  const outcome = await chain.admit(attributes(definition, 'UPDATE', target.namespace, target.name, updated, old, context));
  warnings.push(...outcome.warnings);
  return outcome.object ?? updated;
}

export async function validateUpdate(
  chain: AdmissionChain,
  definition: ResourceDefinition,
  target: { readonly namespace: string; readonly name: string },
  object: JsonObject,
  old: JsonObject,
  context: RequestContext,
  warnings: string[],
): Promise<void> {
  const scale = context.subresource === 'scale' ? definition.scale : undefined;
  const attrs =
    scale !== undefined
      ? scaleAttributes(definition, target, toScale(object, scale), toScale(old, scale), context)
      : attributes(definition, 'UPDATE', target.namespace, target.name, object, old, context);
  warnings.push(...(await chain.validate(attrs)));
}

/**
 * Admission of a delete: mutating webhooks are told of it (their patches have no object to apply
 * to), then validating ones judge it; both see the stored object as oldObject. Their warnings go
 * to `warnings`, for the DELETE response's Warning headers.
 */
export async function admitDelete(
  chain: AdmissionChain,
  definition: ResourceDefinition,
  current: { readonly namespace: string; readonly name: string; readonly object: JsonObject },
  request: DeleteRequest,
  context: RequestContext,
  warnings: string[],
): Promise<void> {
  const options = writeOptions('DELETE', context.dryRun, deleteOptions(request));
  const attrs = attributes(definition, 'DELETE', current.namespace, current.name, undefined, current.object, context, options);
  warnings.push(...(await chain.admit(attrs)).warnings);
  warnings.push(...(await chain.validate(attrs)));
}

function deleteOptions(request: DeleteRequest): JsonObject {
  return cloneJson({
    ...(request.gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds: request.gracePeriodSeconds }),
    ...(request.propagationPolicy === undefined ? {} : { propagationPolicy: request.propagationPolicy }),
    ...(request.orphanDependents === undefined ? {} : { orphanDependents: request.orphanDependents }),
    ...(request.preconditions === undefined || Object.keys(request.preconditions).length === 0 ? {} : { preconditions: { ...request.preconditions } }),
  });
}

function scaleAttributes(
  definition: ResourceDefinition,
  target: { readonly namespace: string; readonly name: string },
  object: JsonObject,
  old: JsonObject,
  context: RequestContext,
): AdmissionAttributes {
  return { ...attributes(definition, 'UPDATE', target.namespace, target.name, object, old, context), kind: 'Scale', kindGroupVersion: { group: 'autoscaling', version: 'v1' } };
}

function setPath(object: JsonObject, path: string, value: number): void {
  const parts = path.replace(/^\./, '').split('.').filter((step) => step !== '');
  let current = object;
  for (const step of parts.slice(0, -1)) {
    const next = current[step];
    if (!isJsonObject(next)) {
      const created: JsonObject = {};
      current[step] = created;
      current = created;
    } else current = next;
  }
  const last = parts[parts.length - 1];
  if (last !== undefined) current[last] = value;
}
