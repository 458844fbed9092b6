/**
 * @module
 * Faults for controller tests: rules in front of a test cluster's API server that change what chosen
 * requests get — a 409 Conflict, any error Status, added latency, a watch that ends at once with a
 * 410 Expired ERROR event, a connection reset — and a switch that drops the open watches now, as a
 * dead connection or a restarted server would. These are the failures a controller meets in a real
 * cluster (optimistic-concurrency conflicts, compacted revisions, network cuts, slow servers) and
 * must survive; envtest and fake clients offer none of them.
 *
 * The rules apply only to requests that come through the fault layer: the test cluster's own control
 * plane (controllers, scheduler, nodes) talks to the server directly, so a fault aimed at the
 * operator under test does not also break the Deployments it creates.
 *
 * A request matches a rule when every field the rule names equals the request's (an absent field
 * matches anything); the newest matching rule acts (so a rule added for one step of a test
 * overrides a standing one), and a rule with `times` is spent after that many hits. Watches are verb `watch`; a list with `watch=true` is one.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type GroupResource, StatusError, conflict, resourceExpired } from '../api/status.js';
import { type ResourceRequest, type Verb, parseRequestInfo } from '../apiserver/http/request-info.js';
import { sendError } from '../apiserver/http/respond.js';

/** Which requests a rule applies to; every field given must equal the request's. */
export interface RequestMatch {
  /** One verb or several: get, list, watch, create, update, patch, delete, deletecollection. */
  readonly verb?: Verb | readonly Verb[];
  /** The API group ('' is the core group). */
  readonly group?: string;
  /** The resource's plural name (`deployments`). */
  readonly resource?: string;
  /** The subresource (`status`, `scale`); '' matches only the main resource. */
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
}

/** What a matching request gets instead of (or before) the server's answer. */
export type FaultAction =
  /** 409 Conflict, as when the object changed since it was read. */
  | { readonly kind: 'conflict' }
  /** Any Status error: `code` with `reason` (default: the reason of that code) and `message`. */
  | { readonly kind: 'status'; readonly code: number; readonly reason?: StatusError['reason']; readonly message?: string; readonly retryAfterSeconds?: number }
  /** The request waits `ms` before the server sees it. */
  | { readonly kind: 'latency'; readonly ms: number }
  /** 410 Expired: a watch gets an ERROR event and ends; any other request gets the 410 Status. */
  | { readonly kind: 'expired' }
  /** The connection is reset before any answer. */
  | { readonly kind: 'reset' };

export interface FaultRule {
  readonly match: RequestMatch;
  readonly action: FaultAction;
  /** How many requests the rule acts on. @defaultValue unlimited, until removed */
  readonly times?: number;
}

/** A rule in force: how often it acted, and how to take it away. */
export interface Fault {
  readonly hits: number;
  remove(): void;
}

interface ActiveRule extends FaultRule {
  hits: number;
}

interface OpenWatch {
  readonly info: ResourceRequest;
  readonly response: ServerResponse;
}

const STATUS_REASONS: Readonly<Record<number, StatusError['reason']>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Expired',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export class Faults {
  private readonly rules: ActiveRule[] = [];
  private readonly watches = new Set<OpenWatch>();

  /** Puts a rule in force. */
  add(rule: FaultRule): Fault {
    if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times > 0)) {
      throw new RangeError(`times must be a positive integer, not ${String(rule.times)}`);
    }
    if (rule.action.kind === 'latency' && !(rule.action.ms >= 0)) throw new RangeError(`latency must be at least 0 ms, not ${String(rule.action.ms)}`);
    const active: ActiveRule = { ...rule, hits: 0 };
    this.rules.push(active);
    return {
      get hits() {
        return active.hits;
      },
      remove: () => {
        const index = this.rules.indexOf(active);
        if (index >= 0) this.rules.splice(index, 1);
      },
    };
  }

  /** Matching writes get 409 Conflict, as if someone else had written the object first. */
  conflict(match: RequestMatch, options: { readonly times?: number } = {}): Fault {
    return this.add({ match, action: { kind: 'conflict' }, ...options });
  }

  /** Matching requests get an error Status with `code` (500, 503, 429, …). */
  error(match: RequestMatch, code: number, options: { readonly times?: number; readonly message?: string; readonly retryAfterSeconds?: number } = {}): Fault {
    const { times, ...status } = options;
    return this.add({ match, action: { kind: 'status', code, ...status }, ...(times === undefined ? {} : { times }) });
  }

  /** Matching requests wait `ms` first. */
  latency(match: RequestMatch, ms: number, options: { readonly times?: number } = {}): Fault {
    return this.add({ match, action: { kind: 'latency', ms }, ...options });
  }

  /**
   * Matching watches end at once with 410 Expired, as when the revision they resume from was
   * compacted: an informer must list again. Open watches are dropped too, so the next one is
   * affected. @defaultValue once
   */
  expireWatches(match: Omit<RequestMatch, 'verb'> = {}, options: { readonly times?: number } = {}): Fault {
    const fault = this.add({ match: { ...match, verb: 'watch' }, action: { kind: 'expired' }, times: options.times ?? 1 });
    this.dropWatches(match);
    return fault;
  }

  /** Ends the open watches that match now, by resetting their connections; returns how many. */
  dropWatches(match: Omit<RequestMatch, 'verb'> = {}): number {
    let dropped = 0;
    for (const watch of [...this.watches]) {
      if (!matches(match, watch.info)) continue;
      this.watches.delete(watch);
      watch.response.destroy();
      dropped++;
    }
    return dropped;
  }

  /** Takes every rule away (open watches stay). */
  clear(): void {
    this.rules.length = 0;
  }

  /** How many watches are open through this layer, matching `match`. */
  openWatches(match: Omit<RequestMatch, 'verb'> = {}): number {
    let count = 0;
    for (const watch of this.watches) if (matches(match, watch.info)) count++;
    return count;
  }

  /**
   * The fault layer as a node:http handler in front of `next` (the API server's handler): acts on
   * the newest matching rule (a rule added later overrides a standing one), and keeps track of the watches it passes on.
   */
  handle(request: IncomingMessage, response: ServerResponse, next: (request: IncomingMessage, response: ServerResponse) => void): void {
    const url = new URL(request.url ?? '/', 'http://test');
    const parsed = parseRequestInfo(request.method ?? 'GET', url.pathname, url.searchParams);
    if (parsed.kind !== 'resource') {
      next(request, response);
      return;
    }
    const info = parsed;
    const rule = this.rules.findLast((candidate) => matches(candidate.match, info));
    if (rule !== undefined) {
      rule.hits++;
      if (rule.times !== undefined && rule.hits >= rule.times) this.rules.splice(this.rules.indexOf(rule), 1);
    }
    const pass = (): void => {
      if (info.verb === 'watch') this.track(info, response);
      next(request, response);
    };
    if (rule === undefined) {
      pass();
      return;
    }
    const { action } = rule;
    switch (action.kind) {
      case 'latency': {
        const timer = setTimeout(pass, action.ms);
        response.once('close', () => clearTimeout(timer));
        return;
      }
      case 'reset':
        request.resume();
        response.destroy();
        return;
      case 'conflict':
        answer(request, response, conflict(groupResource(info), info.name, 'the object has been modified; please apply your changes to the latest version and try again'));
        return;
      case 'status': {
        const reason = action.reason ?? STATUS_REASONS[action.code] ?? 'Unknown';
        const message = action.message ?? `injected fault: ${String(action.code)} ${reason}`;
        const details = action.retryAfterSeconds === undefined ? undefined : { retryAfterSeconds: action.retryAfterSeconds };
        answer(request, response, new StatusError(reason, message, { code: action.code, ...(details === undefined ? {} : { details }) }));
        return;
      }
      case 'expired': {
        const error = resourceExpired('too old resource version: injected fault');
        if (info.verb !== 'watch') {
          answer(request, response, error);
          return;
        }
        request.resume();
        response.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
        response.end(`${JSON.stringify({ type: 'ERROR', object: error.toStatus() })}\n`);
        return;
      }
      default: {
        const never: never = action;
        throw new Error(`unknown fault ${JSON.stringify(never)}`);
      }
    }
  }

  private track(info: ResourceRequest, response: ServerResponse): void {
    const watch: OpenWatch = { info, response };
    this.watches.add(watch);
    response.once('close', () => this.watches.delete(watch));
  }
}

function answer(request: IncomingMessage, response: ServerResponse, error: StatusError): void {
  request.resume();
  sendError(response, error);
}

function groupResource(info: ResourceRequest): GroupResource {
  return { group: info.group, resource: info.resource };
}

function matches(match: RequestMatch, info: ResourceRequest): boolean {
  if (match.verb !== undefined) {
    const verbs: readonly Verb[] = typeof match.verb === 'string' ? [match.verb] : match.verb;
    if (!verbs.includes(info.verb)) return false;
  }
  return (
    (match.group === undefined || match.group === info.group) &&
    (match.resource === undefined || match.resource === info.resource) &&
    (match.subresource === undefined || match.subresource === info.subresource) &&
    (match.namespace === undefined || match.namespace === info.namespace) &&
    (match.name === undefined || match.name === info.name)
  );
}
