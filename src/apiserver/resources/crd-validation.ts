/**
 * @module
 * Validation of CustomResourceDefinitions, worded and pathed as apiextensions-apiserver does
 * (pkg/apis/apiextensions/validation/validation.go): the name is `<names.plural>.<group>`, the
 * group a domain with a dot, the scope Cluster or Namespaced, the names DNS-1035 labels (kinds in
 * mixed case), exactly one storage version among uniquely named versions, a schema for every
 * version, scale paths under .spec and .status, a known conversion strategy, the API-approval
 * annotation for *.k8s.io groups, and stored versions that are still in spec.versions. On update
 * the group and plural never change, and once established neither do the scope and kind.
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, type JsonValue, isJsonObject, jsonEqual } from '../../api/json.js';
import { FIELD_IMMUTABLE_ERROR_MSG } from '../../api/validation/object-meta.js';
import { isDNS1035Label, isDNS1123Subdomain } from '../../api/validation/names.js';
import { metaString, readMetadata } from '../registry/object-meta.js';
import { type CrdNames, isConditionTrue, objectAt, readNames, specOf, statusOf, stringAt, stringsAt } from './crd-model.js';
import { API_APPROVED_ANNOTATION, apiApprovalState, isProtectedGroup } from './crd-api-approval.js';
import { validateVersionSchema } from './crd-schema-validation.js';
import { STATIC_ESTIMATED_CRD_COST_LIMIT, compileSchemaRules, costErrorMessage } from '../../api/cel/index.js';
import { validatePrinterColumns } from '../crd/printer-columns.js';
import { validateSelectableFields } from '../crd/selectable-fields.js';

/** ValidateCustomResourceDefinition. */
export function validateCrd(crd: JsonObject): FieldError[] {
  return [...validateName(crd), ...validateSpec(crd), ...validateStatus(crd), ...validateApproval(crd, undefined)];
}

/** ValidateCustomResourceDefinitionUpdate. */
export function validateCrdUpdate(crd: JsonObject, old: JsonObject): FieldError[] {
  const spec = specOf(crd);
  const before = specOf(old);
  const errors = [...validateName(crd), ...validateSpec(crd), ...validateStatus(crd), ...validateApproval(crd, old)];
  if (isConditionTrue(old, 'Established')) {
    errors.push(...immutable(spec.scope, before.scope, 'spec.scope'));
    errors.push(...immutable(objectAt(spec, 'names').kind, objectAt(before, 'names').kind, 'spec.names.kind'));
  }
  errors.push(...immutable(spec.group, before.group, 'spec.group'));
  errors.push(...immutable(objectAt(spec, 'names').plural, objectAt(before, 'names').plural, 'spec.names.plural'));
  return errors;
}

/** ValidateUpdateCustomResourceDefinitionStatus (metadata is checked by the store). */
export function validateCrdStatus(crd: JsonObject): FieldError[] {
  return validateNames(readNames(statusOf(crd).acceptedNames), 'status.acceptedNames');
}

function immutable(now: JsonValue | undefined, before: JsonValue | undefined, path: string): FieldError[] {
  return jsonEqual(now, before) ? [] : [fieldErrors.invalid(path, now ?? '', FIELD_IMMUTABLE_ERROR_MSG)];
}

function validateName(crd: JsonObject): FieldError[] {
  const spec = specOf(crd);
  const name = metaString(crd, 'name');
  const required = `${stringAt(objectAt(spec, 'names'), 'plural')}.${stringAt(spec, 'group')}`;
  return name === '' || name === required ? [] : [fieldErrors.invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group')];
}

function validateSpec(crd: JsonObject): FieldError[] {
  const spec = specOf(crd);
  const errors: FieldError[] = [];
  const group = stringAt(spec, 'group');
  if (group === '') errors.push(fieldErrors.required('spec.group', ''));
  else if (isDNS1123Subdomain(group).length > 0) errors.push(fieldErrors.invalid('spec.group', group, isDNS1123Subdomain(group).join(',')));
  else if (group.split('.').length < 2) errors.push(fieldErrors.invalid('spec.group', group, 'should be a domain with at least one dot'));
  errors.push(...validateEnum('spec.scope', stringAt(spec, 'scope'), ['Cluster', 'Namespaced']));
  errors.push(...validateVersions(spec));
  const names = readNames(spec.names);
  for (const field of ['plural', 'singular', 'kind', 'listKind'] as const) {
    if (names[field] === '') errors.push(fieldErrors.required(`spec.names.${field}`, ''));
  }
  errors.push(...validateNames(names, 'spec.names'));
  errors.push(...validateConversion(spec.conversion));
  if (spec.preserveUnknownFields === true) {
    errors.push(
      fieldErrors.invalid('spec.preserveUnknownFields', true, 'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead'),
    );
  }
  return errors;
}

function validateVersions(spec: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  const seen = new Set<string>();
  let unique = true;
  let storage = 0;
  versions.forEach((entry, i) => {
    const version = isJsonObject(entry) ? entry : {};
    const path = `spec.versions[${i}]`;
    const name = stringAt(version, 'name');
    if (version.storage === true) storage++;
    if (seen.has(name)) unique = false;
    seen.add(name);
    const problems = isDNS1035Label(name);
    if (problems.length > 0) errors.push(fieldErrors.invalid(`${path}.name`, name, problems.join(',')));
    if (version.deprecationWarning !== undefined && version.deprecated !== true) {
      errors.push(fieldErrors.invalid(`${path}.deprecationWarning`, version.deprecationWarning, 'can only be set for deprecated versions'));
    }
    const subresources = objectAt(version, 'subresources');
    const schema = objectAt(version, 'schema').openAPIV3Schema;
    if (!isJsonObject(schema)) errors.push(fieldErrors.required(`${path}.schema.openAPIV3Schema`, 'schemas are required'));
    else {
      errors.push(...validateVersionSchema(schema, `${path}.schema.openAPIV3Schema`, isJsonObject(subresources.status)));
      errors.push(...validateCelRules(schema, `${path}.schema.openAPIV3Schema`));
    }
    errors.push(...validateScale(subresources.scale, `${path}.subresources`));
    errors.push(...validatePrinterColumns(version.additionalPrinterColumns, `${path}.additionalPrinterColumns`));
    errors.push(...validateSelectableFields(version.selectableFields, isJsonObject(schema) ? schema : undefined, `${path}.selectableFields`));
  });
  if (!unique) errors.push(fieldErrors.invalid('spec.versions', versions, 'must contain unique version names'));
  if (storage !== 1) errors.push(fieldErrors.invalid('spec.versions', versions, 'must have exactly one version marked as storage version'));
  return errors;
}

/**
 * The x-kubernetes-validations of a schema compile, with estimated costs within the limits
 * (validation.go validateCustomResourceDefinitionOpenAPISchema; the CRD-wide limit is reported at the
 * schema as upstream's celContext.TotalCost is).
 */
function validateCelRules(schema: JsonObject, path: string): FieldError[] {
  const rules = compileSchemaRules(schema, { path });
  const errors = [...rules.errors];
  if (rules.estimatedCost > STATIC_ESTIMATED_CRD_COST_LIMIT) {
    errors.push(fieldErrors.forbidden(path, costErrorMessage('x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema', rules.estimatedCost, STATIC_ESTIMATED_CRD_COST_LIMIT)));
  }
  return errors;
}

/** ValidateCustomResourceDefinitionSubresources: the scale paths. */
function validateScale(scale: JsonValue | undefined, path: string): FieldError[] {
  if (!isJsonObject(scale)) return [];
  const errors: FieldError[] = [];
  const check = (field: string, prefixes: readonly string[], detail: string, required: boolean): void => {
    const value = stringAt(scale, field);
    const at = `${path}.scale.${field}`;
    if (value === '') {
      if (required) errors.push(fieldErrors.required(at, ''));
      return;
    }
    const simple = simpleJsonPathErrors(value, at);
    if (simple.length > 0) errors.push(...simple);
    else if (!prefixes.some((prefix) => value.startsWith(prefix))) errors.push(fieldErrors.invalid(at, value, detail));
  };
  check('specReplicasPath', ['.spec.'], 'should be a json path under .spec', true);
  check('statusReplicasPath', ['.status.'], 'should be a json path under .status', true);
  check('labelSelectorPath', ['.spec.', '.status.'], 'should be a json path under either .spec or .status', false);
  return errors;
}

/** validateSimpleJSONPath. */
function simpleJsonPathErrors(value: string, path: string): FieldError[] {
  if (!value.startsWith('.')) return [fieldErrors.invalid(path, value, 'must be a simple json path starting with .')];
  return [];
}

/** ValidateCustomResourceDefinitionNames. */
function validateNames(names: CrdNames, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const label = (field: 'plural' | 'singular'): void => {
    const value = names[field];
    const problems = isDNS1035Label(value);
    if (value !== '' && problems.length > 0) errors.push(fieldErrors.invalid(`${path}.${field}`, value, problems.join(',')));
  };
  const mixedCase = (field: 'kind' | 'listKind'): void => {
    const value = names[field];
    const problems = isDNS1035Label(value.toLowerCase());
    if (value !== '' && problems.length > 0) {
      errors.push(fieldErrors.invalid(`${path}.${field}`, value, `may have mixed case, but should otherwise match: ${problems.join(',')}`));
    }
  };
  label('plural');
  label('singular');
  mixedCase('kind');
  mixedCase('listKind');
  names.shortNames.forEach((shortName, i) => {
    const problems = isDNS1035Label(shortName);
    if (problems.length > 0) errors.push(fieldErrors.invalid(`${path}.shortNames[${i}]`, shortName, problems.join(',')));
  });
  if (names.kind !== '' && names.kind === names.listKind) {
    errors.push(fieldErrors.invalid(`${path}.listKind`, names.listKind, 'kind and listKind may not be the same'));
  }
  names.categories.forEach((category, i) => {
    const problems = isDNS1035Label(category);
    if (problems.length > 0) errors.push(fieldErrors.invalid(`${path}.categories[${i}]`, category, problems.join(',')));
  });
  return errors;
}

function validateConversion(conversion: JsonValue | undefined): FieldError[] {
  if (!isJsonObject(conversion)) return [];
  const strategy = stringAt(conversion, 'strategy');
  const errors = validateEnum('spec.conversion.strategy', strategy, ['None', 'Webhook']);
  const webhook = objectAt(conversion, 'webhook');
  if (strategy === 'Webhook') {
    if (!isJsonObject(webhook.clientConfig)) {
      errors.push(fieldErrors.required('spec.conversion.webhookClientConfig', 'required when strategy is set to Webhook'));
    }
    if (stringsAt(webhook, 'conversionReviewVersions').length === 0) errors.push(fieldErrors.required('spec.conversion.conversionReviewVersions', ''));
  } else if (isJsonObject(conversion.webhook)) {
    errors.push(fieldErrors.forbidden('spec.conversion.webhookClientConfig', 'should not be set when strategy is not set to Webhook'));
  }
  return errors;
}

/** ValidateCustomResourceDefinitionStatus and ValidateCustomResourceDefinitionStoredVersions. */
function validateStatus(crd: JsonObject): FieldError[] {
  const status = statusOf(crd);
  const errors = validateNames(readNames(status.acceptedNames), 'status.acceptedNames');
  const stored = stringsAt(status, 'storedVersions');
  if (stored.length === 0) return [...errors, fieldErrors.invalid('status.storedVersions', stored, 'must have at least one stored version')];
  const remaining = new Map(stored.map((version, i) => [version, i]));
  const versions = specOf(crd).versions;
  for (const entry of Array.isArray(versions) ? versions : []) {
    const version = isJsonObject(entry) ? entry : {};
    const name = stringAt(version, 'name');
    if (version.storage === true && !remaining.has(name)) {
      errors.push(fieldErrors.invalid('status.storedVersions', stored, `must have the storage version ${name}`));
    }
    remaining.delete(name);
  }
  for (const [version, i] of remaining) {
    errors.push(
      fieldErrors.invalid(
        `status.storedVersions[${i}]`,
        version,
        `missing from spec.versions; ${version} was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in ${version} and removes ${version} from status.storedVersions`,
      ),
    );
  }
  return errors;
}

/** validateAPIApproval: a *.k8s.io or *.kubernetes.io group needs the approval annotation. */
function validateApproval(crd: JsonObject, old: JsonObject | undefined): FieldError[] {
  if (!isProtectedGroup(stringAt(specOf(crd), 'group'))) return [];
  const now = apiApprovalState(crd);
  // An update that keeps the approval state is never refused for it (a controller updating spec).
  if (old !== undefined && apiApprovalState(old).state === now.state) return [];
  const path = `metadata.annotations[${API_APPROVED_ANNOTATION}]`;
  const annotations = readMetadata(crd).annotations;
  const value = isJsonObject(annotations) ? annotations[API_APPROVED_ANNOTATION] : undefined;
  switch (now.state) {
    case 'Missing':
      return [fieldErrors.required(path, now.reason)];
    case 'Invalid':
      return [fieldErrors.invalid(path, value ?? '', now.reason)];
    case 'Approved':
    case 'Bypassed':
      return [];
    default: {
      const never: never = now.state;
      throw new Error(`unknown approval state ${String(never)}`);
    }
  }
}

function validateEnum(path: string, value: string, accepted: readonly string[]): FieldError[] {
  if (value === '') return [fieldErrors.required(path, '')];
  return accepted.includes(value) ? [] : [fieldErrors.notSupported(path, value, accepted)];
}
