/**
 * @module
 * A CRD version's schema, compiled once (when the CRD changes, never per request), with what the
 * custom resource strategy does with it: prune, default and validate. This is the structural part
 * of apiextensions-apiserver's handling (customresource_handler.go: schemaCoercingDecoder,
 * unstructuredDefaulter; pkg/registry/customresource/validator.go and strategy.go).
 *
 * Extension point: rules that are not OpenAPI value validations — x-kubernetes-validations (CEL) —
 * plug in as {@link SchemaRuleValidator}s. {@link SCHEMA_RULE_VALIDATOR_FACTORIES} lists the factories
 * every compiled schema asks; a factory sees the compiled tree (each node keeps its raw JSON, with
 * its x-kubernetes-validations) and returns a validator, or undefined when it has nothing to check.
 * Their errors are added after the schema's own, on every create, update and status write.
 */
import type { FieldError } from '../../../api/field-errors.js';
import type { JsonObject } from '../../../api/json.js';
import { applyDefaults, pruneNonNullableNulls } from './defaulting.js';
import { validateEmbeddedResources } from './embedded.js';
import { validateListSetsAndMaps } from './list-type.js';
import { pruneObject } from './prune.js';
import { type Structural, compileStructural } from './structural.js';
import { validateAgainstSchema } from './validation.js';

/** Extra validation of whole custom resources (CEL rules); `old` is set on updates (transition rules). */
export interface SchemaRuleValidator {
  validate(object: JsonObject, old: JsonObject | undefined): readonly FieldError[];
}

/** Builds the rule validator of one compiled schema, or undefined when the schema has no rules. */
export type SchemaRuleValidatorFactory = (schema: Structural) => SchemaRuleValidator | undefined;

/**
 * The factories every compiled schema asks for rule validators. The CEL helper
 * (x-kubernetes-validations) adds its factory here; nothing else needs to change.
 */
export const SCHEMA_RULE_VALIDATOR_FACTORIES: SchemaRuleValidatorFactory[] = [];

export interface CompileOptions {
  /** @defaultValue {@link SCHEMA_RULE_VALIDATOR_FACTORIES} */
  readonly ruleValidatorFactories?: readonly SchemaRuleValidatorFactory[];
}

export class CompiledSchema {
  readonly structural: Structural;
  /** The rule validators (CEL) built for this schema. */
  readonly ruleValidators: readonly SchemaRuleValidator[];

  constructor(openAPIV3Schema: JsonObject, options: CompileOptions = {}) {
    this.structural = compileStructural(openAPIV3Schema);
    const factories = options.ruleValidatorFactories ?? SCHEMA_RULE_VALIDATOR_FACTORIES;
    this.ruleValidators = factories.map((factory) => factory(this.structural)).filter((v): v is SchemaRuleValidator => v !== undefined);
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
   * then the rule validators (given `old` on updates).
   */
  validate(object: JsonObject, old?: JsonObject): FieldError[] {
    const errors = [
      ...validateAgainstSchema(object, this.structural),
      ...validateEmbeddedResources(object, this.structural),
      ...validateListSetsAndMaps(object, this.structural),
    ];
    for (const validator of this.ruleValidators) errors.push(...validator.validate(object, old));
    return errors;
  }
}
