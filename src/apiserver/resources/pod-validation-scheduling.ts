/**
 * @module
 * Validation of where and how a pod may be placed: tolerations, node and pod (anti-)affinity,
 * label selectors, topology spread constraints, scheduling and readiness gates, DNS config and
 * host aliases. Follows pkg/apis/core/validation/validation.go (ValidateTolerations,
 * validateAffinity, ValidateNodeSelector, validateTopologySpreadConstraints, validatePodDNSConfig,
 * ValidateHostAliases, validateSchedulingGates, validateReadinessGates) and apimachinery
 * pkg/apis/meta/v1/validation (ValidateLabelSelector), with their paths and messages.
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import type { JsonObject } from '../../api/json.js';
import { isDNS1123Subdomain, isQualifiedName, isValidLabelValue, validateNamespaceName } from '../../api/validation/names.js';
import { validateLabelName, validateLabels } from '../../api/validation/object-meta.js';
import { numberAt, objectAt, objectsAt, present, stringAt, stringMapAt, stringsAt } from './pod-json.js';
import { ipErrors } from './pod-validation-paths.js';

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** ValidateTolerations. */
export function validateTolerations(tolerations: readonly JsonObject[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  tolerations.forEach((toleration, index) => {
    const at = `${path}[${index}]`;
    const key = stringAt(toleration, 'key');
    const operator = stringAt(toleration, 'operator');
    const effect = stringAt(toleration, 'effect');
    const value = stringAt(toleration, 'value');
    if (key !== '') errors.push(...validateLabelName(key, `${at}.key`));
    // An empty key with operator Exists matches every taint; with any other operator it means nothing.
    if (key === '' && operator !== 'Exists') {
      errors.push(fieldErrors.invalid(`${at}.operator`, operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (present(toleration, 'tolerationSeconds') && effect !== 'NoExecute') {
      errors.push(fieldErrors.invalid(`${at}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    switch (operator) {
      case 'Equal':
      case '': {
        const problems = isValidLabelValue(value);
        if (problems.length > 0) errors.push(fieldErrors.invalid(`${at}.operator`, value, problems.join(';')));
        break;
      }
      case 'Exists':
        if (value !== '') errors.push(fieldErrors.invalid(`${at}.operator`, value, "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        errors.push(fieldErrors.notSupported(`${at}.operator`, operator, ['Equal', 'Exists']));
    }
    if (effect !== '' && !TAINT_EFFECTS.includes(effect)) errors.push(fieldErrors.notSupported(`${at}.effect`, effect, TAINT_EFFECTS));
  });
  return errors;
}

/** ValidateLabelSelector (metav1.LabelSelector), values checked as label values. */
export function validateLabelSelector(selector: JsonObject | undefined, path: string): FieldError[] {
  if (selector === undefined) return [];
  const errors = validateLabels(stringMapAt(selector, 'matchLabels'), `${path}.matchLabels`);
  objectsAt(selector, 'matchExpressions').forEach((expression, index) => {
    const at = `${path}.matchExpressions[${index}]`;
    const values = stringsAt(expression, 'values');
    const operator = stringAt(expression, 'operator');
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) errors.push(fieldErrors.required(`${at}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) errors.push(fieldErrors.forbidden(`${at}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      errors.push(fieldErrors.invalid(`${at}.operator`, operator, 'not a valid selector operator'));
    }
    errors.push(...validateLabelName(stringAt(expression, 'key'), `${at}.key`));
    values.forEach((value, i) => errors.push(...isValidLabelValue(value).map((msg) => fieldErrors.invalid(`${at}.values[${i}]`, value, msg))));
  });
  return errors;
}

/** validateAffinity. */
export function validateAffinity(affinity: JsonObject | undefined, path: string): FieldError[] {
  if (affinity === undefined) return [];
  const errors: FieldError[] = [];
  const node = objectAt(affinity, 'nodeAffinity');
  if (node !== undefined) {
    const required = objectAt(node, 'requiredDuringSchedulingIgnoredDuringExecution');
    if (required !== undefined) errors.push(...validateNodeSelector(required, `${path}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`));
    objectsAt(node, 'preferredDuringSchedulingIgnoredDuringExecution').forEach((term, index) => {
      const at = `${path}.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${index}]`;
      errors.push(...weightErrors(term, at));
      // Preferred terms may name label values that are not valid labels (they may still match nothing).
      errors.push(...validateNodeSelectorTerm(objectAt(term, 'preference') ?? {}, false, `${at}.preference`));
    });
  }
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const pod = objectAt(affinity, kind);
    if (pod === undefined) continue;
    const at = `${path}.${kind}`;
    objectsAt(pod, 'requiredDuringSchedulingIgnoredDuringExecution').forEach((term, index) => {
      errors.push(...validatePodAffinityTerm(term, `${at}.requiredDuringSchedulingIgnoredDuringExecution[${index}]`));
    });
    objectsAt(pod, 'preferredDuringSchedulingIgnoredDuringExecution').forEach((weighted, index) => {
      const termPath = `${at}.preferredDuringSchedulingIgnoredDuringExecution[${index}]`;
      errors.push(...weightErrors(weighted, termPath));
      errors.push(...validatePodAffinityTerm(objectAt(weighted, 'podAffinityTerm') ?? {}, `${termPath}.podAffinityTerm`));
    });
  }
  return errors;
}

function weightErrors(term: JsonObject, path: string): FieldError[] {
  const weight = numberAt(term, 'weight') ?? 0;
  return weight <= 0 || weight > 100 ? [fieldErrors.invalid(`${path}.weight`, weight, 'must be in the range 1-100')] : [];
}

/** ValidateNodeSelector: at least one term. */
export function validateNodeSelector(selector: JsonObject, path: string): FieldError[] {
  const terms = objectsAt(selector, 'nodeSelectorTerms');
  if (terms.length === 0) return [fieldErrors.required(`${path}.nodeSelectorTerms`, 'must have at least one node selector term')];
  return terms.flatMap((term, index) => validateNodeSelectorTerm(term, true, `${path}.nodeSelectorTerms[${index}]`));
}

/** ValidateNodeSelectorTerm: label requirements, and field requirements on metadata.name only. */
function validateNodeSelectorTerm(term: JsonObject, checkValues: boolean, path: string): FieldError[] {
  const errors: FieldError[] = [];
  objectsAt(term, 'matchExpressions').forEach((requirement, index) => {
    const at = `${path}.matchExpressions[${index}]`;
    const operator = stringAt(requirement, 'operator');
    const values = stringsAt(requirement, 'values');
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) errors.push(fieldErrors.required(`${at}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) errors.push(fieldErrors.forbidden(`${at}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else if (operator === 'Gt' || operator === 'Lt') {
      if (values.length !== 1) errors.push(fieldErrors.required(`${at}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
    } else {
      errors.push(fieldErrors.invalid(`${at}.operator`, operator, 'not a valid selector operator'));
    }
    errors.push(...validateLabelName(stringAt(requirement, 'key'), `${at}.key`));
    if (checkValues) values.forEach((value, i) => errors.push(...isValidLabelValue(value).map((msg) => fieldErrors.invalid(`${at}.values[${i}]`, value, msg))));
  });
  objectsAt(term, 'matchFields').forEach((requirement, index) => {
    const at = `${path}.matchFields[${index}]`;
    const operator = stringAt(requirement, 'operator');
    const values = stringsAt(requirement, 'values');
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length !== 1) errors.push(fieldErrors.required(`${at}.values`, "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
    } else {
      errors.push(fieldErrors.invalid(`${at}.operator`, operator, 'not a valid selector operator'));
    }
    const key = stringAt(requirement, 'key');
    if (key !== 'metadata.name') errors.push(fieldErrors.invalid(`${at}.key`, key, 'not a valid field selector key'));
    else values.forEach((value, i) => errors.push(...isDNS1123Subdomain(value).map((msg) => fieldErrors.invalid(`${at}.values[${i}]`, value, msg))));
  });
  return errors;
}

/** validatePodAffinityTerm (upstream reports namespace errors at `namespace`, singular). */
function validatePodAffinityTerm(term: JsonObject, path: string): FieldError[] {
  const errors = [
    ...validateLabelSelector(objectAt(term, 'labelSelector'), `${path}.labelSelector`),
    ...validateLabelSelector(objectAt(term, 'namespaceSelector'), `${path}.namespaceSelector`),
  ];
  for (const namespace of stringsAt(term, 'namespaces')) {
    errors.push(...validateNamespaceName(namespace, false).map((msg) => fieldErrors.invalid(`${path}.namespace`, namespace, msg)));
  }
  const topologyKey = stringAt(term, 'topologyKey');
  if (topologyKey === '') errors.push(fieldErrors.required(`${path}.topologyKey`, 'can not be empty'));
  errors.push(...validateLabelName(topologyKey, `${path}.topologyKey`));
  return errors;
}

/** validateTopologySpreadConstraints. */
export function validateTopologySpreadConstraints(constraints: readonly JsonObject[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  constraints.forEach((constraint, index) => {
    const at = `${path}[${index}]`;
    const maxSkew = numberAt(constraint, 'maxSkew') ?? 0;
    if (maxSkew <= 0) errors.push(fieldErrors.invalid(`${at}.maxSkew`, maxSkew, 'must be greater than zero'));
    const topologyKey = stringAt(constraint, 'topologyKey');
    if (topologyKey === '') errors.push(fieldErrors.required(`${at}.topologyKey`, 'can not be empty'));
    const when = stringAt(constraint, 'whenUnsatisfiable');
    if (when !== 'DoNotSchedule' && when !== 'ScheduleAnyway') {
      errors.push(fieldErrors.notSupported(`${at}.whenUnsatisfiable`, when, ['DoNotSchedule', 'ScheduleAnyway']));
    }
    // {topologyKey, whenUnsatisfiable} names one kind of spread; each kind once.
    const repeated = constraints.slice(index + 1).some((other) => stringAt(other, 'topologyKey') === topologyKey && stringAt(other, 'whenUnsatisfiable') === when);
    if (repeated) errors.push(fieldErrors.duplicate(`${at}.{topologyKey, whenUnsatisfiable}`, `{${topologyKey}, ${when}}`));
    const minDomains = numberAt(constraint, 'minDomains');
    if (minDomains !== undefined) {
      if (minDomains <= 0) errors.push(fieldErrors.invalid(`${at}.minDomains`, minDomains, 'must be greater than zero'));
      if (when !== 'DoNotSchedule') {
        errors.push(fieldErrors.invalid(`${at}.minDomains`, minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${when}`));
      }
    }
    errors.push(...validateLabelSelector(objectAt(constraint, 'labelSelector'), `${at}.labelSelector`));
  });
  return errors;
}

/** validatePodDNSConfig: nameservers (required for dnsPolicy None), search domains, options. */
export function validateDNSConfig(config: JsonObject | undefined, dnsPolicy: string, path: string): FieldError[] {
  if (dnsPolicy === 'None') {
    if (config === undefined) return [fieldErrors.required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (stringsAt(config, 'nameservers').length === 0) {
      return [fieldErrors.required(`${path}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
    }
  }
  if (config === undefined) return [];
  const errors: FieldError[] = [];
  const nameservers = stringsAt(config, 'nameservers');
  if (nameservers.length > 3) errors.push(fieldErrors.invalid(`${path}.nameservers`, nameservers, 'must not have more than 3 nameservers'));
  nameservers.forEach((server, index) => errors.push(...ipErrors(server, `${path}.nameservers[${index}]`)));
  const searches = stringsAt(config, 'searches');
  if (searches.length > 32) errors.push(fieldErrors.invalid(`${path}.searches`, searches, 'must not have more than 32 search paths'));
  if (searches.join(' ').length > 2048) {
    errors.push(fieldErrors.invalid(`${path}.searches`, searches, 'must not have more than 2048 characters (including spaces) in the search list'));
  }
  searches.forEach((search, index) => {
    const domain = search.endsWith('.') ? search.slice(0, -1) : search;
    errors.push(...isDNS1123Subdomain(domain).map((msg) => fieldErrors.invalid(`${path}.searches[${index}]`, domain, msg)));
  });
  objectsAt(config, 'options').forEach((option, index) => {
    if (stringAt(option, 'name') === '') errors.push(fieldErrors.required(`${path}.options[${index}]`, 'must not be empty'));
  });
  return errors;
}

/** ValidateHostAliases. */
export function validateHostAliases(aliases: readonly JsonObject[], path: string): FieldError[] {
  return aliases.flatMap((alias, index) => [
    ...ipErrors(stringAt(alias, 'ip'), `${path}[${index}].ip`),
    ...stringsAt(alias, 'hostnames').flatMap((hostname, j) =>
      isDNS1123Subdomain(hostname).map((msg) => fieldErrors.invalid(`${path}[${index}].hostnames[${j}]`, hostname, msg)),
    ),
  ]);
}

/** validateSchedulingGates: qualified names, no duplicates. */
export function validateSchedulingGates(gates: readonly JsonObject[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  gates.forEach((gate, index) => {
    const name = stringAt(gate, 'name');
    errors.push(...isQualifiedName(name).map((msg) => fieldErrors.invalid(`${path}[${index}]`, name, msg)));
    if (seen.has(name)) errors.push(fieldErrors.duplicate(`${path}[${index}]`, name));
    seen.add(name);
  });
  return errors;
}

/** validateReadinessGates: condition types are qualified names. */
export function validateReadinessGates(gates: readonly JsonObject[], path: string): FieldError[] {
  return gates.flatMap((gate, index) => {
    const type = stringAt(gate, 'conditionType');
    return isQualifiedName(type).map((msg) => fieldErrors.invalid(`${path}[${index}].conditionType`, type, msg));
  });
}
