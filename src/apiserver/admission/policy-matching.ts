/**
 * @module
 * Whether a ValidatingAdmissionPolicy's matchConstraints, or its binding's matchResources, select a
 * request (k8s.io/apiserver pkg/admission/plugin/policy/matching/matching.go Matches and
 * matchesResourceRules): excluded rules win; no resourceRules selects everything (a binding without
 * rules narrows nothing); a rule with resourceNames covers only those names; then the namespace and
 * object selectors, reusing the webhooks' predicates in rules.ts. A selector that does not parse, or
 * a namespace that does not exist, is an error of the policy (its failurePolicy decides).
 */
import type { Labels } from '../../api/labels.js';
import type { AdmissionAttributes } from './attributes.js';
import type { MatchResources, NamedRule } from './policy.js';
import { namespaceObjectLabels, namespaceSelectorApplies, objectSelectorMatches, ruleMatches } from './rules.js';

export type MatchOutcome = boolean | { readonly error: string };

/**
 * Rules only: synchronous and cheap, so the plugin can rule a policy or binding out before anything
 * that awaits (a namespace lookup). Requests reach the plugin at all only while a binding exists.
 */
export function rulesSelect(resources: MatchResources, attributes: AdmissionAttributes): boolean {
  if (namedRulesMatch(resources.excludeResourceRules, attributes)) return false;
  return resources.resourceRules.length === 0 || namedRulesMatch(resources.resourceRules, attributes);
}

export function namedRulesMatch(rules: readonly NamedRule[], attributes: AdmissionAttributes): boolean {
  return rules.some((rule) => ruleMatches(rule, attributes) && (rule.resourceNames.length === 0 || rule.resourceNames.includes(attributes.name)));
}

/** Rules, then the namespace selector (labels fetched only when needed), then the object selector. */
export async function matchResources(
  resources: MatchResources,
  attributes: AdmissionAttributes,
  namespaceLabels: () => Promise<Labels | undefined>,
): Promise<MatchOutcome> {
  if (!rulesSelect(resources, attributes)) return false;
  if (namespaceSelectorApplies(attributes)) {
    const selector = resources.namespaceSelector;
    if (!selector.ok) return { error: `invalid namespaceSelector: ${selector.error}` };
    if (!selector.selector.empty) {
      const labels = namespaceObjectLabels(attributes) ?? (await namespaceLabels());
      if (labels === undefined) return { error: `namespaces ${JSON.stringify(attributes.namespace)} not found` };
      if (!selector.selector.matches(labels)) return false;
    }
  }
  const object = objectSelectorMatches(resources.objectSelector, attributes);
  if (typeof object === 'string') return { error: `invalid objectSelector: ${object}` };
  return object;
}
