/**
 * @module
 * The stage model: how a simulated kubelet moves pods through their lifecycle, as data (STYLE.md
 * rule 15), after kwok's Stage (kwok.x-k8s.io/v1alpha1, site/content/en/docs/user/
 * stages-configuration.md). A stage has a selector (which pods it applies to), a delay (how long
 * after a pod starts matching it fires) and `next` (what it does then: a status change, a delete, an
 * event). Stages chain by one stage's selector matching the status the previous one wrote; a stage
 * whose selector still matches after it applied fires again (that is how a crash loop keeps
 * counting restarts).
 *
 * A YAML file can replace the defaults: a list of stages, `{ stages: [...] }`, or one kwok-style
 * document per stage (`kind: Stage`, `metadata.name`, `spec: { selector, delay, next }`). The
 * file is validated as a whole and every problem is reported with its path.
 */
import { parseAllDocuments } from 'yaml';
import type { JsonObject } from '../api/json.js';
import { isJsonObject } from '../api/json.js';
import { type CompiledSelector, type StageSelector, PathSyntaxError, STAGE_OPERATORS, type StageOperator, compileSelector, parsePath, type ObjectPath } from './stage-selector.js';

export interface StageDelay {
  /** Wait at least this long after the pod starts matching. */
  readonly durationMs: number;
  /**
   * kwok's meaning: the upper bound of the delay. The delay is chosen uniformly between `durationMs`
   * and `jitterDurationMs`; absent or not above `durationMs`, there is no jitter.
   */
  readonly jitterDurationMs?: number;
  /**
   * A path whose value, when the pod has one, replaces `durationMs` (and disables jitter): an RFC
   * 3339 time means "until then" (`.metadata.deletionTimestamp`), a duration string (`1m30s`,
   * `250ms`) that long, and a number that many seconds.
   */
  readonly durationFrom?: string;
  /** A cap on the delay, whatever the above give. */
  readonly maxDurationMs?: number;
}

export type ContainerState = 'waiting' | 'running' | 'terminated';

/** How a stage sets the status of every container of one list (containers or init containers). */
export interface ContainerStatusTemplate {
  readonly state: ContainerState;
  readonly ready?: boolean;
  readonly started?: boolean;
  /** The waiting or terminated reason (`CrashLoopBackOff`, `Completed`). */
  readonly reason?: string;
  readonly message?: string;
  /** For `terminated`. @defaultValue 0 */
  readonly exitCode?: number;
  /** The container died and restarts: restartCount goes up and lastState records how it ended. */
  readonly restart?: { readonly exitCode: number; readonly reason: string };
}

export interface StageEvent {
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
}

export interface StageNext {
  /**
   * Merged into the pod's status. Strings may hold `${now}`, `${podIP}` (which allocates the pod an
   * address from its node's pod CIDR), `${hostIP}` and `${nodeName}`. `conditions` merge by type.
   */
  readonly statusPatch?: JsonObject;
  readonly containers?: ContainerStatusTemplate;
  readonly initContainers?: ContainerStatusTemplate;
  /** Delete the pod for good (grace period 0), as the kubelet does once its containers are gone. */
  readonly delete?: boolean;
  readonly event?: StageEvent;
}

export interface Stage {
  readonly name: string;
  readonly selector: StageSelector;
  /** Among stages matching a pod, one is chosen at random by weight. @defaultValue 1 */
  readonly weight?: number;
  readonly delay?: StageDelay;
  readonly next: StageNext;
}

/** A stage with its paths parsed, ready to evaluate. */
export interface CompiledStage {
  readonly stage: Stage;
  readonly selector: CompiledSelector;
  readonly durationFrom: ObjectPath | undefined;
  /** Whether applying it needs a pod IP (its patch mentions `${podIP}`). */
  readonly needsPodIP: boolean;
}

export function compileStages(stages: readonly Stage[]): CompiledStage[] {
  return stages.map((stage) => ({
    stage,
    selector: compileSelector(stage.selector),
    durationFrom: stage.delay?.durationFrom === undefined ? undefined : parsePath(stage.delay.durationFrom),
    needsPodIP: JSON.stringify(stage.next.statusPatch ?? {}).includes('${podIP}'),
  }));
}

export class StageValidationError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`invalid stages:\n  ${issues.join('\n  ')}`);
    this.name = 'StageValidationError';
  }
}

/** Parses a YAML stages file; throws {@link StageValidationError} listing every problem. */
export function parseStagesYaml(text: string): Stage[] {
  const issues: string[] = [];
  const raw: unknown[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      issues.push(...document.errors.map((e) => `yaml: ${e.message}`));
      continue;
    }
    const value: unknown = document.toJSON();
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) raw.push(...(value as unknown[]));
    else if (isJsonObject(value) && Array.isArray(value.stages)) raw.push(...value.stages);
    else raw.push(value);
  }
  if (issues.length > 0) throw new StageValidationError(issues);
  const result = validateStages(raw);
  if (!result.ok) throw new StageValidationError(result.issues);
  return result.stages;
}

export type StagesValidation = { readonly ok: true; readonly stages: Stage[] } | { readonly ok: false; readonly issues: string[] };

/** Checks decoded stages (plain or kwok-style) field by field; issues name the field, `stages[2].delay.durationMs`. */
export function validateStages(raw: readonly unknown[]): StagesValidation {
  const issues: string[] = [];
  const stages: Stage[] = [];
  const names = new Set<string>();
  raw.forEach((item, index) => {
    const at = `stages[${index}]`;
    const name = nameOf(item);
    if (name !== undefined && names.has(name)) issues.push(`${at}.name: duplicate stage name ${JSON.stringify(name)}`);
    if (name !== undefined) names.add(name);
    const stage = validateStage(item, at, issues);
    if (stage !== undefined) stages.push(stage);
  });
  if (raw.length === 0) issues.push('stages: at least one stage is required');
  return issues.length === 0 ? { ok: true, stages } : { ok: false, issues };
}

/** The name of a plain or kwok-style stage, if it has one. */
function nameOf(item: unknown): string | undefined {
  if (!isJsonObject(item)) return undefined;
  const name = isJsonObject(item.spec) && isJsonObject(item.metadata) ? item.metadata.name : item.name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

function validateStage(item: unknown, at: string, issues: string[]): Stage | undefined {
  if (!isJsonObject(item)) {
    issues.push(`${at}: must be an object`);
    return undefined;
  }
  // kwok style: { kind: Stage, metadata: { name }, spec: { selector, delay, next } }.
  const kwokStyle = isJsonObject(item.spec);
  const body: JsonObject = kwokStyle && isJsonObject(item.spec) ? item.spec : item;
  const name = kwokStyle && isJsonObject(item.metadata) ? item.metadata.name : item.name;
  const before = issues.length;
  if (typeof name !== 'string' || name === '') issues.push(`${at}.${kwokStyle ? 'metadata.' : ''}name: required, a non-empty string`);
  const selector = validateSelector(body.selector, `${at}.selector`, issues);
  const delay = body.delay === undefined ? undefined : validateDelay(body.delay, `${at}.delay`, issues);
  const next = validateNext(body.next, `${at}.next`, issues);
  const weight = body.weight;
  if (weight !== undefined && (typeof weight !== 'number' || !(weight >= 0))) issues.push(`${at}.weight: must be a non-negative number`);
  if (issues.length > before || typeof name !== 'string') return undefined;
  return {
    name,
    selector,
    next,
    ...(delay === undefined ? {} : { delay }),
    ...(typeof weight === 'number' ? { weight } : {}),
  };
}

function validateSelector(value: unknown, at: string, issues: string[]): StageSelector {
  if (value === undefined) return {};
  if (!isJsonObject(value)) {
    issues.push(`${at}: must be an object`);
    return {};
  }
  const matchLabels = stringMap(value.matchLabels, `${at}.matchLabels`, issues);
  const matchAnnotations = stringMap(value.matchAnnotations, `${at}.matchAnnotations`, issues);
  const expressions: { key: string; operator: StageOperator; values?: string[] }[] = [];
  if (value.matchExpressions !== undefined && !Array.isArray(value.matchExpressions)) issues.push(`${at}.matchExpressions: must be a list`);
  const list = Array.isArray(value.matchExpressions) ? value.matchExpressions : [];
  list.forEach((expression, i) => {
    const here = `${at}.matchExpressions[${i}]`;
    if (!isJsonObject(expression)) {
      issues.push(`${here}: must be an object`);
      return;
    }
    const { key, operator, values } = expression;
    if (typeof key !== 'string') issues.push(`${here}.key: required, a path such as .status.phase`);
    else {
      try {
        parsePath(key);
      } catch (error) {
        if (!(error instanceof PathSyntaxError)) throw error;
        issues.push(`${here}.key: ${error.message}`);
      }
    }
    if (typeof operator !== 'string' || !STAGE_OPERATORS.includes(operator as StageOperator)) {
      issues.push(`${here}.operator: must be one of ${STAGE_OPERATORS.join(', ')}`);
      return;
    }
    const needsValues = operator === 'In' || operator === 'NotIn';
    const okValues = Array.isArray(values) && values.every((v) => typeof v === 'string');
    if (needsValues && (!okValues || values.length === 0)) issues.push(`${here}.values: ${operator} needs a non-empty list of strings`);
    if (!needsValues && values !== undefined) issues.push(`${here}.values: ${operator} takes no values`);
    if (typeof key === 'string') expressions.push({ key, operator: operator as StageOperator, ...(okValues ? { values: values as string[] } : {}) });
  });
  return {
    ...(matchLabels === undefined ? {} : { matchLabels }),
    ...(matchAnnotations === undefined ? {} : { matchAnnotations }),
    ...(expressions.length === 0 ? {} : { matchExpressions: expressions }),
  };
}

function stringMap(value: unknown, at: string, issues: string[]): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isJsonObject(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    issues.push(`${at}: must be a map of strings`);
    return undefined;
  }
  return value as Record<string, string>;
}

function validateDelay(value: unknown, at: string, issues: string[]): StageDelay | undefined {
  if (!isJsonObject(value)) {
    issues.push(`${at}: must be an object`);
    return undefined;
  }
  const ms = (key: string): number | undefined => {
    const v = value[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) issues.push(`${at}.${key}: must be a non-negative number of milliseconds`);
    return typeof v === 'number' ? v : undefined;
  };
  const durationMs = ms('durationMs') ?? 0;
  const jitterDurationMs = ms('jitterDurationMs');
  const maxDurationMs = ms('maxDurationMs');
  const durationFrom = value.durationFrom;
  if (durationFrom !== undefined) {
    if (typeof durationFrom !== 'string') issues.push(`${at}.durationFrom: must be a path such as .metadata.deletionTimestamp`);
    else {
      try {
        parsePath(durationFrom);
      } catch (error) {
        if (!(error instanceof PathSyntaxError)) throw error;
        issues.push(`${at}.durationFrom: ${error.message}`);
      }
    }
  }
  for (const key of Object.keys(value)) {
    if (!['durationMs', 'jitterDurationMs', 'maxDurationMs', 'durationFrom'].includes(key)) issues.push(`${at}.${key}: unknown field`);
  }
  return {
    durationMs,
    ...(jitterDurationMs === undefined ? {} : { jitterDurationMs }),
    ...(maxDurationMs === undefined ? {} : { maxDurationMs }),
    ...(typeof durationFrom === 'string' ? { durationFrom } : {}),
  };
}

function validateNext(value: unknown, at: string, issues: string[]): StageNext {
  if (!isJsonObject(value)) {
    issues.push(`${at}: required, an object with statusPatch, containers, initContainers, delete or event`);
    return {};
  }
  const { statusPatch, containers, initContainers, event } = value;
  const remove = value.delete;
  if (statusPatch !== undefined && !isJsonObject(statusPatch)) issues.push(`${at}.statusPatch: must be an object`);
  if (remove !== undefined && typeof remove !== 'boolean') issues.push(`${at}.delete: must be true or false`);
  const c = containers === undefined ? undefined : validateContainers(containers, `${at}.containers`, issues);
  const ic = initContainers === undefined ? undefined : validateContainers(initContainers, `${at}.initContainers`, issues);
  let e: StageEvent | undefined;
  if (event !== undefined) {
    if (!isJsonObject(event) || (event.type !== 'Normal' && event.type !== 'Warning') || typeof event.reason !== 'string' || typeof event.message !== 'string') {
      issues.push(`${at}.event: needs type (Normal or Warning), reason and message`);
    } else e = { type: event.type, reason: event.reason, message: event.message };
  }
  for (const key of Object.keys(value)) {
    if (!['statusPatch', 'containers', 'initContainers', 'delete', 'event'].includes(key)) issues.push(`${at}.${key}: unknown field`);
  }
  if (remove === true && (statusPatch !== undefined || containers !== undefined || initContainers !== undefined)) {
    issues.push(`${at}: delete cannot be combined with a status change`);
  }
  return {
    ...(isJsonObject(statusPatch) ? { statusPatch } : {}),
    ...(c === undefined ? {} : { containers: c }),
    ...(ic === undefined ? {} : { initContainers: ic }),
    ...(remove === true ? { delete: true } : {}),
    ...(e === undefined ? {} : { event: e }),
  };
}

function validateContainers(value: unknown, at: string, issues: string[]): ContainerStatusTemplate | undefined {
  if (!isJsonObject(value)) {
    issues.push(`${at}: must be an object`);
    return undefined;
  }
  const { state, ready, started, reason, message, exitCode, restart } = value;
  const before = issues.length;
  if (state !== 'waiting' && state !== 'running' && state !== 'terminated') issues.push(`${at}.state: must be waiting, running or terminated`);
  if (ready !== undefined && typeof ready !== 'boolean') issues.push(`${at}.ready: must be true or false`);
  if (started !== undefined && typeof started !== 'boolean') issues.push(`${at}.started: must be true or false`);
  if (reason !== undefined && typeof reason !== 'string') issues.push(`${at}.reason: must be a string`);
  if (message !== undefined && typeof message !== 'string') issues.push(`${at}.message: must be a string`);
  if (exitCode !== undefined && !Number.isInteger(exitCode)) issues.push(`${at}.exitCode: must be an integer`);
  if (restart !== undefined && (!isJsonObject(restart) || !Number.isInteger(restart.exitCode) || typeof restart.reason !== 'string')) {
    issues.push(`${at}.restart: needs exitCode (an integer) and reason`);
  }
  if (issues.length > before) return undefined;
  return value as unknown as ContainerStatusTemplate;
}
