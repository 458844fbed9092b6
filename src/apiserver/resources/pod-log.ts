/**
 * @module
 * pods/log, and the answers of pods/exec, pods/attach and pods/portforward, for pods on kubelite's
 * simulated nodes, which run no processes.
 *
 * kube-apiserver checks the request and picks the container (pkg/registry/core/pod/strategy.go
 * LogLocation, ValidateContainer; validation.ValidatePodLogOptions), then streams what the node's
 * kubelet answers, which refuses containers that have not started
 * (pkg/kubelet/kubelet_pods.go validateContainerLogStatus). The checks and their messages are
 * upstream's; a pod not scheduled yet has an empty log, as upstream answers when it has no node to
 * ask. What a simulated container "logs" is made here from the pod's status: one line for
 * each start and each end the status records, saying it is simulated, with the time as the
 * kubelet's `timestamps` prefix — so `kubectl logs` shows when and where a container ran and why
 * it stopped. With `follow` (kubectl logs -f) the answer stays open while the container runs and
 * ends with the line of its exit, as the kubelet's follow ends when the container exits: when a
 * stage terminates it, restarts it (a crash loop) or the pod is deleted.
 *
 * exec, attach and port-forward need a process to connect to; they get a 400 that says so, instead
 * of the 404 a path that is not served gets.
 */
import type { ServerReply } from '../http/exchange.js';
import { type TextFollower, streamFollowing } from '../handlers/follow.js';
import { type FieldError, fieldErrors, invalidError } from '../../api/field-errors.js';
import type { JsonObject } from '../../api/json.js';
import { badRequest, methodNotSupported } from '../../api/status.js';
import type { SubresourceHandler } from '../handlers/resource-handler.js';
import { metaOf, numberAt, objectAt, objectsAt, specOf, statusOf, stringAt } from './pod-json.js';

/** What a log request asks for (PodLogOptions, as query parameters). */
export interface LogOptions {
  readonly container: string;
  readonly previous: boolean;
  readonly timestamps: boolean;
  /** Keep the answer open while the container runs, and add its exit (kubectl logs -f). */
  readonly follow: boolean;
  readonly tailLines?: number;
  readonly limitBytes?: number;
  readonly sinceSeconds?: number;
  readonly sinceTime?: string;
}

/** One line of a simulated container's log, with the time it stands for. */
interface LogLine {
  readonly time: string;
  readonly text: string;
}

/** GET pods/<name>/log. */
export const LOG_HANDLER: SubresourceHandler = async (scope, request, response, target, query) => {
  if (target.verb !== 'get') throw methodNotSupported({ group: '', resource: 'pods/log' }, target.verb);
  const options = parseLogOptions(query, target.name);
  const current = await scope.store.getLatest(target.namespace, target.name);
  const now = scope.now();
  const text = podLog(current.object, options, now);
  const follower = logFollower(current.object, options, text, now);
  if (follower === undefined) sendText(response, text);
  else await streamFollowing(scope, request, response, current, follower);
};

/** pods/exec, pods/attach and pods/portforward: refused, since no process runs. */
export function noProcessHandler(action: 'exec' | 'attach' | 'portforward'): SubresourceHandler {
  const what = { exec: 'exec into a container of', attach: 'attach to a container of', portforward: 'forward ports to' }[action];
  return async (scope, _request, _response, target) => {
    if (target.verb !== 'get' && target.verb !== 'create') throw methodNotSupported({ group: '', resource: `pods/${action}` }, target.verb);
    const pod = (await scope.store.getLatest(target.namespace, target.name)).object;
    const node = stringAt(specOf(pod), 'nodeName');
    const where = node === '' ? 'it is not scheduled, and kubelite\'s simulated nodes run no processes' : `it runs on ${node}, a simulated node, which runs no processes`;
    throw badRequest(`cannot ${what} pod ${target.namespace}/${target.name}: ${where}`);
  };
}

/** The query as PodLogOptions; invalid values are a 422 (ValidatePodLogOptions). */
export function parseLogOptions(query: URLSearchParams, podName: string): LogOptions {
  const errors: FieldError[] = [];
  const int = (name: string, min: number): number | undefined => {
    const raw = query.get(name);
    if (raw === null || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isSafeInteger(value)) throw badRequest(`invalid value for ${name}: ${JSON.stringify(raw)}: not an integer`);
    if (value < min) errors.push(fieldErrors.invalid(name, value, min === 0 ? 'must be greater than or equal to 0' : 'must be greater than 0'));
    return value;
  };
  // runtime.Convert_Slice_string_To_bool: absent, "0" and "false" (in whatever case) are false,
  // and every other value — an empty one too, as in `?follow` — is true.
  const bool = (name: string): boolean => {
    const raw = query.get(name);
    return raw !== null && raw !== '0' && raw.toLowerCase() !== 'false';
  };
  const tailLines = int('tailLines', 0);
  const limitBytes = int('limitBytes', 1);
  const sinceSeconds = int('sinceSeconds', 1);
  const sinceTime = query.get('sinceTime') ?? undefined;
  if (sinceTime !== undefined && Number.isNaN(Date.parse(sinceTime))) throw badRequest(`invalid value for sinceTime: ${JSON.stringify(sinceTime)}: not an RFC 3339 time`);
  if (sinceSeconds !== undefined && sinceTime !== undefined) {
    errors.push(fieldErrors.forbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  }
  if (errors.length > 0) throw invalidError({ group: '', kind: 'PodLogOptions' }, podName, errors);
  return {
    container: query.get('container') ?? '',
    previous: bool('previous'),
    timestamps: bool('timestamps'),
    follow: bool('follow'),
    ...(tailLines === undefined ? {} : { tailLines }),
    ...(limitBytes === undefined ? {} : { limitBytes }),
    ...(sinceSeconds === undefined ? {} : { sinceSeconds }),
    ...(sinceTime === undefined ? {} : { sinceTime }),
  };
}

/** The log text of the pod's container as `options` select it; throws the upstream 400s. */
export function podLog(pod: JsonObject, options: LogOptions, nowMs: number): string {
  const podName = stringAt(metaOf(pod), 'name');
  const container = chooseContainer(pod, options.container);
  // A pod not scheduled yet has no node to ask: upstream's LogLocation gives no location, an empty log.
  if (stringAt(specOf(pod), 'nodeName') === '') return '';
  const status = containerStatus(pod, container);
  let lines = options.previous ? previousLines(status, container, podName) : currentLines(pod, status, container, podName);
  const since = sinceOf(options, nowMs);
  if (since !== undefined) lines = lines.filter((line) => Date.parse(line.time) >= since);
  if (options.tailLines !== undefined) lines = options.tailLines === 0 ? [] : lines.slice(-options.tailLines);
  const text = lines.map((line) => formatLine(line, options)).join('');
  return options.limitBytes === undefined ? text : cut(text, options.limitBytes);
}

/**
 * The log of a running container to follow (`follow` without `previous`), from `text`, podLog's
 * answer: for each newer version of the pod, whether the followed run has ended and the line of its
 * exit. Undefined when there is nothing to follow — a pod with no node, a container not running, or
 * a limitBytes that `text` has used up — and `text` is the whole answer.
 */
export function logFollower(pod: JsonObject, options: LogOptions, text: string, nowMs: number): TextFollower | undefined {
  if (!options.follow || options.previous || stringAt(specOf(pod), 'nodeName') === '') return undefined;
  const container = chooseContainer(pod, options.container);
  const status = containerStatus(pod, container);
  const running = objectAt(objectAt(status, 'state') ?? {}, 'running');
  if (running === undefined) return undefined;
  const run = { container, startedAt: stringAt(running, 'startedAt'), restartCount: numberAt(status, 'restartCount') ?? 0 };
  const budget = options.limitBytes === undefined ? Infinity : options.limitBytes - Buffer.byteLength(text);
  if (budget <= 0) return undefined;
  const since = sinceOf(options, nowMs);
  return {
    text,
    next(newer) {
      const end = runEnd(containerStatus(newer, container), run);
      if (end === undefined) return { text: '', ended: false };
      const line = end === null || (since !== undefined && Date.parse(end.time) < since) ? '' : cut(formatLine(end, options), budget);
      return { text: line, ended: true };
    },
  };
}

/** A run of a container: the one a follow is on. */
interface Run {
  readonly container: string;
  readonly startedAt: string;
  readonly restartCount: number;
}

/**
 * Whether `run` still goes on in the container's newer status: undefined while it runs, else the
 * line of its exit when the status records it (terminated, or lastState after a restart), or null.
 */
function runEnd(status: JsonObject, run: Run): LogLine | null | undefined {
  const state = objectAt(status, 'state') ?? {};
  const running = objectAt(state, 'running');
  if (running !== undefined && stringAt(running, 'startedAt') === run.startedAt && (numberAt(status, 'restartCount') ?? 0) === run.restartCount) return undefined;
  for (const terminated of [objectAt(state, 'terminated'), objectAt(objectAt(status, 'lastState') ?? {}, 'terminated')]) {
    if (terminated !== undefined && stringAt(terminated, 'startedAt') === run.startedAt) {
      const line = ended(terminated, run.container);
      return line.time === '' ? null : line;
    }
  }
  return null;
}

/** sinceTime or sinceSeconds as a time in ms. */
function sinceOf(options: LogOptions, nowMs: number): number | undefined {
  if (options.sinceTime !== undefined) return Date.parse(options.sinceTime);
  return options.sinceSeconds === undefined ? undefined : nowMs - options.sinceSeconds * 1000;
}

function formatLine(line: LogLine, options: LogOptions): string {
  return `${options.timestamps ? `${nanoTime(line.time)} ` : ''}${line.text}\n`;
}

/**
 * At most the first `limitBytes` bytes of `text` (limitBytes counts bytes, as the kubelet's does),
 * ending before a character the limit would split rather than in half of it.
 */
function cut(text: string, limitBytes: number): string {
  if (limitBytes === Infinity) return text;
  const bytes = Buffer.from(text);
  if (bytes.length <= limitBytes) return text;
  let end = limitBytes;
  // A UTF-8 continuation byte (10xxxxxx) just past the limit: the character it belongs to starts before.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString();
}

/** ValidateContainer: the named container, or the only one; else the upstream 400s. */
function chooseContainer(pod: JsonObject, name: string): string {
  const spec = specOf(pod);
  const names = ['initContainers', 'containers', 'ephemeralContainers'].flatMap((key) => objectsAt(spec, key).map((c) => stringAt(c, 'name')));
  const podName = stringAt(metaOf(pod), 'name');
  if (name !== '') {
    if (!names.includes(name)) throw badRequest(`container ${name} is not valid for pod ${podName}`);
    return name;
  }
  const containers = objectsAt(spec, 'containers');
  if (containers.length === 1) return stringAt(containers[0] as JsonObject, 'name');
  if (containers.length === 0) throw badRequest(`a container name must be specified for pod ${podName}`);
  throw badRequest(`a container name must be specified for pod ${podName}, choose one of: [${names.join(' ')}]`);
}

function containerStatus(pod: JsonObject, container: string): JsonObject {
  const status = statusOf(pod);
  for (const key of ['initContainerStatuses', 'containerStatuses', 'ephemeralContainerStatuses']) {
    const found = objectsAt(status, key).find((s) => stringAt(s, 'name') === container);
    if (found !== undefined) return found;
  }
  return {};
}

/** validateContainerLogStatus for the current container, then its lines. */
function currentLines(pod: JsonObject, status: JsonObject, container: string, podName: string): LogLine[] {
  const state = objectAt(status, 'state') ?? {};
  const running = objectAt(state, 'running');
  const terminated = objectAt(state, 'terminated');
  const last = objectAt(objectAt(status, 'lastState') ?? {}, 'terminated');
  const lines: LogLine[] = [];
  const node = stringAt(specOf(pod), 'nodeName');
  const image = stringAt(status, 'image') || imageOf(pod, container);
  if (running !== undefined) {
    lines.push(started(stringAt(running, 'startedAt'), container, image, node, numberAt(status, 'restartCount') ?? 0));
  } else if (terminated !== undefined) {
    lines.push(started(stringAt(terminated, 'startedAt'), container, image, node, numberAt(status, 'restartCount') ?? 0), ended(terminated, container));
  } else if (last !== undefined) {
    lines.push(...previousLines(status, container, podName));
  } else {
    const waiting = objectAt(state, 'waiting');
    if (waiting !== undefined) throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: ${stringAt(waiting, 'reason')}`);
    throw badRequest(`container "${container}" in pod "${podName}" is waiting to start - no logs yet`);
  }
  return lines.filter((line) => line.time !== '');
}

/** The lines of the container's previous run (`previous=true`). */
function previousLines(status: JsonObject, container: string, podName: string): LogLine[] {
  const last = objectAt(objectAt(status, 'lastState') ?? {}, 'terminated');
  if (last === undefined) throw badRequest(`previous terminated container "${container}" in pod "${podName}" not found`);
  const restarts = numberAt(status, 'restartCount') ?? 0;
  return [started(stringAt(last, 'startedAt'), container, stringAt(status, 'image'), '', Math.max(0, restarts - 1)), ended(last, container)].filter((line) => line.time !== '');
}

function started(time: string, container: string, image: string, node: string, restarts: number): LogLine {
  const run = restarts > 0 ? ` (restart ${restarts})` : '';
  const on = node === '' ? '' : ` on node ${node}`;
  return { time, text: `kubelite: simulated container "${container}" started${run}${on} from image ${image || '(none)'}; simulated containers write no output of their own` };
}

function ended(terminated: JsonObject, container: string): LogLine {
  const reason = stringAt(terminated, 'reason');
  const code = numberAt(terminated, 'exitCode') ?? 0;
  return { time: stringAt(terminated, 'finishedAt'), text: `kubelite: simulated container "${container}" exited with code ${code}${reason === '' ? '' : ` (${reason})`}` };
}

function imageOf(pod: JsonObject, container: string): string {
  const spec = specOf(pod);
  for (const key of ['initContainers', 'containers', 'ephemeralContainers']) {
    const found = objectsAt(spec, key).find((c) => stringAt(c, 'name') === container);
    if (found !== undefined) return stringAt(found, 'image');
  }
  return '';
}

/** The kubelet's timestamp prefix: RFC 3339 with nanoseconds. */
function nanoTime(time: string): string {
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) return time;
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

function sendText(response: ServerReply, text: string): void {
  response.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': String(Buffer.byteLength(text)) });
  response.end(text);
}

