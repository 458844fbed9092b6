/**
 * @module
 * Priority admission for pods (plugin/pkg/admission/priority/admission.go admitPod). On create, a
 * pod's priority comes from its PriorityClass: a pod naming none gets the global default class (its
 * name, value and preemption policy) or, without one, priority 0 and PreemptLowerPriority; a named
 * class must exist; a priority or preemption policy the pod already has must agree with the class.
 * On update the pod keeps what admission gave it at creation (validation forbids changing it).
 * Writes to subresources (status, binding, …) are not its business.
 */
import type { JsonObject } from '../../api/json.js';
import { forbidden } from '../../api/status.js';
import type { HookContext } from '../registry/resource-definition.js';
import { nameOf } from './configmaps.js';
import { ensureObject, metaOf, present, specOf, stringAt } from './pod-json.js';
import { PREEMPT_LOWER_PRIORITY, type PriorityClassLister, defaultPriorityClass, priorityClassLister, valueOf } from './priorityclasses.js';

/** DefaultPriorityWhenNoDefaultClassExists. */
const DEFAULT_PRIORITY = 0;

/** What admission decided: the pod is changed in place and admitted, or refused with this message. */
export type PriorityDecision = { readonly allowed: true } | { readonly allowed: false; readonly message: string };

const ALLOWED: PriorityDecision = { allowed: true };

/**
 * admitPod: resolves (on create) or keeps (on update) the pod's priority and preemption policy,
 * changing `pod` in place. A refusal leaves the pod as it may have been half-changed; the request fails.
 */
export function admitPodPriority(pod: JsonObject, old: JsonObject | undefined, classes: PriorityClassLister): PriorityDecision {
  const spec = ensureObject(pod, 'spec');
  if (old !== undefined) {
    const oldSpec = specOf(old);
    if (!present(spec, 'priority') && present(oldSpec, 'priority')) spec.priority = oldSpec.priority ?? null;
    if (!present(spec, 'preemptionPolicy') && present(oldSpec, 'preemptionPolicy')) spec.preemptionPolicy = oldSpec.preemptionPolicy ?? null;
    return ALLOWED;
  }
  let priority: number;
  let preemptionPolicy: string;
  const className = stringAt(spec, 'priorityClassName');
  if (className === '') {
    const globalDefault = defaultPriorityClass(classes.list());
    if (globalDefault === undefined) {
      priority = DEFAULT_PRIORITY;
      preemptionPolicy = PREEMPT_LOWER_PRIORITY;
    } else {
      spec.priorityClassName = nameOf(globalDefault);
      priority = valueOf(globalDefault);
      preemptionPolicy = stringAt(globalDefault, 'preemptionPolicy');
    }
  } else {
    const pc = classes.get(className);
    if (pc === undefined) return { allowed: false, message: `no PriorityClass with name ${className} was found` };
    priority = valueOf(pc);
    preemptionPolicy = stringAt(pc, 'preemptionPolicy');
  }
  const given = spec.priority;
  if (typeof given === 'number' && given !== priority) {
    return {
      allowed: false,
      message: `the integer value of priority (${given}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
    };
  }
  spec.priority = priority;
  // A class always has a policy once defaulted; one stored without it leaves the pod's alone.
  if (preemptionPolicy !== '') {
    const givenPolicy = stringAt(spec, 'preemptionPolicy');
    if (givenPolicy !== '' && givenPolicy !== preemptionPolicy) {
      return {
        allowed: false,
        message: `the string value of PreemptionPolicy (${givenPolicy}) must not be provided in pod spec; priority admission controller computed ${preemptionPolicy} from the given PriorityClass name`,
      };
    }
    spec.preemptionPolicy = preemptionPolicy;
  }
  return ALLOWED;
}

/**
 * The pods' `admit` hook: the decision above over the served PriorityClasses, refusals as 403. The
 * classes are read from the watch cache as it is, as upstream reads its lister (pod creation is hot;
 * a global default created a moment ago may not apply yet); only a named class the cache lacks is
 * looked for again after a consistent read, so one created just before the pod is found.
 */
export async function admitPodPriorityHook(pod: JsonObject, old: JsonObject | undefined, context: HookContext): Promise<void> {
  if (context.subresource !== undefined) return;
  let classes: PriorityClassLister = { get: () => undefined, list: () => [] };
  if (old === undefined) {
    // An update only copies from the old pod: it needs no classes.
    classes = await priorityClassLister(context.lookup, 'cached');
    const className = stringAt(specOf(pod), 'priorityClassName');
    if (className !== '' && classes.get(className) === undefined) classes = await priorityClassLister(context.lookup, 'consistent');
  }
  const decision = admitPodPriority(pod, old, classes);
  if (!decision.allowed) throw forbidden({ group: '', resource: 'pods' }, admissionName(pod), decision.message);
}

/** The name admission.NewForbidden reports: the pod's name, its generateName before one is made, or Unknown. */
function admissionName(pod: JsonObject): string {
  const meta = metaOf(pod);
  return stringAt(meta, 'name') || stringAt(meta, 'generateName') || 'Unknown';
}
