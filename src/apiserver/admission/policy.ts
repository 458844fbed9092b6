/**
 * @module
 * ValidatingAdmissionPolicies and their bindings (admissionregistration.k8s.io/v1) as the policy
 * plugin uses them: read from the stored objects with upstream's defaults for anything missing
 * (failurePolicy Fail, selectors {}, rule scope *), selectors parsed and every CEL expression compiled
 * once per stored version of the object (kept per cached, immutable object, as webhook.ts does).
 * After k8s.io/apiserver pkg/admission/plugin/policy/validating (plugin.go compilePolicy,
 * validator.go) and pkg/admission/plugin/policy/generic (policy_source.go).
 */
import { type JsonObject, isJsonObject } from '../../api/json.js';
import { POLICY_VARIABLES } from './cel-activation.js';
import { type Compiled, type CompiledCondition, compileConditions } from './cel-conditions.js';
import { policyCompiler } from './policy-compiler.js';
import { metadataName, objects, str, strings } from './read-json.js';
import { type ParsedSelector, type WebhookRule, parseRule, parseSelector } from './webhook.js';

/** A NamedRuleWithOperations: a webhook rule that may also name the objects it covers. */
export interface NamedRule extends WebhookRule {
  readonly resourceNames: readonly string[];
}

/** MatchResources of a policy's matchConstraints or a binding's matchResources. */
export interface MatchResources {
  readonly namespaceSelector: ParsedSelector;
  readonly objectSelector: ParsedSelector;
  readonly resourceRules: readonly NamedRule[];
  readonly excludeResourceRules: readonly NamedRule[];
  /** Whether rules also match the request's equivalent versions (matchPolicy Equivalent, the default). */
  readonly equivalentPolicy: boolean;
}

export interface PolicyVariable {
  readonly name: string;
  readonly expression: string;
  readonly compiled: Compiled;
}

export interface PolicyValidation {
  readonly expression: string;
  readonly compiled: Compiled;
  readonly message: string;
  /** The compiled messageExpression, when there is one. */
  readonly messageExpression: ({ readonly expression: string } & Compiled) | undefined;
  /** Forbidden, Invalid, RequestEntityTooLarge, Unauthorized; undefined is Invalid. */
  readonly reason: string | undefined;
}

export interface ParamKind {
  readonly apiVersion: string;
  readonly kind: string;
  readonly group: string;
  readonly version: string;
}

export interface ValidatingPolicy {
  readonly name: string;
  readonly failurePolicy: 'Fail' | 'Ignore';
  readonly paramKind: ParamKind | undefined;
  readonly matchConstraints: MatchResources | undefined;
  readonly matchConditions: readonly CompiledCondition[];
  readonly variables: readonly PolicyVariable[];
  readonly validations: readonly PolicyValidation[];
}

export interface ParamRef {
  readonly name: string;
  readonly namespace: string;
  readonly selector: ParsedSelector | undefined;
  readonly parameterNotFoundAction: 'Allow' | 'Deny';
}

export interface PolicyBinding {
  readonly name: string;
  readonly policyName: string;
  readonly paramRef: ParamRef | undefined;
  readonly matchResources: MatchResources | undefined;
  readonly validationActions: readonly string[];
}

const policies = new WeakMap<JsonObject, ValidatingPolicy>();
const bindings = new WeakMap<JsonObject, PolicyBinding>();

/** A policy object, parsed and compiled once per (immutable, cached) object. */
export function policyOf(object: JsonObject): ValidatingPolicy {
  let policy = policies.get(object);
  if (policy === undefined) {
    policy = parsePolicy(object);
    policies.set(object, policy);
  }
  return policy;
}

export function bindingOf(object: JsonObject): PolicyBinding {
  let binding = bindings.get(object);
  if (binding === undefined) {
    binding = parseBinding(object);
    bindings.set(object, binding);
  }
  return binding;
}

export function parsePolicy(object: JsonObject): ValidatingPolicy {
  const spec = isJsonObject(object.spec) ? object.spec : {};
  const paramKind = isJsonObject(spec.paramKind) ? spec.paramKind : undefined;
  const variables = objects(spec.variables).map((v) => ({ name: str(v.name) ?? '', expression: str(v.expression) ?? '' }));
  const compiler = policyCompiler(variables.map((v) => v.name));
  return {
    name: metadataName(object),
    failurePolicy: spec.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
    paramKind: paramKind === undefined ? undefined : parseParamKind(str(paramKind.apiVersion) ?? '', str(paramKind.kind) ?? ''),
    matchConstraints: isJsonObject(spec.matchConstraints) ? parseMatchResources(spec.matchConstraints) : undefined,
    matchConditions: compileConditions(
      objects(spec.matchConditions).map((c) => ({ name: str(c.name) ?? '', expression: str(c.expression) ?? '' })),
      POLICY_VARIABLES,
      compiler.checker,
    ),
    variables: variables.map((v, i) => ({ ...v, compiled: compiler.variable(i, v.expression) })),
    validations: objects(spec.validations).map((v) => {
      const expression = str(v.expression) ?? '';
      const messageExpression = str(v.messageExpression);
      return {
        expression,
        compiled: compiler.expression(expression, 'bool'),
        message: str(v.message) ?? '',
        messageExpression: messageExpression === undefined || messageExpression === '' ? undefined : { expression: messageExpression, ...compiler.expression(messageExpression, 'string') },
        reason: str(v.reason),
      };
    }),
  };
}

export function parseBinding(object: JsonObject): PolicyBinding {
  const spec = isJsonObject(object.spec) ? object.spec : {};
  const paramRef = isJsonObject(spec.paramRef) ? spec.paramRef : undefined;
  return {
    name: metadataName(object),
    policyName: str(spec.policyName) ?? '',
    paramRef:
      paramRef === undefined
        ? undefined
        : {
            name: str(paramRef.name) ?? '',
            namespace: str(paramRef.namespace) ?? '',
            selector: paramRef.selector === undefined || paramRef.selector === null ? undefined : parseSelector(paramRef.selector),
            parameterNotFoundAction: paramRef.parameterNotFoundAction === 'Allow' ? 'Allow' : 'Deny',
          },
    matchResources: isJsonObject(spec.matchResources) ? parseMatchResources(spec.matchResources) : undefined,
    validationActions: strings(spec.validationActions),
  };
}

/** `apps/v1` → group apps, version v1; `v1` → the core group. */
export function parseParamKind(apiVersion: string, kind: string): ParamKind {
  const slash = apiVersion.indexOf('/');
  return { apiVersion, kind, group: slash < 0 ? '' : apiVersion.slice(0, slash), version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1) };
}

export function parseMatchResources(value: JsonObject): MatchResources {
  return {
    namespaceSelector: parseSelector(value.namespaceSelector),
    objectSelector: parseSelector(value.objectSelector),
    resourceRules: objects(value.resourceRules).map(parseNamedRule),
    excludeResourceRules: objects(value.excludeResourceRules).map(parseNamedRule),
    equivalentPolicy: (str(value.matchPolicy) ?? 'Equivalent') === 'Equivalent',
  };
}

function parseNamedRule(rule: JsonObject): NamedRule {
  return { ...parseRule(rule), resourceNames: strings(rule.resourceNames) };
}
