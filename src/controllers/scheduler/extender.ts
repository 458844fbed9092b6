/**
 * @module
 * HTTP scheduler extenders (pkg/scheduler/extender.go HTTPExtender; wire types of
 * k8s.io/kube-scheduler/extender/v1), configured as kube-scheduler's `extenders:` entries.
 *
 * Filter and prioritize each POST `ExtenderArgs` — `{Pod, Nodes: NodeList}`, or `{Pod, NodeNames}` when
 * the extender is nodeCacheCapable — to `<urlPrefix>/<verb>`. Filter answers an ExtenderFilterResult
 * (Nodes or NodeNames kept, FailedNodes, FailedAndUnresolvableNodes, Error); prioritize a
 * HostPriorityList (`[{Host, Score}]`, scores 0..10). The Go types carry no JSON tags, so the wire
 * names are the Go field names; Go reads them case-insensitively and so does this module.
 *
 * A failing filter call fails the scheduling attempt unless the extender is ignorable (then it is
 * skipped); a failing prioritize call is skipped, as upstream. An extender whose managedResources
 * the pod does not request is not asked.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Node, Pod } from './resources.js';

/** One `extenders:` entry of KubeSchedulerConfiguration. */
export interface ExtenderConfig {
  readonly urlPrefix: string;
  readonly filterVerb?: string;
  readonly prioritizeVerb?: string;
  /** Multiplies prioritize scores. @defaultValue 1 */
  readonly weight?: number;
  /** Send node names only: the extender keeps its own node cache. @defaultValue false */
  readonly nodeCacheCapable?: boolean;
  /** Scheduling goes on without this extender when it fails. @defaultValue false */
  readonly ignorable?: boolean;
  /** Only pods requesting one of these resources are sent. @defaultValue all pods */
  readonly managedResources?: readonly { readonly name: string }[];
  /** @defaultValue 30000 (httpTimeout 30s) */
  readonly httpTimeoutMs?: number;
}

export interface ExtenderFilterOutcome {
  readonly nodeNames: readonly string[];
  readonly failed: ReadonlyMap<string, string>;
  readonly failedAndUnresolvable: ReadonlyMap<string, string>;
}

export interface HostPriority {
  readonly host: string;
  readonly score: number;
}

/** What the scheduler asks of an extender. Undefined answers mean "skipped". */
export interface Extender {
  readonly name: string;
  readonly weight: number;
  filter(pod: Pod, nodes: readonly Node[]): Promise<ExtenderFilterOutcome | undefined>;
  prioritize(pod: Pod, nodes: readonly Node[]): Promise<readonly HostPriority[] | undefined>;
}

export class ExtenderError extends Error {
  override readonly name = 'ExtenderError';
}

export class HTTPExtender implements Extender {
  readonly weight: number;
  private readonly timeoutMs: number;

  constructor(private readonly config: ExtenderConfig) {
    if (!/^https?:\/\//.test(config.urlPrefix)) throw new RangeError(`extender urlPrefix must be an http(s) URL: ${config.urlPrefix}`);
    this.weight = config.weight ?? 1;
    if (config.prioritizeVerb !== undefined && config.prioritizeVerb !== '' && this.weight <= 0) throw new RangeError('extender weight must be positive');
    this.timeoutMs = config.httpTimeoutMs ?? 30_000;
  }

  get name(): string {
    return this.config.urlPrefix;
  }

  /** IsInterested: no managedResources, or the pod requests or limits one of them. */
  isInterested(pod: Pod): boolean {
    const managed = this.config.managedResources ?? [];
    if (managed.length === 0) return true;
    const names = new Set(managed.map((m) => m.name));
    const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
    return containers.some((c) => [...Object.keys(c.resources?.requests ?? {}), ...Object.keys(c.resources?.limits ?? {})].some((r) => names.has(r)));
  }

  async filter(pod: Pod, nodes: readonly Node[]): Promise<ExtenderFilterOutcome | undefined> {
    const allNames = nodes.map((n) => n.metadata?.name ?? '');
    const verb = this.config.filterVerb ?? '';
    if (verb === '' || !this.isInterested(pod)) return { nodeNames: allNames, failed: new Map(), failedAndUnresolvable: new Map() };
    try {
      const answer = await this.send(verb, this.args(pod, nodes));
      const result = asRecord(answer, 'ExtenderFilterResult');
      const error = field(result, 'Error');
      if (typeof error === 'string' && error !== '') throw new ExtenderError(error);
      let kept: string[];
      if (this.config.nodeCacheCapable === true) {
        kept = stringArray(field(result, 'NodeNames'));
      } else {
        const list = field(result, 'Nodes');
        const items = list === null || list === undefined ? [] : field(asRecord(list, 'NodeList'), 'Items');
        kept = Array.isArray(items) ? items.map((n) => nameOf(n)) : [];
      }
      return { nodeNames: kept, failed: stringMap(field(result, 'FailedNodes')), failedAndUnresolvable: stringMap(field(result, 'FailedAndUnresolvableNodes')) };
    } catch (error) {
      if (this.config.ignorable === true) return undefined;
      throw error instanceof ExtenderError ? error : new ExtenderError(`extender ${this.name} filter: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async prioritize(pod: Pod, nodes: readonly Node[]): Promise<readonly HostPriority[] | undefined> {
    const verb = this.config.prioritizeVerb ?? '';
    if (verb === '' || !this.isInterested(pod)) return undefined;
    try {
      const answer = await this.send(verb, this.args(pod, nodes));
      if (!Array.isArray(answer)) return undefined;
      return answer.map((entry) => {
        const r = asRecord(entry, 'HostPriority');
        const host = field(r, 'Host');
        const score = field(r, 'Score');
        return { host: typeof host === 'string' ? host : '', score: typeof score === 'number' ? score : 0 };
      });
    } catch {
      return undefined; // upstream logs and ignores a failed prioritize
    }
  }

  private args(pod: Pod, nodes: readonly Node[]): object {
    if (this.config.nodeCacheCapable === true) return { Pod: pod, NodeNames: nodes.map((n) => n.metadata?.name ?? '') };
    return { Pod: pod, Nodes: { apiVersion: 'v1', kind: 'NodeList', metadata: {}, items: nodes } };
  }

  private send(verb: string, body: object): Promise<unknown> {
    const url = new URL(`${this.config.urlPrefix.replace(/\/+$/, '')}/${verb}`);
    const payload = Buffer.from(JSON.stringify(body));
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': payload.length }, timeout: this.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) {
            reject(new ExtenderError(`extender ${this.name} ${verb}: HTTP ${res.statusCode ?? 0}: ${text.slice(0, 200)}`));
            return;
          }
          try {
            resolve(JSON.parse(text) as unknown);
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      });
      req.on('timeout', () => req.destroy(new ExtenderError(`extender ${this.name} ${verb}: timed out after ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }
}

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ExtenderError(`extender answered something other than a ${what}`);
  return value as Record<string, unknown>;
}

/** A field by its Go name, matched case-insensitively as encoding/json does. */
function field(record: Record<string, unknown>, name: string): unknown {
  if (name in record) return record[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(record)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function stringMap(value: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value !== 'object' || value === null) return out;
  for (const [k, v] of Object.entries(value)) out.set(k, typeof v === 'string' ? v : String(v));
  return out;
}

function nameOf(node: unknown): string {
  if (typeof node !== 'object' || node === null) return '';
  const meta = field(node as Record<string, unknown>, 'metadata');
  if (typeof meta !== 'object' || meta === null) return '';
  const name = field(meta as Record<string, unknown>, 'name');
  return typeof name === 'string' ? name : '';
}
