/**
 * @module
 * Validation of a container's `resources`: resource names (standard ones like cpu and memory,
 * hugepages, or fully qualified extended resources such as example.com/gpu), quantities that are
 * non-negative (and whole for extended resources), requests no larger than limits, and equal to
 * them for resources that cannot be overcommitted. Follows pkg/apis/core/validation/validation.go
 * (validateResourceRequirements, validateContainerResourceName, ValidateResourceQuantityValue) and
 * pkg/apis/core/helper/helpers.go for the resource-name classes.
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import type { JsonObject, JsonValue } from '../../api/json.js';
import { Quantity, formatQuantity } from '../../api/quantity.js';
import { isQualifiedName } from '../../api/validation/names.js';
import { IS_NEGATIVE_ERROR_MSG } from '../../api/validation/object-meta.js';
import { objectAt, objectsAt, stringAt } from './pod-json.js';

/** helper standardResources: names that need no domain prefix. */
const STANDARD_RESOURCES: ReadonlySet<string> = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu',
  'limits.memory', 'limits.ephemeral-storage', 'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets',
  'configmaps', 'persistentvolumeclaims', 'storage', 'requests.storage', 'services.nodeports', 'services.loadbalancers',
]);
const STANDARD_CONTAINER_RESOURCES: ReadonlySet<string> = new Set(['cpu', 'memory', 'ephemeral-storage']);
/** helper integerResources: counts, which are whole numbers. */
const INTEGER_RESOURCES: ReadonlySet<string> = new Set([
  'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims',
  'services.nodeports', 'services.loadbalancers',
]);
const HUGEPAGES_PREFIX = 'hugepages-';

const isHugePages = (name: string): boolean => name.startsWith(HUGEPAGES_PREFIX);
/** IsNativeResource: unprefixed, or in the kubernetes.io domain. */
const isNative = (name: string): boolean => !name.includes('/') || name.includes('kubernetes.io/');
/** IsExtendedResourceName: a fully qualified name outside kubernetes.io that would also be a valid quota name. */
const isExtended = (name: string): boolean =>
  !isNative(name) && !name.startsWith('requests.') && isQualifiedName(`requests.${name}`).length === 0;
/** IsOvercommitAllowed: requests may be below limits only for native, non-hugepages resources. */
const overcommitAllowed = (name: string): boolean => isNative(name) && !isHugePages(name);
const isStandard = (name: string): boolean =>
  STANDARD_RESOURCES.has(name) || isHugePages(name) || name.startsWith(`requests.${HUGEPAGES_PREFIX}`);

/**
 * validateResourceRequirements for a container (or an init or ephemeral one): `path` is the
 * container's `resources`; `podClaimNames` are the names in spec.resourceClaims.
 */
export function validateResourceRequirements(resources: JsonObject, path: string, podClaimNames: ReadonlySet<string>): FieldError[] {
  const errors: FieldError[] = [];
  const limPath = `${path}.limits`;
  const reqPath = `${path}.requests`;
  const limits = objectAt(resources, 'limits') ?? {};
  const requests = objectAt(resources, 'requests') ?? {};
  let cpuOrMemory = false;
  let hugePages = false;
  const parsedLimits = new Map<string, Quantity>();
  for (const [name, value] of Object.entries(limits)) {
    const at = `${limPath}[${name}]`;
    errors.push(...validateContainerResourceName(name, at));
    const quantity = parseQuantity(value, at, errors);
    if (quantity !== undefined) {
      parsedLimits.set(name, quantity);
      errors.push(...validateQuantityValue(name, quantity, at));
    }
    if (isHugePages(name)) hugePages = true;
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
  }
  for (const [name, value] of Object.entries(requests)) {
    const at = `${reqPath}[${name}]`;
    errors.push(...validateContainerResourceName(name, at));
    const quantity = parseQuantity(value, at, errors);
    if (quantity !== undefined) {
      errors.push(...validateQuantityValue(name, quantity, at));
      const limit = parsedLimits.get(name);
      if (limit !== undefined) {
        if (quantity.cmp(limit) !== 0 && !overcommitAllowed(name)) {
          errors.push(fieldErrors.invalid(reqPath, formatQuantity(quantity), `must be equal to ${name} limit of ${formatQuantity(limit)}`));
        } else if (quantity.cmp(limit) > 0) {
          errors.push(fieldErrors.invalid(reqPath, formatQuantity(quantity), `must be less than or equal to ${name} limit of ${formatQuantity(limit)}`));
        }
      } else if (!(name in limits) && !overcommitAllowed(name)) {
        errors.push(fieldErrors.required(limPath, 'Limit must be set for non overcommitable resources'));
      }
    }
    if (isHugePages(name)) hugePages = true;
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
  }
  if (hugePages && !cpuOrMemory) errors.push(fieldErrors.forbidden(path, 'HugePages require cpu or memory'));
  errors.push(...validateClaimReferences(objectsAt(resources, 'claims'), `${path}.claims`, podClaimNames));
  return errors;
}

/** validateContainerResourceName (and validateResourceName before it). */
function validateContainerResourceName(name: string, path: string): FieldError[] {
  const qualified = isQualifiedName(name).map((msg) => fieldErrors.invalid(path, name, msg));
  if (qualified.length > 0) return qualified;
  const errors: FieldError[] = [];
  if (!name.includes('/')) {
    if (!isStandard(name)) errors.push(fieldErrors.invalid(path, name, 'must be a standard resource type or fully qualified'));
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name)) {
      errors.push(fieldErrors.invalid(path, name, 'must be a standard resource for containers'));
    }
  } else if (!isNative(name) && !isExtended(name)) {
    errors.push(fieldErrors.invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errors;
}

/** ValidateResourceQuantityValue: non-negative, and whole for counted and extended resources. */
function validateQuantityValue(name: string, quantity: Quantity, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (quantity.sign() < 0) errors.push(fieldErrors.invalid(path, formatQuantity(quantity), IS_NEGATIVE_ERROR_MSG));
  if ((INTEGER_RESOURCES.has(name) || isExtended(name)) && quantity.milliValue() % 1000n !== 0n) {
    errors.push(fieldErrors.invalid(path, formatQuantity(quantity), 'must be an integer'));
  }
  return errors;
}

/**
 * A quantity from JSON. Upstream rejects a malformed quantity while decoding, before validation;
 * here it is reported at its field with the parser's message.
 */
function parseQuantity(value: JsonValue | undefined, path: string, errors: FieldError[]): Quantity | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : undefined;
  if (text === undefined) {
    errors.push(fieldErrors.invalid(path, value ?? null, 'must be a quantity'));
    return undefined;
  }
  const parsed = Quantity.safeParse(text);
  if (parsed.ok) return parsed.quantity;
  errors.push(fieldErrors.invalid(path, text, parsed.message));
  return undefined;
}

/** validateResourceClaimNames: each claim named, once, and declared in spec.resourceClaims. */
function validateClaimReferences(claims: readonly JsonObject[], path: string, podClaimNames: ReadonlySet<string>): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  claims.forEach((claim, index) => {
    const at = `${path}[${index}]`;
    const name = stringAt(claim, 'name');
    if (name === '') {
      errors.push(fieldErrors.required(at, ''));
      return;
    }
    const request = stringAt(claim, 'request');
    const key = request === '' ? name : `${name}/${request}`;
    if (seen.has(name) || seen.has(key)) errors.push(fieldErrors.duplicate(at, seen.has(name) ? name : key));
    seen.add(key);
    if (!podClaimNames.has(name)) {
      const known = [...podClaimNames].sort();
      errors.push({
        type: 'FieldValueNotFound',
        field: at,
        badValue: name,
        detail: `must be one of the names in pod.spec.resourceClaims${known.length === 0 ? ' which is empty' : `: ${known.join(', ')}`}`,
      });
    }
  });
  return errors;
}
