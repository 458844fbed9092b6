/**
 * @module
 * Test support for the workload definitions: runs a definition's strategy hooks in the order the
 * generic store runs them (system fields, defaults, status cleared, prepare, validate), without
 * storage, so the tests can look at exactly what a create or an update would store and reject.
 */
import { type FieldError, formatFieldError } from '../../api/field-errors.js';
import { type JsonObject, cloneJson, jsonEqual } from '../../api/json.js';
import { metadataOf, readMetadata, setMeta } from '../registry/object-meta.js';
import type { RequestContext, ResourceDefinition } from '../registry/resource-definition.js';

/** The request time every test uses. */
export const NOW = Date.parse('2026-03-01T12:00:00Z');
export const UID = '6d3b2a1c-0000-4000-8000-000000000001';

export interface Outcome {
  readonly object: JsonObject;
  readonly errors: readonly FieldError[];
}

function context(subresource: string | undefined): RequestContext {
  return { subresource, dryRun: false, now: NOW };
}

/** What a create would store, and its validation errors. */
export function simulateCreate(definition: ResourceDefinition, manifest: JsonObject): Outcome {
  const object = cloneJson(manifest);
  const metadata = metadataOf(object);
  metadata.namespace = 'default';
  metadata.uid = UID;
  metadata.creationTimestamp = '2026-03-01T11:00:00Z';
  if (definition.tracksGeneration) metadata.generation = 1;
  definition.strategy.defaults?.(object);
  if (definition.statusSubresource) delete object.status;
  definition.strategy.prepareForCreate?.(object, context(undefined));
  return { object, errors: definition.strategy.validate?.(object, context(undefined)) ?? [] };
}

/** What an update of `stored` by `change` would store (`/status` with `subresource`), and its errors. */
export function simulateUpdate(
  definition: ResourceDefinition,
  stored: JsonObject,
  change: (object: JsonObject) => void,
  subresource?: string,
): Outcome {
  let object = cloneJson(stored);
  change(object);
  if (definition.statusSubresource) {
    const [target, source] = subresource === 'status' ? [stored, object] : [object, stored];
    const merged = cloneJson(target);
    if (source.status === undefined) delete merged.status;
    else merged.status = cloneJson(source.status);
    object = merged;
  }
  setMeta(object, 'generation', readMetadata(stored).generation);
  definition.strategy.defaults?.(object);
  definition.strategy.prepareForUpdate?.(object, stored, context(subresource));
  const { metadata: _m, status: _s, ...spec } = object;
  const { metadata: _om, status: _os, ...oldSpec } = stored;
  const generation = readMetadata(stored).generation;
  if (definition.tracksGeneration && subresource !== 'status' && !jsonEqual(spec, oldSpec) && typeof generation === 'number') {
    metadataOf(object).generation = generation + 1;
  }
  return { object, errors: definition.strategy.validateUpdate?.(object, stored, context(subresource)) ?? [] };
}

/** The errors as kubectl prints them: `field: Type: value: detail`. */
export function printed(errors: readonly FieldError[]): string[] {
  return errors.map(formatFieldError);
}

/** The printed errors whose field is exactly `field`. */
export function errorsAt(errors: readonly FieldError[], field: string): string[] {
  return printed(errors.filter((error) => error.field === field));
}
