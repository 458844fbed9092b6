/**
 * @module
 * Defaults and validation of Mutating- and ValidatingWebhookConfigurations, after
 * pkg/apis/admissionregistration/v1/defaults.go and pkg/apis/admissionregistration/validation
 * (validateMutatingWebhook, validateValidatingWebhook, validateRuleWithOperations,
 * validateResources, webhook.ValidateWebhookURL and ValidateWebhookService), with upstream's field
 * paths and messages. kubelite speaks only AdmissionReview v1, so admissionReviewVersions must
 * include v1 (upstream also accepts a list of only v1beta1).
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, type JsonValue, isJsonObject } from '../../api/json.js';
import { isDNS1035Label, isDNS1123Subdomain, isQualifiedName } from '../../api/validation/names.js';
import { MATCH_CONDITION_VARIABLES } from '../admission/cel-activation.js';
import { type CheckerEnvironment, compileCondition } from '../admission/cel-conditions.js';
import { strings } from '../admission/read-json.js';
import { parseSelector, type WebhookType } from '../admission/webhook.js';

const SIDE_EFFECTS = ['None', 'NoneOnDryRun'];
const REVIEW_VERSIONS = ['v1'];
const OPERATIONS = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'];
const SCOPES = ['*', 'Cluster', 'Namespaced'];
const MAX_MATCH_CONDITIONS = 64;

/** SetDefaults_ValidatingWebhook / SetDefaults_MutatingWebhook / SetDefaults_Rule / SetDefaults_ServiceReference. */
export function defaultWebhooks(object: JsonObject, type: WebhookType): void {
  if (!Array.isArray(object.webhooks)) return;
  for (const hook of object.webhooks) {
    if (!isJsonObject(hook)) continue;
    hook.failurePolicy ??= 'Fail';
    hook.matchPolicy ??= 'Equivalent';
    hook.namespaceSelector ??= {};
    hook.objectSelector ??= {};
    hook.timeoutSeconds ??= 10;
    if (type === 'mutating') hook.reinvocationPolicy ??= 'Never';
    for (const rule of Array.isArray(hook.rules) ? hook.rules : []) if (isJsonObject(rule)) rule.scope ??= '*';
    const service = isJsonObject(hook.clientConfig) && isJsonObject(hook.clientConfig.service) ? hook.clientConfig.service : undefined;
    if (service !== undefined) service.port ??= 443;
  }
}

/** Every webhook of a configuration; names unique within it. */
export function validateWebhookConfiguration(object: JsonObject, type: WebhookType): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  const hooks = Array.isArray(object.webhooks) ? object.webhooks : [];
  hooks.forEach((hook, i) => {
    const path = `webhooks[${i}]`;
    if (!isJsonObject(hook)) {
      errors.push(fieldErrors.invalid(path, hook, 'must be an object'));
      return;
    }
    errors.push(...validateWebhook(hook, type, path));
    const name = typeof hook.name === 'string' ? hook.name : '';
    if (name !== '' && names.has(name)) errors.push(fieldErrors.duplicate(`${path}.name`, name));
    names.add(name);
  });
  return errors;
}

function validateWebhook(hook: JsonObject, type: WebhookType, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const name = typeof hook.name === 'string' ? hook.name : '';
  errors.push(...fullyQualifiedName(name, `${path}.name`));
  (Array.isArray(hook.rules) ? hook.rules : []).forEach((rule, i) => errors.push(...validateRule(rule, `${path}.rules[${i}]`)));
  errors.push(...oneOf(hook.failurePolicy, ['Fail', 'Ignore'], `${path}.failurePolicy`));
  errors.push(...oneOf(hook.matchPolicy, ['Equivalent', 'Exact'], `${path}.matchPolicy`));
  if (type === 'mutating') errors.push(...oneOf(hook.reinvocationPolicy, ['IfNeeded', 'Never'], `${path}.reinvocationPolicy`));
  if (hook.sideEffects === undefined || hook.sideEffects === null) {
    errors.push(fieldErrors.required(`${path}.sideEffects`, `must specify one of ${SIDE_EFFECTS.join(', ')}`));
  } else if (typeof hook.sideEffects !== 'string' || !SIDE_EFFECTS.includes(hook.sideEffects)) {
    errors.push(fieldErrors.notSupported(`${path}.sideEffects`, hook.sideEffects, SIDE_EFFECTS));
  }
  const timeout = hook.timeoutSeconds;
  if (timeout !== undefined && timeout !== null && (typeof timeout !== 'number' || timeout < 1 || timeout > 30)) {
    errors.push(fieldErrors.invalid(`${path}.timeoutSeconds`, timeout, 'the timeout value must be between 1 and 30 seconds'));
  }
  for (const field of ['namespaceSelector', 'objectSelector']) {
    const selector = parseSelector(hook[field]);
    if (!selector.ok) errors.push(fieldErrors.invalid(`${path}.${field}`, hook[field], selector.error));
  }
  errors.push(...validateReviewVersions(hook.admissionReviewVersions, `${path}.admissionReviewVersions`));
  errors.push(...validateClientConfig(hook.clientConfig, `${path}.clientConfig`));
  errors.push(...validateMatchConditions(hook.matchConditions, `${path}.matchConditions`));
  return errors;
}

/** IsFullyQualifiedName: a DNS subdomain of at least three segments. */
function fullyQualifiedName(name: string, path: string): FieldError[] {
  if (name === '') return [fieldErrors.required(path, '')];
  const problems = isDNS1123Subdomain(name);
  if (problems.length > 0) return problems.map((message) => fieldErrors.invalid(path, name, message));
  if (name.split('.').length < 3) return [fieldErrors.invalid(path, name, 'should be a domain with at least three segments separated by dots')];
  return [];
}

/** An optional enum field: absent, or one of `allowed` (NotSupported otherwise). */
export function oneOf(value: JsonValue | undefined, allowed: readonly string[], path: string): FieldError[] {
  if (value === undefined || value === null) return [];
  return typeof value === 'string' && allowed.includes(value) ? [] : [fieldErrors.notSupported(path, value, allowed)];
}

function validateReviewVersions(value: JsonValue | undefined, path: string): FieldError[] {
  const versions = strings(value);
  if (versions.length === 0) return [fieldErrors.required(path, `must specify one of ${REVIEW_VERSIONS.join(', ')}`)];
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  versions.forEach((version, i) => {
    for (const message of isDNS1035Label(version)) errors.push(fieldErrors.invalid(`${path}[${i}]`, version, message));
    if (seen.has(version)) errors.push(fieldErrors.duplicate(`${path}[${i}]`, version));
    seen.add(version);
  });
  if (!versions.some((version) => REVIEW_VERSIONS.includes(version))) {
    errors.push(fieldErrors.invalid(path, versions, `must include at least one of ${REVIEW_VERSIONS.join(', ')}`));
  }
  return errors;
}

function validateClientConfig(value: JsonValue | undefined, path: string): FieldError[] {
  const config = isJsonObject(value) ? value : {};
  const hasUrl = typeof config.url === 'string';
  const hasService = isJsonObject(config.service);
  if (hasUrl === hasService) return [fieldErrors.required(path, 'exactly one of url or service is required')];
  if (typeof config.url === 'string') return validateUrl(config.url, `${path}.url`);
  return isJsonObject(config.service) ? validateService(config.service, `${path}.service`) : [];
}

/** webhook.ValidateWebhookURL with forceHttps. */
function validateUrl(text: string, path: string): FieldError[] {
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    return [fieldErrors.invalid(path, text, `must be a valid URL: ${error instanceof Error ? error.message : String(error)}`)];
  }
  const errors: FieldError[] = [];
  if (url.protocol !== 'https:') errors.push(fieldErrors.invalid(path, text, "'https' is the only allowed URL scheme"));
  if (url.hostname === '') errors.push(fieldErrors.invalid(path, text, 'host must be specified'));
  if (url.username !== '' || url.password !== '') errors.push(fieldErrors.invalid(path, text, 'user information is not permitted in the URL'));
  if (url.hash !== '' || text.includes('#')) errors.push(fieldErrors.invalid(path, text, 'fragments are not permitted in the URL'));
  if (url.search !== '' || text.includes('?')) errors.push(fieldErrors.invalid(path, text, 'query parameters are not permitted in the URL'));
  return errors;
}

/** webhook.ValidateWebhookService. */
function validateService(service: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof service.name !== 'string' || service.name === '') errors.push(fieldErrors.required(`${path}.name`, 'service name is required'));
  if (typeof service.namespace !== 'string' || service.namespace === '') errors.push(fieldErrors.required(`${path}.namespace`, 'service namespace is required'));
  const port = service.port;
  if (port !== undefined && port !== null && (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)) {
    errors.push(fieldErrors.invalid(`${path}.port`, port, 'port is not valid: must be between 1 and 65535, inclusive'));
  }
  const servicePath = service.path;
  if (typeof servicePath === 'string' && servicePath !== '') {
    if (!servicePath.startsWith('/')) errors.push(fieldErrors.invalid(`${path}.path`, servicePath, "must start with a '/'"));
    else if (servicePath === '/') return errors;
    else {
      for (const step of servicePath.slice(1).split('/')) {
        if (step === '') {
          errors.push(fieldErrors.invalid(`${path}.path`, servicePath, 'segment[0] may not be empty'));
          break;
        }
      }
    }
  }
  return errors;
}

/** validateRuleWithOperations (also the rule part of a policy's NamedRuleWithOperations). */
export function validateRule(value: JsonValue, path: string): FieldError[] {
  if (!isJsonObject(value)) return [fieldErrors.invalid(path, value, 'must be an object')];
  const errors: FieldError[] = [];
  const operations = strings(value.operations);
  if (operations.length === 0) errors.push(fieldErrors.required(`${path}.operations`, ''));
  if (operations.length > 1 && operations.includes('*')) {
    errors.push(fieldErrors.invalid(`${path}.operations`, operations, "if '*' is present, must not specify other operations"));
  }
  operations.forEach((op, i) => {
    if (!OPERATIONS.includes(op)) errors.push(fieldErrors.notSupported(`${path}.operations[${i}]`, op, OPERATIONS));
  });
  const groups = strings(value.apiGroups);
  if (groups.length === 0) errors.push(fieldErrors.required(`${path}.apiGroups`, ''));
  if (groups.length > 1 && groups.includes('*')) errors.push(fieldErrors.invalid(`${path}.apiGroups`, groups, "if '*' is present, must not specify other API groups"));
  const versions = strings(value.apiVersions);
  if (versions.length === 0) errors.push(fieldErrors.required(`${path}.apiVersions`, ''));
  if (versions.length > 1 && versions.includes('*')) {
    errors.push(fieldErrors.invalid(`${path}.apiVersions`, versions, "if '*' is present, must not specify other API versions"));
  }
  versions.forEach((version, i) => {
    if (version === '') errors.push(fieldErrors.required(`${path}.apiVersions[${i}]`, ''));
  });
  errors.push(...validateResources(strings(value.resources), `${path}.resources`));
  errors.push(...oneOf(value.scope, SCOPES, `${path}.scope`));
  return errors;
}

/** validateResources: the wildcard forms may not overlap others. */
export function validateResources(resources: readonly string[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (resources.length === 0) errors.push(fieldErrors.required(path, ''));
  const withWildcardSub = new Set<string>();
  const subWithWildcardRes = new Set<string>();
  let doubleWildcard = false;
  let singleWildcard = false;
  let withoutSubresource = false;
  resources.forEach((entry, i) => {
    if (entry === '') {
      errors.push(fieldErrors.required(`${path}[${i}]`, ''));
      return;
    }
    if (entry === '*/*') doubleWildcard = true;
    if (entry === '*') singleWildcard = true;
    const slash = entry.indexOf('/');
    if (slash < 0) {
      withoutSubresource = entry !== '*';
      return;
    }
    const res = entry.slice(0, slash);
    const sub = entry.slice(slash + 1);
    if (withWildcardSub.has(res)) errors.push(fieldErrors.invalid(`${path}[${i}]`, entry, `if '${res}/*' is present, must not specify ${entry}`));
    if (subWithWildcardRes.has(sub)) errors.push(fieldErrors.invalid(`${path}[${i}]`, entry, `if '*/${sub}' is present, must not specify ${entry}`));
    if (sub === '*') withWildcardSub.add(res);
    if (res === '*') subWithWildcardRes.add(sub);
  });
  if (resources.length > 1 && doubleWildcard) errors.push(fieldErrors.invalid(path, resources, "if '*/*' is present, must not specify other resources"));
  if (singleWildcard && withoutSubresource) {
    errors.push(fieldErrors.invalid(path, resources, "if '*' is present, must not specify other resources without subresources"));
  }
  return errors;
}

/**
 * validateMatchConditions: at most 64, names qualified and unique, expressions that compile to a bool
 * over the webhook variables (object, oldObject, request, namespaceObject), or over `variables` as
 * `checker` declares them (a policy's).
 */
export function validateMatchConditions(
  value: JsonValue | undefined,
  path: string,
  variables: readonly string[] = MATCH_CONDITION_VARIABLES,
  checker?: CheckerEnvironment,
): FieldError[] {
  if (!Array.isArray(value)) return [];
  const errors: FieldError[] = [];
  if (value.length > MAX_MATCH_CONDITIONS) errors.push(fieldErrors.tooMany(path, value.length, MAX_MATCH_CONDITIONS));
  const names = new Set<string>();
  value.forEach((condition, i) => {
    const at = `${path}[${i}]`;
    if (!isJsonObject(condition)) {
      errors.push(fieldErrors.invalid(at, condition, 'must be an object'));
      return;
    }
    const name = typeof condition.name === 'string' ? condition.name : '';
    if (name === '') errors.push(fieldErrors.required(`${at}.name`, ''));
    else {
      for (const message of isQualifiedName(name)) errors.push(fieldErrors.invalid(`${at}.name`, name, message));
      if (names.has(name)) errors.push(fieldErrors.duplicate(`${at}.name`, name));
      names.add(name);
    }
    if (typeof condition.expression !== 'string' || condition.expression.trim() === '') errors.push(fieldErrors.required(`${at}.expression`, ''));
    else {
      const compiled = compileCondition(condition.expression, variables, checker);
      if ('compileError' in compiled) errors.push(fieldErrors.invalid(`${at}.expression`, condition.expression, compiled.compileError));
    }
  });
  return errors;
}
