/**
 * @module
 * The stage engine, pure: given a pod and the stages, which stage applies (kwok's weighted choice
 * among matching stages, pkg/kwok/controllers/stage_controller.go), how long to wait before it
 * fires (delay, jitter, durationFrom), and what it does — the pods/status merge patch it writes, or
 * a delete. No IO and no clock: the pod runner supplies `now`, the node's addresses and the pod's
 * allocated IP, and tests check input pod → output patch.
 *
 * Container statuses follow what the kubelet reports (pkg/kubelet/kubelet_pods.go
 * convertToAPIContainerStatuses): one per container of the spec, restartCount carried over and
 * bumped on a restart, lastState holding how the previous run ended.
 */
import { createHash } from 'node:crypto';
import type { coreV1 } from '../api/types/index.js';
import type { JsonObject, JsonValue } from '../api/json.js';
import { isJsonObject, shallowCopy } from '../api/json.js';
import type { DeepReadonly } from '../client/object.js';
import { evaluatePath, selectorMatches } from './stage-selector.js';
import type { CompiledStage, ContainerStatusTemplate, StageEvent } from './stages.js';
import { formatTime } from '../api/time.js';
import { BoundedMemo } from '../api/bounded-memo.js';

export type PodView = DeepReadonly<coreV1.Pod>;

/** The stage that applies to `pod`: one of those matching, at random by weight; undefined if none. */
export function chooseStage(stages: readonly CompiledStage[], pod: PodView, random: () => number = Math.random): CompiledStage | undefined {
  const matching = stages.filter((s) => selectorMatches(s.selector, pod));
  if (matching.length <= 1) return matching[0];
  const total = matching.reduce((sum, s) => sum + (s.stage.weight ?? 1), 0);
  if (total <= 0) return matching[0];
  let pick = random() * total;
  for (const s of matching) {
    pick -= s.stage.weight ?? 1;
    if (pick < 0) return s;
  }
  return matching[matching.length - 1];
}

/** How long after `now` the stage fires for `pod` (never negative). */
export function stageDelayMs(compiled: CompiledStage, pod: PodView, now: number, random: () => number = Math.random): number {
  const delay = compiled.stage.delay;
  if (delay === undefined) return 0;
  let ms = delay.durationMs;
  const from = compiled.durationFrom === undefined ? undefined : evaluatePath(pod, compiled.durationFrom)[0];
  const fromMs = from === undefined ? undefined : durationFromValue(from, now);
  if (fromMs !== undefined) ms = fromMs;
  else if (delay.jitterDurationMs !== undefined && delay.jitterDurationMs > delay.durationMs) {
    ms = delay.durationMs + random() * (delay.jitterDurationMs - delay.durationMs);
  }
  if (delay.maxDurationMs !== undefined) ms = Math.min(ms, delay.maxDurationMs);
  return Math.max(0, Math.round(ms));
}

/** A durationFrom value in milliseconds: a time (until then), a Go duration string, or seconds. */
export function durationFromValue(value: unknown, now: number): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
  if (typeof value !== 'string') return undefined;
  const duration = parseGoDuration(value);
  if (duration !== undefined) return duration;
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const at = Date.parse(value);
    if (!Number.isNaN(at)) return at - now;
  }
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  return undefined;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration (`1h2m3.5s`, `250ms`), in milliseconds; undefined if it is not one. */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let i = 0;
  while (i < text.length) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (m === null) return undefined;
    total += Number(m[1]) * (DURATION_UNITS[m[2] ?? ''] ?? 0);
    i = re.lastIndex;
  }
  return i === 0 ? undefined : total;
}

export interface StageContext {
  readonly now: number;
  readonly nodeName: string;
  readonly hostIP: string;
  /** The pod's address; required when the stage's patch mentions `${podIP}`. */
  readonly podIP?: string;
}

/** What applying a stage does. */
export interface StageAction {
  /** A merge patch for pods/status; it carries the pod's resourceVersion, so a stale write conflicts. */
  readonly statusPatch?: JsonObject;
  readonly delete: boolean;
  readonly event?: StageEvent;
}

export function stageAction(compiled: CompiledStage, pod: PodView, context: StageContext): StageAction {
  const { next } = compiled.stage;
  const event = next.event === undefined ? {} : { event: next.event };
  if (next.delete === true) return { delete: true, ...event };
  if (next.statusPatch === undefined && next.containers === undefined && next.initContainers === undefined) return { delete: false, ...event };
  if (compiled.needsPodIP && context.podIP === undefined) throw new Error(`stage ${compiled.stage.name} needs a pod IP`);
  const now = formatTime(context.now);
  const vars: Readonly<Record<string, string>> = { now, nodeName: context.nodeName, hostIP: context.hostIP, podIP: context.podIP ?? '' };
  const substituted = substitute(next.statusPatch ?? {}, vars);
  const status: JsonObject = {};
  const current = (pod.status ?? {}) as DeepReadonly<JsonObject>;
  for (const [key, value] of Object.entries(isJsonObject(substituted) ? substituted : {})) {
    if (key === 'conditions' && Array.isArray(value)) status.conditions = mergeConditions(current.conditions, value, now);
    else status[key] = value;
  }
  const seed = pod.metadata?.uid ?? `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
  if (next.containers !== undefined) {
    status.containerStatuses = containerStatuses(pod.spec?.containers ?? [], current.containerStatuses, next.containers, now, seed);
  }
  if (next.initContainers !== undefined && (pod.spec?.initContainers?.length ?? 0) > 0) {
    status.initContainerStatuses = containerStatuses(pod.spec?.initContainers ?? [], current.initContainerStatuses, next.initContainers, now, seed);
  }
  const resourceVersion = pod.metadata?.resourceVersion;
  return {
    // Literals, not a spread with a field added after it: V8 11 gives such an object a map of its own.
    statusPatch: resourceVersion === undefined ? { status } : { metadata: { resourceVersion }, status },
    delete: false,
    ...event,
  };
}

/**
 * The template with `${name}` replaced by `vars[name]`. Parts with nothing to replace are the
 * template's own, shared rather than copied: the patch they end up in is only serialized.
 */
function substitute(value: JsonValue, vars: Readonly<Record<string, string>>): JsonValue {
  if (typeof value === 'string') return value.includes('${') ? value.replace(/\$\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole) : value;
  if (Array.isArray(value)) {
    let copy: JsonValue[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i] as JsonValue;
      const replaced = substitute(item, vars);
      if (replaced !== item) (copy ??= value.slice())[i] = replaced;
    }
    return copy ?? value;
  }
  if (isJsonObject(value)) {
    let copy: JsonObject | undefined;
    for (const key of Object.keys(value)) {
      const item = value[key] as JsonValue;
      const replaced = substitute(item, vars);
      if (replaced !== item) (copy ??= { ...value })[key] = replaced;
    }
    return copy ?? value;
  }
  return value;
}

/**
 * Conditions merged by type: a given type replaces the existing one (keeping its lastTransitionTime
 * when the status did not change), others stay, new types are appended.
 */
function mergeConditions(existing: DeepReadonly<JsonValue> | undefined, patch: readonly JsonValue[], now: string): JsonValue[] {
  const result: JsonObject[] = Array.isArray(existing) ? (existing as readonly JsonValue[]).filter(isJsonObject).map((c) => ({ ...c })) : [];
  for (const item of patch) {
    if (!isJsonObject(item) || typeof item.type !== 'string') continue;
    const index = result.findIndex((c) => c.type === item.type);
    const before = index < 0 ? undefined : result[index];
    const changed = before === undefined || before.status !== item.status;
    // Not a spread with the two times added after it: see shallowCopy.
    const condition = shallowCopy(item);
    condition.lastProbeTime = null;
    condition.lastTransitionTime = changed ? now : (before.lastTransitionTime ?? now);
    if (index < 0) result.push(condition);
    else result[index] = condition;
  }
  return result;
}

interface ContainerSpecLike {
  readonly name: string;
  readonly image?: string;
}

function containerStatuses(
  specs: readonly ContainerSpecLike[],
  existing: DeepReadonly<JsonValue> | undefined,
  template: ContainerStatusTemplate,
  now: string,
  seed: string,
): JsonObject[] {
  const previous = new Map<string, JsonObject>();
  if (Array.isArray(existing)) {
    for (const s of existing as readonly JsonValue[]) if (isJsonObject(s) && typeof s.name === 'string') previous.set(s.name, s);
  }
  return specs.map((spec) => {
    const before = previous.get(spec.name);
    const restartCount = (typeof before?.restartCount === 'number' ? before.restartCount : 0) + (template.restart === undefined ? 0 : 1);
    const beforeState = isJsonObject(before?.state) ? before.state : {};
    const running = isJsonObject(beforeState.running) ? beforeState.running : undefined;
    const startedAt = typeof running?.startedAt === 'string' ? running.startedAt : now;
    const containerID = `kubelite://${hex(`${seed}/${spec.name}/${restartCount}`)}`;
    const image = spec.image ?? '';
    let lastState: JsonValue = isJsonObject(before?.lastState) ? before.lastState : {};
    if (template.restart !== undefined) {
      lastState = {
        terminated: {
          exitCode: template.restart.exitCode,
          reason: template.restart.reason,
          startedAt,
          finishedAt: now,
          ...(typeof before?.containerID === 'string' ? { containerID: before.containerID } : {}),
        },
      };
    }
    return {
      name: spec.name,
      image,
      imageID: imageIdOf(image),
      containerID,
      ready: template.ready ?? template.state === 'running',
      started: template.started ?? template.state === 'running',
      restartCount,
      state: containerState(template, now, startedAt, containerID),
      lastState,
    };
  });
}

function containerState(template: ContainerStatusTemplate, now: string, startedAt: string, containerID: string): JsonObject {
  const reason = template.reason === undefined ? {} : { reason: template.reason };
  const message = template.message === undefined ? {} : { message: template.message };
  switch (template.state) {
    case 'running':
      return { running: { startedAt: now } };
    case 'waiting':
      return { waiting: { ...reason, ...message } };
    case 'terminated':
      return { terminated: { exitCode: template.exitCode ?? 0, ...reason, ...message, startedAt, finishedAt: now, containerID } };
    default: {
      const never: never = template.state;
      throw new Error(`unknown container state ${String(never)}`);
    }
  }
}

/** Image IDs by image: pods share a few images, and each ID is a hash. */
const imageIds = new BoundedMemo<string, string>(1024, (image) => `${image.split('@')[0] ?? image}@sha256:${hex(image)}`);

function imageIdOf(image: string): string {
  return imageIds.get(image);
}

function hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
