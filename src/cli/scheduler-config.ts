/**
 * @module
 * `kubelite scheduler --config FILE` (and `kubelite up --scheduler-config FILE`): a
 * KubeSchedulerConfiguration as kube-scheduler's `--config` reads it
 * (kubescheduler.config.k8s.io/v1, staging/src/k8s.io/kube-scheduler/config/v1/types.go), for the
 * parts kubelite's scheduler has: `percentageOfNodesToScore`, `podInitialBackoffSeconds`,
 * `podMaxBackoffSeconds`, one profile's `schedulerName`, and `extenders` (urlPrefix, filterVerb,
 * prioritizeVerb, weight, nodeCacheCapable, ignorable, managedResources, httpTimeout, enableHTTPS).
 *
 * Everything else kube-scheduler takes — plugins and pluginConfig, preempt and bind verbs, TLS
 * settings, leaderElection (kubelite has flags for it), client connection — is refused with its
 * path, never ignored: a configuration that seems to apply but does not is worse than an error.
 * Every problem in the file is reported at once.
 */
import { parse } from 'yaml';
import { type JsonObject, isJsonObject } from '../api/json.js';
import type { ExtenderConfig } from '../controllers/scheduler/extender.js';
import { parseDuration } from './duration.js';

export const SCHEDULER_CONFIG_API_VERSION = 'kubescheduler.config.k8s.io/v1';

/** What of a KubeSchedulerConfiguration the scheduler applies. */
export interface SchedulerConfig {
  readonly schedulerName?: string;
  /** 0 is adaptive, as upstream. */
  readonly percentageOfNodesToScore?: number;
  readonly podInitialBackoffMs?: number;
  readonly podMaxBackoffMs?: number;
  readonly extenders: readonly ExtenderConfig[];
}

const TOP_FIELDS = new Set(['apiVersion', 'kind', 'percentageOfNodesToScore', 'podInitialBackoffSeconds', 'podMaxBackoffSeconds', 'profiles', 'extenders']);
const PROFILE_FIELDS = new Set(['schedulerName']);
const EXTENDER_FIELDS = new Set(['urlPrefix', 'filterVerb', 'prioritizeVerb', 'weight', 'nodeCacheCapable', 'ignorable', 'managedResources', 'httpTimeout', 'enableHTTPS']);
const MANAGED_RESOURCE_FIELDS = new Set(['name', 'ignoredByScheduler']);

/** Parses the YAML (or JSON) text of a KubeSchedulerConfiguration; throws an Error listing every problem. */
export function parseSchedulerConfig(text: string): SchedulerConfig {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new Error(`the scheduler configuration is not YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const problems: string[] = [];
  const config = readConfig(document, problems);
  if (problems.length > 0) throw new Error(`the scheduler configuration is not usable:\n  ${problems.join('\n  ')}`);
  return config;
}

function readConfig(document: unknown, problems: string[]): SchedulerConfig {
  if (!isJsonObject(document)) {
    problems.push('it must be a KubeSchedulerConfiguration object');
    return { extenders: [] };
  }
  if (document.apiVersion !== SCHEDULER_CONFIG_API_VERSION) problems.push(`apiVersion must be ${SCHEDULER_CONFIG_API_VERSION}, got ${JSON.stringify(document.apiVersion ?? null)}`);
  if (document.kind !== 'KubeSchedulerConfiguration') problems.push(`kind must be KubeSchedulerConfiguration, got ${JSON.stringify(document.kind ?? null)}`);
  unsupported(document, TOP_FIELDS, '', problems);
  const percentage = integer(document, 'percentageOfNodesToScore', '', problems, 0, 100);
  const initialBackoff = integer(document, 'podInitialBackoffSeconds', '', problems, 1);
  const maxBackoff = integer(document, 'podMaxBackoffSeconds', '', problems, 1);
  if (initialBackoff !== undefined && maxBackoff !== undefined && maxBackoff < initialBackoff) {
    problems.push('podMaxBackoffSeconds must be at least podInitialBackoffSeconds');
  }
  const schedulerName = readProfiles(document.profiles, problems);
  const extenders = list(document, 'extenders', '', problems).map((entry, i) => readExtender(entry, `extenders[${i}]`, problems));
  return {
    extenders: extenders.filter((e): e is ExtenderConfig => e !== undefined),
    ...(schedulerName === undefined ? {} : { schedulerName }),
    ...(percentage === undefined ? {} : { percentageOfNodesToScore: percentage }),
    ...(initialBackoff === undefined ? {} : { podInitialBackoffMs: initialBackoff * 1000 }),
    ...(maxBackoff === undefined ? {} : { podMaxBackoffMs: maxBackoff * 1000 }),
  };
}

/** The one profile's schedulerName; kubelite runs one scheduler, so one profile at most. */
function readProfiles(value: unknown, problems: string[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    problems.push('profiles must be a list');
    return undefined;
  }
  if (value.length > 1) problems.push(`profiles: kubelite runs one scheduler profile, got ${value.length}`);
  const profile: unknown = value[0];
  if (profile === undefined) return undefined;
  if (!isJsonObject(profile)) {
    problems.push('profiles[0] must be an object');
    return undefined;
  }
  unsupported(profile, PROFILE_FIELDS, 'profiles[0].', problems);
  return string(profile, 'schedulerName', 'profiles[0].', problems);
}

function readExtender(entry: unknown, path: string, problems: string[]): ExtenderConfig | undefined {
  if (!isJsonObject(entry)) {
    problems.push(`${path} must be an object`);
    return undefined;
  }
  unsupported(entry, EXTENDER_FIELDS, `${path}.`, problems);
  const urlPrefix = string(entry, 'urlPrefix', `${path}.`, problems);
  if (urlPrefix === undefined) {
    problems.push(`${path}.urlPrefix is required`);
    return undefined;
  }
  if (!/^https?:\/\//.test(urlPrefix)) problems.push(`${path}.urlPrefix must be an http:// or https:// URL, got ${JSON.stringify(urlPrefix)}`);
  if (entry.enableHTTPS === true && !urlPrefix.startsWith('https://')) problems.push(`${path}.enableHTTPS: give an https:// urlPrefix instead`);
  const weight = integer(entry, 'weight', `${path}.`, problems, 1);
  const prioritizeVerb = string(entry, 'prioritizeVerb', `${path}.`, problems);
  const timeout = string(entry, 'httpTimeout', `${path}.`, problems);
  const timeoutMs = timeout === undefined ? undefined : parseDuration(timeout);
  if (timeout !== undefined && (timeoutMs === undefined || timeoutMs <= 0)) problems.push(`${path}.httpTimeout must be a duration like 30s, got ${JSON.stringify(timeout)}`);
  const managed = list(entry, 'managedResources', `${path}.`, problems).flatMap((resource, i) => {
    const at = `${path}.managedResources[${i}]`;
    if (!isJsonObject(resource)) {
      problems.push(`${at} must be an object`);
      return [];
    }
    unsupported(resource, MANAGED_RESOURCE_FIELDS, `${at}.`, problems);
    const name = string(resource, 'name', `${at}.`, problems);
    if (name === undefined) problems.push(`${at}.name is required`);
    return name === undefined ? [] : [{ name }];
  });
  const filterVerb = string(entry, 'filterVerb', `${path}.`, problems);
  const nodeCacheCapable = boolean(entry, 'nodeCacheCapable', `${path}.`, problems);
  const ignorable = boolean(entry, 'ignorable', `${path}.`, problems);
  return {
    urlPrefix,
    ...(filterVerb === undefined ? {} : { filterVerb }),
    ...(prioritizeVerb === undefined ? {} : { prioritizeVerb }),
    ...(weight === undefined ? {} : { weight }),
    ...(nodeCacheCapable === undefined ? {} : { nodeCacheCapable }),
    ...(ignorable === undefined ? {} : { ignorable }),
    ...(managed.length === 0 ? {} : { managedResources: managed }),
    ...(timeoutMs === undefined ? {} : { httpTimeoutMs: timeoutMs }),
  };
}

function unsupported(object: JsonObject, known: ReadonlySet<string>, path: string, problems: string[]): void {
  for (const key of Object.keys(object)) {
    if (!known.has(key)) problems.push(`${path}${key}: not supported by kubelite's scheduler`);
  }
}

function string(object: JsonObject, key: string, path: string, problems: string[]): string | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  problems.push(`${path}${key} must be a string`);
  return undefined;
}

function boolean(object: JsonObject, key: string, path: string, problems: string[]): boolean | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  problems.push(`${path}${key} must be true or false`);
  return undefined;
}

function integer(object: JsonObject, key: string, path: string, problems: string[], min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  problems.push(`${path}${key} must be an integer from ${min}${max === Number.MAX_SAFE_INTEGER ? '' : ` to ${max}`}, got ${JSON.stringify(value)}`);
  return undefined;
}

function list(object: JsonObject, key: string, path: string, problems: string[]): unknown[] {
  const value = object[key];
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  problems.push(`${path}${key} must be a list`);
  return [];
}
