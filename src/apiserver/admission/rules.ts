/**
 * @module
 * Which webhooks a request is sent to: rules (operations, API groups and versions, resources with
 * their `*`, `*\/*`, `pods/*` and `*\/status` forms, scope), the namespace selector and the object
 * selector. Pure functions, after k8s.io/apiserver pkg/admission/plugin/webhook/predicates/rules
 * (rules.go Matcher), predicates/namespace (matcher.go MatchNamespaceSelector) and predicates/object
 * (matcher.go MatchObjectSelector). These match the request's own group, version and resource;
 * matchPolicy Equivalent (a CRD's other served versions, over the same storage) is tried on top of
 * them in equivalent.ts.
 */
import type { JsonObject } from '../../api/json.js';
import type { Labels } from '../../api/labels.js';
import { labelsOf } from '../registry/object-meta.js';
import type { AdmissionAttributes } from './attributes.js';
import type { ParsedSelector, WebhookRule } from './webhook.js';

/** Whether one rule covers the request (rules.go Matcher.Matches). */
export function ruleMatches(rule: WebhookRule, attributes: AdmissionAttributes): boolean {
  return (
    matchesOne(rule.operations, attributes.operation) &&
    matchesOne(rule.apiGroups, attributes.group) &&
    matchesOne(rule.apiVersions, attributes.version) &&
    resourceMatches(rule.resources, attributes.resource, attributes.subresource) &&
    scopeMatches(rule.scope, attributes)
  );
}

export function rulesMatch(rules: readonly WebhookRule[], attributes: AdmissionAttributes): boolean {
  return rules.some((rule) => ruleMatches(rule, attributes));
}

function matchesOne(values: readonly string[], value: string): boolean {
  return values.some((candidate) => candidate === '*' || candidate === value);
}

/**
 * `res/sub` matches when each half is `*` or equal; a rule without a subresource has sub '' (so `*`
 * and `pods` match only main resources, while `pods/*` matches pods and all its subresources).
 */
export function resourceMatches(resources: readonly string[], resource: string, subresource: string): boolean {
  for (const entry of resources) {
    const slash = entry.indexOf('/');
    const res = slash < 0 ? entry : entry.slice(0, slash);
    const sub = slash < 0 ? '' : entry.slice(slash + 1);
    if ((res === '*' || res === resource) && (sub === '*' || sub === subresource)) return true;
  }
  return false;
}

/** Namespaces are cluster-scoped even though their requests carry their own name as namespace. */
function scopeMatches(scope: string, attributes: AdmissionAttributes): boolean {
  const isNamespace = attributes.group === '' && attributes.resource === 'namespaces';
  switch (scope) {
    case 'Namespaced':
      return !isNamespace && attributes.namespace !== '';
    case 'Cluster':
      return isNamespace || attributes.namespace === '';
    default:
      return true;
  }
}

/**
 * Whether the request is exempt from the namespace selector: a cluster-scoped object other than a
 * namespace is never excluded by it.
 */
export function namespaceSelectorApplies(attributes: AdmissionAttributes): boolean {
  return attributes.namespace !== '' || (attributes.group === '' && attributes.resource === 'namespaces');
}

/** The labels a namespace selector is matched against when the request is about a Namespace itself. */
export function namespaceObjectLabels(attributes: AdmissionAttributes): Labels | undefined {
  if (!(attributes.group === '' && attributes.resource === 'namespaces')) return undefined;
  return labelsOf(attributes.object ?? attributes.oldObject);
}

/** MatchObjectSelector: the new object's labels or the old object's; an empty selector always matches. */
export function objectSelectorMatches(selector: ParsedSelector, attributes: AdmissionAttributes): boolean | string {
  if (!selector.ok) return selector.error;
  if (selector.selector.empty) return true;
  const matches = (object: JsonObject | undefined): boolean => object !== undefined && selector.selector.matches(labelsOf(object));
  return matches(attributes.object) || matches(attributes.oldObject);
}

/**
 * The configurations webhooks never see, so a broken webhook can always be removed
 * (rules.IsExemptAdmissionConfigurationResource).
 */
export function isExemptResource(group: string, resource: string): boolean {
  return (
    group === 'admissionregistration.k8s.io' &&
    (resource === 'validatingwebhookconfigurations' ||
      resource === 'mutatingwebhookconfigurations' ||
      resource === 'validatingadmissionpolicies' ||
      resource === 'validatingadmissionpolicybindings' ||
      resource === 'mutatingadmissionpolicies' ||
      resource === 'mutatingadmissionpolicybindings')
  );
}
