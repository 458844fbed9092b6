/**
 * @module
 * Validation of `metadata` on create and update, the part every kind shares: names and namespaces,
 * labels, annotations, owner references, finalizers, managed fields, and which fields an update
 * may not change. Returns field errors as values; the caller turns a non-empty list into a 422.
 *
 * Follows apimachinery pkg/api/validation/objectmeta.go (ValidateObjectMetaAccessor,
 * ValidateObjectMetaAccessorUpdate) and pkg/apis/meta/v1/validation (ValidateLabels,
 * ValidateManagedFields), plus the finalizer name rule k8s.io/kubernetes adds for built-in kinds
 * (pkg/apis/core/validation ValidateObjectMeta: `validateKubeFinalizerName`). Errors come in
 * upstream's order, with its types, field paths and messages.
 *
 * The metadata is read as Go reads an ObjectMeta: a missing field is its zero value. Values of the
 * wrong JSON type are the decoder's to reject (upstream fails decoding before validation runs), so
 * here they count as missing.
 */
import { fieldErrors, type FieldError } from '../field-errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';
import { isQualifiedName, isValidLabelValue, utf8Length, validateNamespaceName, type NameValidator } from './names.js';

/** FieldImmutableErrorMsg. */
export const FIELD_IMMUTABLE_ERROR_MSG = 'field is immutable';
/** IsNegativeErrorMsg. */
export const IS_NEGATIVE_ERROR_MSG = 'must be greater than or equal to 0';
/** TotalAnnotationSizeLimitB: keys and values together, in bytes. */
export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * 1024;
/** FieldManagerMaxLength. */
const FIELD_MANAGER_MAX_LENGTH = 128;
/** MaxSubresourceNameLength. */
const MAX_SUBRESOURCE_NAME_LENGTH = 256;

/** metav1.FinalizerOrphanDependents, FinalizerDeleteDependents and core's FinalizerKubernetes. */
export const FINALIZER_ORPHAN_DEPENDENTS = 'orphan';
export const FINALIZER_DELETE_DEPENDENTS = 'foregroundDeletion';
export const FINALIZER_KUBERNETES = 'kubernetes';
const STANDARD_FINALIZERS: ReadonlySet<string> = new Set([FINALIZER_KUBERNETES, FINALIZER_ORPHAN_DEPENDENTS, FINALIZER_DELETE_DEPENDENTS]);

export interface ObjectMetaValidationOptions {
  /** Namespaced kinds require a namespace (a DNS-1123 label); cluster-scoped kinds forbid one. */
  readonly namespaced: boolean;
  /** The kind's name rule, applied to `name` and (with `prefix` true) to `generateName`. */
  readonly nameValidator: NameValidator;
  /** The metadata's field path; `spec.template.metadata` for a template. Default `metadata`. */
  readonly path?: string;
  /**
   * Reject a finalizer with no '/' that is not a standard one ("kubernetes", "orphan",
   * "foregroundDeletion"), as k8s.io/kubernetes does for built-in kinds; custom resources only get a
   * warning upstream, so pass false for them. Default true.
   */
  readonly kubeFinalizerNames?: boolean;
}

export interface ObjectMetaUpdateOptions {
  /**
   * Require `resourceVersion` on the new object ("must be specified for an update"). Upstream always
   * checks; kinds that allow unconditional updates fill it in before validating. Default false.
   */
  readonly requireResourceVersion?: boolean;
  /** As for create. Default `metadata`. */
  readonly path?: string;
  /** As for create: the finalizer name rule for built-in kinds. Default true. */
  readonly kubeFinalizerNames?: boolean;
}

/**
 * ValidateObjectMeta for a create. Name generation must already have happened (as upstream's
 * BeforeCreate does): an empty `name` is an error even when `generateName` is set.
 */
export function validateObjectMeta(meta: JsonObject, options: ObjectMetaValidationOptions): FieldError[] {
  const path = options.path ?? 'metadata';
  const errors: FieldError[] = [];
  const name = stringField(meta, 'name');
  const generateName = stringField(meta, 'generateName');
  const namespace = stringField(meta, 'namespace');

  if (generateName !== '') {
    for (const msg of options.nameValidator(generateName, true)) errors.push(fieldErrors.invalid(`${path}.generateName`, generateName, msg));
  }
  if (name === '') errors.push(fieldErrors.required(`${path}.name`, 'name or generateName is required'));
  else for (const msg of options.nameValidator(name, false)) errors.push(fieldErrors.invalid(`${path}.name`, name, msg));

  if (options.namespaced) {
    if (namespace === '') errors.push(fieldErrors.required(`${path}.namespace`));
    else for (const msg of validateNamespaceName(namespace, false)) errors.push(fieldErrors.invalid(`${path}.namespace`, namespace, msg));
  } else if (namespace !== '') {
    errors.push(fieldErrors.forbidden(`${path}.namespace`, 'not allowed on this type'));
  }

  errors.push(...validateNonnegative(numberField(meta, 'generation'), `${path}.generation`));
  errors.push(...validateLabels(stringMap(meta, 'labels'), `${path}.labels`));
  errors.push(...validateAnnotations(stringMap(meta, 'annotations'), `${path}.annotations`));
  errors.push(...validateOwnerReferences(objectList(meta, 'ownerReferences'), `${path}.ownerReferences`));
  errors.push(...validateFinalizers(stringList(meta, 'finalizers'), `${path}.finalizers`));
  errors.push(...validateManagedFields(objectList(meta, 'managedFields'), `${path}.managedFields`));
  if (options.kubeFinalizerNames ?? true) errors.push(...validateKubeFinalizerNames(stringList(meta, 'finalizers'), `${path}.finalizers`));
  return errors;
}

/**
 * ValidateObjectMetaUpdate: what an update may not change, and the new metadata's own rules (labels,
 * annotations, owner references, managed fields). Name and namespace formats are not re-checked:
 * they cannot change.
 */
export function validateObjectMetaUpdate(newMeta: JsonObject, oldMeta: JsonObject, options: ObjectMetaUpdateOptions = {}): FieldError[] {
  const path = options.path ?? 'metadata';
  const errors: FieldError[] = [];

  // Finalizers may only be removed while the object is being deleted, or deletion could stall forever.
  if (present(oldMeta['deletionTimestamp'])) {
    errors.push(...validateNoNewFinalizers(stringList(newMeta, 'finalizers'), stringList(oldMeta, 'finalizers'), `${path}.finalizers`));
  }

  const resourceVersion = stringField(newMeta, 'resourceVersion');
  if ((options.requireResourceVersion ?? false) && resourceVersion === '') {
    errors.push(fieldErrors.invalid(`${path}.resourceVersion`, resourceVersion, 'must be specified for an update'));
  }

  const generation = numberField(newMeta, 'generation');
  errors.push(...validateNonnegative(generation, `${path}.generation`));
  if (generation < numberField(oldMeta, 'generation')) errors.push(fieldErrors.invalid(`${path}.generation`, generation, 'must not be decremented'));

  for (const key of ['name', 'namespace', 'uid'] as const) {
    const now = stringField(newMeta, key);
    if (now !== stringField(oldMeta, key)) errors.push(fieldErrors.invalid(`${path}.${key}`, now, FIELD_IMMUTABLE_ERROR_MSG));
  }
  for (const key of ['creationTimestamp', 'deletionTimestamp'] as const) {
    if (!sameTime(newMeta[key], oldMeta[key])) errors.push(fieldErrors.invalid(`${path}.${key}`, orNull(newMeta[key]), FIELD_IMMUTABLE_ERROR_MSG));
  }
  const grace = newMeta['deletionGracePeriodSeconds'];
  if (!sameNumber(grace, oldMeta['deletionGracePeriodSeconds'])) {
    errors.push(fieldErrors.invalid(`${path}.deletionGracePeriodSeconds`, orNull(grace), FIELD_IMMUTABLE_ERROR_MSG));
  }

  errors.push(...validateLabels(stringMap(newMeta, 'labels'), `${path}.labels`));
  errors.push(...validateAnnotations(stringMap(newMeta, 'annotations'), `${path}.annotations`));
  errors.push(...validateOwnerReferences(objectList(newMeta, 'ownerReferences'), `${path}.ownerReferences`));
  errors.push(...validateManagedFields(objectList(newMeta, 'managedFields'), `${path}.managedFields`));
  if (options.kubeFinalizerNames ?? true) errors.push(...validateKubeFinalizerNames(stringList(newMeta, 'finalizers'), `${path}.finalizers`));
  return errors;
}

/** ValidateLabelName: a label key is a qualified name. Also used for selector keys. */
export function validateLabelName(key: string, path: string): FieldError[] {
  return isQualifiedName(key).map((msg) => fieldErrors.invalid(path, key, msg));
}

/** ValidateLabels: keys are qualified names, values label values; every error at the map's path. */
export function validateLabels(labels: ReadonlyMap<string, string>, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, value] of labels) {
    errors.push(...validateLabelName(key, path));
    for (const msg of isValidLabelValue(value)) errors.push(fieldErrors.invalid(path, value, msg));
  }
  return errors;
}

/**
 * ValidateAnnotations: keys are qualified names ignoring case (checked lower-cased, reported as
 * written), and keys plus values total at most 256 KiB of UTF-8.
 */
export function validateAnnotations(annotations: ReadonlyMap<string, string>, path: string): FieldError[] {
  const errors: FieldError[] = [];
  let totalSize = 0;
  for (const [key, value] of annotations) {
    for (const msg of isQualifiedName(key.toLowerCase())) errors.push(fieldErrors.invalid(path, key, msg));
    totalSize += utf8Length(key) + utf8Length(value);
  }
  if (totalSize > TOTAL_ANNOTATION_SIZE_LIMIT_B) errors.push(fieldErrors.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT_B));
  return errors;
}

/** ValidateOwnerReferences: each reference complete, no Event as owner, at most one controller. */
export function validateOwnerReferences(references: readonly JsonObject[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  let firstController = '';
  references.forEach((reference, index) => {
    errors.push(...validateOwnerReference(reference, `${path}[${index}]`));
    if (reference['controller'] === true) {
      const current = `${stringField(reference, 'kind')}/${stringField(reference, 'name')}`;
      if (firstController !== '') {
        errors.push(
          fieldErrors.invalid(
            path,
            references,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      } else firstController = current;
    }
  });
  return errors;
}

function validateOwnerReference(reference: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const apiVersion = stringField(reference, 'apiVersion');
  const kind = stringField(reference, 'kind');
  const gv = parseGroupVersion(apiVersion);
  if (apiVersion === '') errors.push(fieldErrors.required(`${path}.apiVersion`, 'must not be empty'));
  else if (gv === undefined || gv.version === '') {
    errors.push(fieldErrors.invalid(`${path}.apiVersion`, apiVersion, 'must be <group>/<version> or <version>'));
  }
  if (kind === '') errors.push(fieldErrors.required(`${path}.kind`, 'must not be empty'));
  if (stringField(reference, 'name') === '') errors.push(fieldErrors.required(`${path}.name`, 'must not be empty'));
  if (stringField(reference, 'uid') === '') errors.push(fieldErrors.required(`${path}.uid`, 'must not be empty'));
  // BannedOwners: events are not owners (the garbage collector would delete their subjects' dependents).
  if (gv !== undefined && gv.group === '' && gv.version === 'v1' && kind === 'Event') {
    errors.push(fieldErrors.invalid(path, reference, '/v1, Kind=Event is disallowed from being an owner'));
  }
  return errors;
}

/**
 * schema.ParseGroupVersion, which is looser than our gvk parser on purpose: "" and "/" are the empty
 * group-version, "/v1" is the core group; undefined for more than one '/'.
 */
function parseGroupVersion(text: string): { group: string; version: string } | undefined {
  if (text === '' || text === '/') return { group: '', version: '' };
  const slash = text.indexOf('/');
  if (slash === -1) return { group: '', version: text };
  if (text.indexOf('/', slash + 1) !== -1) return undefined;
  return { group: text.slice(0, slash), version: text.slice(slash + 1) };
}

/**
 * ValidateFinalizers: each name a qualified name (errors at the list's path, not the item's, as
 * upstream), and not both "orphan" and "foregroundDeletion".
 */
export function validateFinalizers(finalizers: readonly string[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const finalizer of finalizers) errors.push(...validateFinalizerName(finalizer, path));
  if (finalizers.includes(FINALIZER_DELETE_DEPENDENTS) && finalizers.includes(FINALIZER_ORPHAN_DEPENDENTS)) {
    errors.push(
      fieldErrors.invalid(path, finalizers, `finalizer ${FINALIZER_ORPHAN_DEPENDENTS} and ${FINALIZER_DELETE_DEPENDENTS} cannot be both set`),
    );
  }
  return errors;
}

/** ValidateFinalizerName. */
export function validateFinalizerName(finalizer: string, path: string): FieldError[] {
  return isQualifiedName(finalizer).map((msg) => fieldErrors.invalid(path, finalizer, msg));
}

/** validateKubeFinalizerName for each finalizer, at the item's path. */
function validateKubeFinalizerNames(finalizers: readonly string[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  finalizers.forEach((finalizer, index) => {
    if (!finalizer.includes('/') && !STANDARD_FINALIZERS.has(finalizer)) {
      errors.push(fieldErrors.invalid(`${path}[${index}]`, finalizer, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
  return errors;
}

/** ValidateNoNewFinalizers: the new list adds nothing to the old (listed sorted, as a Go %#v slice). */
export function validateNoNewFinalizers(newFinalizers: readonly string[], oldFinalizers: readonly string[], path: string): FieldError[] {
  const old = new Set(oldFinalizers);
  const extra = [...new Set(newFinalizers.filter((f) => !old.has(f)))].sort();
  if (extra.length === 0) return [];
  const listed = `[]string{${extra.map(goQuote).join(', ')}}`;
  return [fieldErrors.forbidden(path, `no new finalizers can be added if the object is being deleted, found new finalizers ${listed}`)];
}

/** ValidateManagedFields: operation Apply or Update, fieldsType FieldsV1, a printable manager. */
export function validateManagedFields(entries: readonly JsonObject[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  entries.forEach((entry, index) => {
    const at = `${path}[${index}]`;
    const operation = stringField(entry, 'operation');
    if (operation === '') errors.push(fieldErrors.required(`${at}.operation`, 'must not be empty'));
    else if (operation !== 'Apply' && operation !== 'Update') errors.push(fieldErrors.notSupported(`${at}.operation`, operation, ['Apply', 'Update']));
    const fieldsType = stringField(entry, 'fieldsType');
    if (fieldsType !== '' && fieldsType !== 'FieldsV1') errors.push(fieldErrors.invalid(`${at}.fieldsType`, fieldsType, 'must be `FieldsV1`'));
    errors.push(...validateFieldManager(stringField(entry, 'manager'), `${at}.manager`));
    if (utf8Length(stringField(entry, 'subresource')) > MAX_SUBRESOURCE_NAME_LENGTH) {
      errors.push(fieldErrors.tooLong(`${at}.subresource`, MAX_SUBRESOURCE_NAME_LENGTH));
    }
  });
  return errors;
}

/** ValidateFieldManager: at most 128 bytes, every character printable (Go's unicode.IsPrint). */
function validateFieldManager(manager: string, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (utf8Length(manager) > FIELD_MANAGER_MAX_LENGTH) errors.push(fieldErrors.tooLong(path, FIELD_MANAGER_MAX_LENGTH));
  let bytePosition = 0;
  for (const char of manager) {
    const code = char.codePointAt(0) ?? 0;
    if (!isPrint(char)) {
      const hex = code.toString(16).toUpperCase().padStart(4, '0');
      errors.push(fieldErrors.invalid(path, manager, `invalid character U+${hex} (at position ${bytePosition})`));
    }
    bytePosition += utf8Length(char);
  }
  return errors;
}

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
function isPrint(char: string): boolean {
  return PRINTABLE.test(char);
}

function validateNonnegative(value: number, path: string): FieldError[] {
  return value < 0 ? [fieldErrors.invalid(path, value, IS_NEGATIVE_ERROR_MSG)] : [];
}

/** A Go %q string (for the ASCII names finalizers are; others are quoted as JSON, close enough). */
function goQuote(value: string): string {
  return JSON.stringify(value);
}

function present(value: JsonValue | undefined): boolean {
  return value !== undefined && value !== null;
}

function orNull(value: JsonValue | undefined): JsonValue {
  return value === undefined ? null : value;
}

/**
 * Semantic equality of two metav1.Time values (apiequality.Semantic compares instants, not
 * spellings): absent and null are the zero time; timestamps that parse compare as instants.
 */
function sameTime(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (!present(a) || !present(b)) return present(a) === present(b);
  if (typeof a === 'string' && typeof b === 'string') {
    const ta = Date.parse(a);
    const tb = Date.parse(b);
    if (Number.isFinite(ta) && Number.isFinite(tb)) return ta === tb;
  }
  return a === b;
}

/** Equality of two optional numbers (a *int64: absent and null are nil). */
function sameNumber(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (!present(a) || !present(b)) return present(a) === present(b);
  return a === b;
}

function stringField(object: JsonObject, key: string): string {
  const value = object[key];
  return typeof value === 'string' ? value : '';
}

function numberField(object: JsonObject, key: string): number {
  const value = object[key];
  return typeof value === 'number' ? value : 0;
}

function stringMap(object: JsonObject, key: string): Map<string, string> {
  const value = object[key];
  const map = new Map<string, string>();
  if (!isJsonObject(value)) return map;
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') map.set(k, v);
  return map;
}

function stringList(object: JsonObject, key: string): string[] {
  const value = object[key];
  // Items of the wrong type stay as zero values so that indices in field paths still line up.
  return Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item : '')) : [];
}

function objectList(object: JsonObject, key: string): JsonObject[] {
  const value = object[key];
  return Array.isArray(value) ? value.map((item) => (isJsonObject(item) ? item : {})) : [];
}
