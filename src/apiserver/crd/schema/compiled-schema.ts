/**
 * @module
 * A CRD version's schema, compiled once (when the CRD changes, never per request), with what the
 * custom resource strategy does with it: prune, default and validate. This is the structural part
 * of apiextensions-apiserver's handling (customresource_handler.go: schemaCoercingDecoder,
 * unstructuredDefaulter; pkg/registry/customresource/validator.go and strategy.go).
 *
 * The x-kubernetes-validations (CEL) rules are compiled with the schema and run after its own
 * checks, unless those found the object malformed for them: a type, required, enum or size error
 * blocks the rules, as upstream's strategy.go hasBlockingErr does.
 */
import { type FieldError, fieldErrors } from '../../../api/field-errors.js';
import type { JsonObject } from '../../../api/json.js';
import { type SchemaRules, compileSchemaRules } from '../../../api/cel/index.js';
import { applyDefaults, pruneNonNullableNulls } from './defaulting.js';
import { validateEmbeddedResources } from './embedded.js';
import { validateListSetsAndMaps } from './list-type.js';
import { pruneObject } from './prune.js';
import { type Structural, compileStructural } from './structural.js';
import { validateAgainstSchema } from './validation.js';

/** Schema errors that leave the object without the shape its CEL rules were written for. */
const BLOCKING: ReadonlySet<FieldError['type']> = new Set(['FieldValueNotSupported', 'FieldValueRequired', 'FieldValueTooLong', 'FieldValueTooMany', 'FieldValueTypeInvalid']);

export class CompiledSchema {
  readonly structural: Structural;
  /** The schema's x-kubernetes-validations rules (their compile errors were refused with the CRD). */
  readonly rules: SchemaRules;

  constructor(openAPIV3Schema: JsonObject) {
    this.structural = compileStructural(openAPIV3Schema);
    this.rules = compileSchemaRules(openAPIV3Schema);
  }

  /** Drops undeclared fields in place; returns their paths (`spec.foo`), sorted. */
  prune(object: JsonObject): string[] {
    const pruned = pruneObject(object, this.structural);
    pruneNonNullableNulls(object, this.structural);
    return pruned;
  }

  /** Applies the schema's defaults in place. */
  applyDefaults(object: JsonObject): void {
    applyDefaults(object, this.structural);
  }

  /**
   * Every field error of `object`: OpenAPI value validation, embedded resources, list sets and maps,
   * then the CEL rules (given `old` on updates, for transition rules) unless an error blocks them.
   * On updates OpenAPI value errors and CEL errors of values unchanged from `old` are ratcheted
   * (validation.ts); embedded-resource and list-type errors are not, as upstream, whose ratcheting
   * validator wraps only the OpenAPI and CEL validators.
   */
  validate(object: JsonObject, old?: JsonObject, warnings: string[] = []): FieldError[] {
    const errors = [
      ...validateAgainstSchema(object, this.structural, undefined, old === undefined ? undefined : { value: old }),
      ...validateEmbeddedResources(object, this.structural),
      ...validateListSetsAndMaps(object, this.structural),
    ];
    if (!this.rules.hasRules) return errors;
    if (errors.some((error) => BLOCKING.has(error.type))) {
      errors.push(fieldErrors.invalid('<nil>', null, 'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation'));
      return errors;
    }
    // Errors the rules ratchet (unchanged values on an update) are warnings, as upstream returns them.
    errors.push(...this.rules.validate(object, old, { warnings }));
    return errors;
  }
}
