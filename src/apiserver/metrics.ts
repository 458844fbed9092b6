/**
 * @module
 * /metrics in the Prometheus text format (version 0.0.4): requests by verb, resource and code with
 * latency histograms (apiserver_request_total, apiserver_request_duration_seconds), open watches
 * (apiserver_longrunning_requests), storage latency by operation, and watch cache sizes — the
 * figures an operator of kube-apiserver looks at first, under the same names.
 */
import type { DeleteOptions, GetOptions, KeyValue, ListOptions, ListResult, Store, UpdateOptions, Watch, WatchOptions, WriteOptions, DeleteResult } from '../storage/interface.js';

/** kube-apiserver's request latency buckets (seconds). */
const REQUEST_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];
const STORAGE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

type Labels = Readonly<Record<string, string>>;

class Histogram {
  private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly buckets: readonly number[],
  ) {}

  /** Records `seconds` in the series `key` names; `labels` makes its labels the first time. */
  observe(key: string, labels: () => Labels, seconds: number): void {
    let entry = this.series.get(key);
    if (entry === undefined) {
      entry = { labels: labels(), counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, entry);
    }
    for (let i = 0; i < this.buckets.length; i++) if (seconds <= (this.buckets[i] as number)) entry.counts[i] = (entry.counts[i] ?? 0) + 1;
    entry.sum += seconds;
    entry.count++;
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const { labels, counts, sum, count } of this.series.values()) {
      this.buckets.forEach((bound, i) => lines.push(`${this.name}_bucket${format({ ...labels, le: String(bound) })} ${counts[i] ?? 0}`));
      lines.push(`${this.name}_bucket${format({ ...labels, le: '+Inf' })} ${count}`);
      lines.push(`${this.name}_sum${format(labels)} ${sum}`);
      lines.push(`${this.name}_count${format(labels)} ${count}`);
    }
    return lines;
  }
}

class Counter {
  private readonly series = new Map<string, { labels: Labels; value: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  /** Counts one in the series `key` names; `labels` makes its labels the first time. */
  inc(key: string, labels: () => Labels): void {
    const entry = this.series.get(key);
    if (entry === undefined) this.series.set(key, { labels: labels(), value: 1 });
    else entry.value++;
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const { labels, value } of this.series.values()) lines.push(`${this.name}${format(labels)} ${value}`);
    return lines;
  }
}

/** A gauge whose values are read when /metrics is scraped. */
interface GaugeSource {
  readonly name: string;
  readonly help: string;
  read(): readonly { readonly labels: Labels; readonly value: number }[];
}

export class Metrics {
  private readonly requests = new Counter('apiserver_request_total', 'Counter of apiserver requests broken out by verb, group, resource and HTTP response code.');
  private readonly requestDuration = new Histogram(
    'apiserver_request_duration_seconds',
    'Response latency distribution in seconds for each verb, group and resource.',
    REQUEST_BUCKETS,
  );
  private readonly storageDuration = new Histogram(
    'kubelite_storage_operation_duration_seconds',
    'Latency of storage operations in seconds, by operation and backend.',
    STORAGE_BUCKETS,
  );
  private readonly gauges: GaugeSource[] = [];

  /** Records a finished request. Watches are counted when they end. */
  request(labels: { verb: string; group: string; resource: string; code: number }, seconds: number): void {
    // One key string per request finds the series; label objects are built only for a new series.
    const key = `${labels.verb}\u0001${labels.group}\u0001${labels.resource}`;
    const series = (): Labels => ({ verb: labels.verb.toUpperCase(), group: labels.group, resource: labels.resource });
    this.requests.inc(`${key}\u0001${labels.code}`, () => ({ ...series(), code: String(labels.code) }));
    if (labels.verb !== 'watch') this.requestDuration.observe(key, series, seconds);
  }

  storage(operation: string, backend: string, seconds: number): void {
    this.storageDuration.observe(`${operation}\u0001${backend}`, () => ({ operation, backend }), seconds);
  }

  gauge(source: GaugeSource): void {
    this.gauges.push(source);
  }

  render(): string {
    const lines = [...this.requests.render(), ...this.requestDuration.render(), ...this.storageDuration.render()];
    for (const gauge of this.gauges) {
      lines.push(`# HELP ${gauge.name} ${gauge.help}`, `# TYPE ${gauge.name} gauge`);
      for (const { labels, value } of gauge.read()) lines.push(`${gauge.name}${format(labels)} ${value}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

/** A store that times every operation into `metrics`. */
export function meteredStore(store: Store, metrics: Metrics): Store {
  const time = async <T>(operation: string, body: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await body();
    } finally {
      metrics.storage(operation, store.backend, (performance.now() - started) / 1000);
    }
  };
  return {
    backend: store.backend,
    get: (key: string, options?: GetOptions): Promise<KeyValue | undefined> => time('get', () => store.get(key, options)),
    list: (prefix: string, options?: ListOptions): Promise<ListResult> => time('list', () => store.list(prefix, options)),
    create: (key: string, value: string, options?: WriteOptions): Promise<KeyValue> => time('create', () => store.create(key, value, options)),
    update: (key: string, value: string, options?: UpdateOptions): Promise<KeyValue> => time('update', () => store.update(key, value, options)),
    delete: (key: string, options?: DeleteOptions): Promise<DeleteResult> => time('delete', () => store.delete(key, options)),
    watch: (prefix: string, fromRevision: number, options?: WatchOptions): Watch => store.watch(prefix, fromRevision, options),
    compact: (revision: number): Promise<void> => time('compact', () => store.compact(revision)),
    currentRevision: (): Promise<number> => time('currentRevision', () => store.currentRevision()),
    close: (): Promise<void> => store.close(),
  };
}

/** Labels in the exposition format: `{name="value",…}`. */
function format(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
}
