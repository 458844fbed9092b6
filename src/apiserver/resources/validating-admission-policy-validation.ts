/**
 * @module
 * Defaults and validation of ValidatingAdmissionPolicies and ValidatingAdmissionPolicyBindings,
 * after pkg/apis/admissionregistration/v1/defaults.go (SetDefaults_ValidatingAdmissionPolicySpec,
 * SetDefaults_MatchResources) and pkg/apis/admissionregistration/validation/validation.go
 * (ValidateValidatingAdmissionPolicy, ValidateValidatingAdmissionPolicyBinding), with upstream's
 * field paths and messages. Every CEL expression must compile over the policy variables (object,
 * oldObject, request, namespaceObject, params, variables; no authorizer: see
 * admission/cel-activation.ts), a variable seeing only the variables before it (as
 * admission/policy-compiler.ts compiles them when the policy is used). Estimated costs are not
 * checked.
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, type JsonValue, isJsonObject } from '../../api/json.js';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isValidPathSegmentName } from '../../api/validation/names.js';
import { POLICY_VARIABLES } from '../admission/cel-activation.js';
import type { Compiled } from '../admission/cel-conditions.js';
import { type PolicyCompiler, policyCompiler } from '../admission/policy-compiler.js';
import { strings } from '../admission/read-json.js';
import { parseSelector } from '../admission/webhook.js';
import { validateLabelSelector } from './poddisruptionbudgets.js';
import { oneOf, validateMatchConditions, validateRule } from './webhook-configuration-validation.js';

const FAILURE_POLICIES = ['Fail', 'Ignore'];
const MATCH_POLICIES = ['Equivalent', 'Exact'];
const REASONS = ['Forbidden', 'Invalid', 'RequestEntityTooLarge', 'Unauthorized'];
const VALIDATION_ACTIONS = ['Audit', 'Deny', 'Warn'];
const NOT_FOUND_ACTIONS = ['Allow', 'Deny'];
const CEL_RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

/** SetDefaults_ValidatingAdmissionPolicySpec and SetDefaults_MatchResources. */
export function defaultPolicy(object: JsonObject): void {
  const spec = isJsonObject(object.spec) ? object.spec : undefined;
  if (spec === undefined) return;
  spec.failurePolicy ??= 'Fail';
  if (isJsonObject(spec.matchConstraints)) defaultMatchResources(spec.matchConstraints);
}

export function defaultBinding(object: JsonObject): void {
  const spec = isJsonObject(object.spec) ? object.spec : undefined;
  if (spec !== undefined && isJsonObject(spec.matchResources)) defaultMatchResources(spec.matchResources);
}

function defaultMatchResources(resources: JsonObject): void {
  resources.matchPolicy ??= 'Equivalent';
  resources.namespaceSelector ??= {};
  resources.objectSelector ??= {};
  for (const field of ['resourceRules', 'excludeResourceRules']) {
    const rules = resources[field];
    if (Array.isArray(rules)) for (const rule of rules) if (isJsonObject(rule)) rule.scope ??= '*';
  }
}

export function validatePolicy(object: JsonObject): FieldError[] {
  const spec = isJsonObject(object.spec) ? object.spec : {};
  const errors: FieldError[] = [];
  if (isJsonObject(spec.paramKind)) errors.push(...validateParamKind(spec.paramKind, 'spec.paramKind'));
  const constraints = isJsonObject(spec.matchConstraints) ? spec.matchConstraints : undefined;
  if (constraints === undefined || !Array.isArray(constraints.resourceRules) || constraints.resourceRules.length === 0) {
    errors.push(fieldErrors.required('spec.matchConstraints.resourceRules', ''));
  }
  if (constraints !== undefined) errors.push(...validateMatchResources(constraints, 'spec.matchConstraints'));
  const validations = Array.isArray(spec.validations) ? spec.validations : [];
  const auditAnnotations = Array.isArray(spec.auditAnnotations) ? spec.auditAnnotations : [];
  if (validations.length === 0 && auditAnnotations.length === 0) {
    errors.push(fieldErrors.required('spec.validations', 'validations or auditAnnotations must contain at least one item'));
  }
  if (spec.failurePolicy === undefined || spec.failurePolicy === null) errors.push(fieldErrors.required('spec.failurePolicy', ''));
  else errors.push(...oneOf(spec.failurePolicy, FAILURE_POLICIES, 'spec.failurePolicy'));
  const variables = Array.isArray(spec.variables) ? spec.variables : [];
  const compiler = policyCompiler(variables.map((variable) => (isJsonObject(variable) && typeof variable.name === 'string' ? variable.name : '')));
  errors.push(...validateVariables(variables, 'spec.variables', compiler));
  validations.forEach((validation, i) => errors.push(...validateValidation(validation, `spec.validations[${i}]`, compiler)));
  auditAnnotations.forEach((annotation, i) => {
    const at = `spec.auditAnnotations[${i}]`;
    const expression = isJsonObject(annotation) && typeof annotation.valueExpression === 'string' ? annotation.valueExpression : '';
    if (expression.trim() === '') errors.push(fieldErrors.required(`${at}.valueExpression`, 'valueExpression is not specified'));
    else errors.push(...compiles(compiler.expression(expression, 'dyn'), expression, `${at}.valueExpression`));
  });
  errors.push(...validateMatchConditions(spec.matchConditions, 'spec.matchConditions', POLICY_VARIABLES, compiler.checker));
  return errors;
}

export function validateBinding(object: JsonObject): FieldError[] {
  const spec = isJsonObject(object.spec) ? object.spec : {};
  const errors: FieldError[] = [];
  const policyName = typeof spec.policyName === 'string' ? spec.policyName : '';
  if (policyName === '') errors.push(fieldErrors.required('spec.policyName', ''));
  else for (const message of isDNS1123Subdomain(policyName)) errors.push(fieldErrors.invalid('spec.policyName', policyName, message));
  if (isJsonObject(spec.paramRef)) errors.push(...validateParamRef(spec.paramRef, 'spec.paramRef'));
  if (isJsonObject(spec.matchResources)) errors.push(...validateMatchResources(spec.matchResources, 'spec.matchResources'));
  const actions = Array.isArray(spec.validationActions) ? spec.validationActions : [];
  if (actions.length === 0) errors.push(fieldErrors.required('spec.validationActions', ''));
  const seen = new Set<string>();
  actions.forEach((action, i) => {
    const value = typeof action === 'string' ? action : String(action);
    if (!VALIDATION_ACTIONS.includes(value)) errors.push(fieldErrors.notSupported(`spec.validationActions[${i}]`, action, VALIDATION_ACTIONS));
    if (seen.has(value)) errors.push(fieldErrors.duplicate(`spec.validationActions[${i}]`, action));
    seen.add(value);
  });
  if (seen.has('Deny') && seen.has('Warn')) {
    errors.push(
      fieldErrors.invalid(
        'spec.validationActions',
        actions,
        'must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)',
      ),
    );
  }
  return errors;
}

/** validateParamKind. */
function validateParamKind(paramKind: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const apiVersion = typeof paramKind.apiVersion === 'string' ? paramKind.apiVersion : '';
  if (apiVersion === '') errors.push(fieldErrors.required(`${path}.apiVersion`, ''));
  else {
    const parts = apiVersion.split('/');
    if (parts.length > 2) errors.push(fieldErrors.invalid(`${path}.apiVersion`, apiVersion, `unexpected GroupVersion string: ${apiVersion}`));
    else {
      const [group, version] = parts.length === 2 ? [parts[0] ?? '', parts[1] ?? ''] : ['', parts[0] ?? ''];
      if (group !== '') {
        const problems = isDNS1123Subdomain(group);
        if (problems.length > 0) errors.push(fieldErrors.invalid(`${path}.apiVersion`, group, problems.join(',')));
      }
      if (version === '') errors.push(fieldErrors.invalid(`${path}.apiVersion`, apiVersion, 'version must be specified'));
      else {
        const problems = isDNS1035Label(version);
        if (problems.length > 0) errors.push(fieldErrors.invalid(`${path}.apiVersion`, version, problems.join(',')));
      }
    }
  }
  const kind = typeof paramKind.kind === 'string' ? paramKind.kind : '';
  if (kind === '') errors.push(fieldErrors.required(`${path}.kind`, ''));
  else {
    const problems = isDNS1035Label(kind.toLowerCase());
    if (problems.length > 0) errors.push(fieldErrors.invalid(`${path}.kind`, kind, `may have mixed case, but should otherwise match: ${problems.join(',')}`));
  }
  return errors;
}

/** validateParamRef. */
function validateParamRef(paramRef: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const name = typeof paramRef.name === 'string' ? paramRef.name : '';
  const hasSelector = paramRef.selector !== undefined && paramRef.selector !== null;
  if (name !== '') {
    if (hasSelector) errors.push(fieldErrors.forbidden(`${path}.name`, '`name` and `selector` are mutually exclusive'));
    for (const message of isValidPathSegmentName(name)) errors.push(fieldErrors.invalid(`${path}.name`, name, message));
  } else if (!hasSelector) {
    errors.push(fieldErrors.required(path, 'one of `name` or `selector` must be set'));
  }
  if (hasSelector) {
    errors.push(...validateLabelSelector(paramRef.selector, `${path}.selector`));
    const parsed = parseSelector(paramRef.selector);
    if (!parsed.ok) errors.push(fieldErrors.invalid(`${path}.selector`, paramRef.selector, parsed.error));
  }
  const namespace = typeof paramRef.namespace === 'string' ? paramRef.namespace : '';
  if (namespace !== '') for (const message of isDNS1123Label(namespace)) errors.push(fieldErrors.invalid(`${path}.namespace`, namespace, message));
  if (paramRef.parameterNotFoundAction === undefined || paramRef.parameterNotFoundAction === null) {
    errors.push(fieldErrors.required(`${path}.parameterNotFoundAction`, ''));
  } else errors.push(...oneOf(paramRef.parameterNotFoundAction, NOT_FOUND_ACTIONS, `${path}.parameterNotFoundAction`));
  return errors;
}

/** validateMatchResources: selectors, matchPolicy and the named rules. */
function validateMatchResources(resources: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  errors.push(...oneOf(resources.matchPolicy, MATCH_POLICIES, `${path}.matchPolicy`));
  for (const field of ['namespaceSelector', 'objectSelector']) {
    errors.push(...validateLabelSelector(resources[field], `${path}.${field}`));
    const parsed = parseSelector(resources[field]);
    if (!parsed.ok) errors.push(fieldErrors.invalid(`${path}.${field}`, resources[field], parsed.error));
  }
  for (const field of ['resourceRules', 'excludeResourceRules']) {
    const rules = Array.isArray(resources[field]) ? resources[field] : [];
    rules.forEach((rule, i) => errors.push(...validateNamedRule(rule, `${path}.${field}[${i}]`)));
  }
  return errors;
}

/** validateNamedRuleWithOperations: unique resourceNames, then the rule. */
function validateNamedRule(rule: JsonValue, path: string): FieldError[] {
  if (!isJsonObject(rule)) return validateRule(rule, path);
  const errors: FieldError[] = [];
  const names = new Set<string>();
  strings(rule.resourceNames).forEach((name, i) => {
    for (const message of isValidPathSegmentName(name)) errors.push(fieldErrors.invalid(`${path}.resourceNames[${i}]`, name, message));
    if (names.has(name)) errors.push(fieldErrors.duplicate(`${path}.resourceNames[${i}]`, name));
    names.add(name);
  });
  errors.push(...validateRule(rule, path));
  return errors;
}

/**
 * validateVariable: a CEL identifier and an expression that compiles, names unique. An expression
 * sees only the variables before it: naming itself or a later one is "undefined field".
 */
function validateVariables(value: readonly JsonValue[], path: string, compiler: PolicyCompiler): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  value.forEach((variable, i) => {
    const at = `${path}[${i}]`;
    const entry = isJsonObject(variable) ? variable : {};
    const name = typeof entry.name === 'string' ? entry.name : '';
    if (name.trim() === '') errors.push(fieldErrors.required(`${at}.name`, 'name is not specified'));
    else if (!/^[_a-zA-Z][_a-zA-Z0-9]*$/.test(name) || CEL_RESERVED.has(name)) errors.push(fieldErrors.invalid(`${at}.name`, name, 'name is not a valid CEL identifier'));
    else if (names.has(name)) errors.push(fieldErrors.duplicate(`${at}.name`, name));
    names.add(name);
    const expression = typeof entry.expression === 'string' ? entry.expression : '';
    if (expression.trim() === '') errors.push(fieldErrors.required(`${at}.expression`, 'expression is not specified'));
    else errors.push(...compiles(compiler.variable(i, expression), expression, `${at}.expression`));
  });
  return errors;
}

/** validateValidation: expression, message, messageExpression and reason. */
function validateValidation(value: JsonValue, path: string, compiler: PolicyCompiler): FieldError[] {
  const validation = isJsonObject(value) ? value : {};
  const errors: FieldError[] = [];
  const expression = typeof validation.expression === 'string' ? validation.expression : '';
  if (expression.trim() === '') errors.push(fieldErrors.required(`${path}.expression`, 'expression is not specified'));
  else errors.push(...compiles(compiler.expression(expression, 'bool'), expression, `${path}.expression`));
  const message = typeof validation.message === 'string' ? validation.message : '';
  if (message !== '' && message.trim() === '') errors.push(fieldErrors.invalid(`${path}.message`, message, 'message must be non-empty if specified'));
  else if (/[\n\r]/.test(message)) errors.push(fieldErrors.invalid(`${path}.message`, message, 'message must not contain line breaks'));
  const messageExpression = typeof validation.messageExpression === 'string' ? validation.messageExpression : undefined;
  if (messageExpression !== undefined && messageExpression !== '' && messageExpression.trim() === '') {
    errors.push(fieldErrors.required(`${path}.messageExpression`, 'messageExpression must be non-empty if specified'));
  } else if (messageExpression !== undefined && messageExpression !== '') {
    errors.push(...compiles(compiler.expression(messageExpression, 'string'), messageExpression, `${path}.messageExpression`));
  }
  if (validation.reason !== undefined && validation.reason !== null) errors.push(...oneOf(validation.reason, REASONS, `${path}.reason`));
  return errors;
}

function compiles(compiled: Compiled, expression: string, path: string): FieldError[] {
  return 'compileError' in compiled ? [fieldErrors.invalid(path, expression, compiled.compileError)] : [];
}
