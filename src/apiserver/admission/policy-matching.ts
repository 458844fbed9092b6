/**
 * @module
 * Whether a ValidatingAdmissionPolicy's matchConstraints, or its binding's matchResources, select a
 * request (k8s.io/apiserver pkg/admission/plugin/policy/matching/matching.go Matches and
 * matchesResourceRules): excluded rules win; no resourceRules selects everything (a binding without
 * rules narrows nothing); a rule with resourceNames covers only those names; then the namespace and
 * object selectors, reusing the webhooks' predicates in rules.ts. A selector that does not parse, or
 * a namespace that does not exist, is an error of the policy (its failurePolicy decides). Under
 * matchPolicy Equivalent (the default) rules also match the request's equivalent versions
 * (equivalent.ts); a rule's resourceNames are honoured there too (upstream's equivalent pass skips
 * them, which would let a named rule select every object of another version).
 */
import type { Labels } from '../../api/labels.js';
import type { AdmissionAttributes } from './attributes.js';
import { type EquivalentResourceMapper, matchingAttributes } from './equivalent.js';
import type { MatchResources, NamedRule } from './policy.js';
import { namespaceObjectLabels, namespaceSelectorApplies, objectSelectorMatches, ruleMatches } from './rules.js';

export type MatchOutcome = boolean | { readonly error: string };

/**
 * Rules only: synchronous and cheap, so the plugin can rule a policy or binding out before anything
 * that awaits (a namespace lookup). Requests reach the plugin at all only while a binding exists.
 * Returns the request as the policy sees it — its own attributes, or under matchPolicy Equivalent
 * the request in the version a rule matched (the policy's `object` and `request.kind` are that
 * version's) — or undefined when the rules do not select it. Excluded rules match equivalents too.
 */
export function rulesSelect(resources: MatchResources, attributes: AdmissionAttributes, equivalents: EquivalentResourceMapper): AdmissionAttributes | undefined {
  if (matchingAttributes(resources.excludeResourceRules, resources.equivalentPolicy, attributes, equivalents, namedRuleMatches) !== undefined) return undefined;
  if (resources.resourceRules.length === 0) return attributes;
  return matchingAttributes(resources.resourceRules, resources.equivalentPolicy, attributes, equivalents, namedRuleMatches);
}

/** A rule with resourceNames covers only those names. */
export function namedRuleMatches(rule: NamedRule, attributes: AdmissionAttributes): boolean {
  return ruleMatches(rule, attributes) && (rule.resourceNames.length === 0 || rule.resourceNames.includes(attributes.name));
}

/**
 * The namespace selector (labels fetched only when needed), then the object selector: the rest of
 * matching, once {@link rulesSelect} selected the request.
 */
export async function selectorsMatch(
  resources: MatchResources,
  attributes: AdmissionAttributes,
  namespaceLabels: () => Promise<Labels | undefined>,
): Promise<MatchOutcome> {
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
