/**
 * @module
 * Real etcd processes for tests and benchmarks: find the `etcd` binary (Debian's etcd-server,
 * installed with apt-get when missing and we are root), start one member or a cluster on free
 * loopback ports with a temporary data directory, wait until it is healthy, stop it.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { type Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface EtcdMember {
  readonly name: string;
  /** The client URL, e.g. http://127.0.0.1:23790. */
  readonly endpoint: string;
  readonly dataDir: string;
  /** Stops the member (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
  /** Kills the member at once (SIGKILL), as a crash. */
  kill(): Promise<void>;
  /** Starts the member again after stop or kill, with the same data. */
  restart(): Promise<void>;
}

export interface EtcdCluster {
  readonly members: readonly EtcdMember[];
  readonly endpoints: readonly string[];
  /** Stops every member and removes the data directories. */
  stop(): Promise<void>;
}

export interface StartEtcdOptions {
  readonly binary?: string;
  /** Members in the cluster. @defaultValue 1 */
  readonly size?: number;
  /** How often idle watches get progress notifications. @defaultValue 500 */
  readonly progressNotifyIntervalMs?: number;
}

/**
 * The path of the etcd binary: $KUBELITE_ETCD_BIN, or `etcd` on PATH or in /usr/bin. When it is
 * missing and `install` is set and we are root, installs Debian's etcd-server with apt-get.
 */
export function findEtcdBinary(options: { readonly install?: boolean } = {}): string {
  const found = lookForEtcd();
  if (found !== undefined) return found;
  if (options.install && process.getuid?.() === 0) {
    process.stderr.write('etcd not found: installing Debian package etcd-server with apt-get\n');
    const apt = (args: string[]): void => {
      execFileSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    };
    try {
      apt(['install', '-y', '--no-install-recommends', 'etcd-server']);
    } catch {
      apt(['update']);
      apt(['install', '-y', '--no-install-recommends', 'etcd-server']);
    }
    const installed = lookForEtcd();
    if (installed !== undefined) return installed;
  }
  throw new Error(
    'etcd was not found. Install it (Debian/Ubuntu: sudo apt-get install etcd-server), ' +
      'or set KUBELITE_ETCD_BIN to the etcd binary.',
  );
}

/** Start-ups tried when a member finds its port taken meanwhile (ports are free only when chosen). */
const PORT_ATTEMPTS = 3;

/**
 * Starts an etcd cluster of `size` members on loopback and waits until it is healthy. Ports are
 * chosen free, all at once so no two members share one; another process can still take one before
 * etcd binds it, and then the cluster starts again on fresh ports.
 */
export async function startEtcdCluster(options: StartEtcdOptions = {}): Promise<EtcdCluster> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startEtcdClusterOnce(options);
    } catch (error) {
      if (attempt >= PORT_ATTEMPTS || !(error instanceof Error) || !error.message.includes('address already in use')) throw error;
    }
  }
}

async function startEtcdClusterOnce(options: StartEtcdOptions): Promise<EtcdCluster> {
  const binary = options.binary ?? findEtcdBinary();
  const size = options.size ?? 1;
  const root = mkdtempSync(join(tmpdir(), 'kubelite-etcd-'));
  const free = await freePorts(2 * size);
  const ports = Array.from({ length: size }, (_, i) => ({ client: free[2 * i] as number, peer: free[2 * i + 1] as number }));
  const names = ports.map((_, i) => `member${i}`);
  const initialCluster = names.map((name, i) => `${name}=http://127.0.0.1:${ports[i]?.peer}`).join(',');
  const members = names.map((name, i) => {
    const port = ports[i] as { client: number; peer: number };
    return new Member(binary, name, join(root, name), port.client, port.peer, initialCluster, options.progressNotifyIntervalMs ?? 500);
  });
  try {
    await Promise.all(members.map((m) => m.start()));
  } catch (error) {
    await Promise.all(members.map((m) => m.stop()));
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return {
    members,
    endpoints: members.map((m) => m.endpoint),
    async stop() {
      await Promise.all(members.map((m) => m.stop()));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

class Member implements EtcdMember {
  readonly endpoint: string;
  private process: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private output = '';
  private started = false;

  constructor(
    private readonly binary: string,
    readonly name: string,
    readonly dataDir: string,
    private readonly clientPort: number,
    private readonly peerPort: number,
    private readonly initialCluster: string,
    private readonly progressNotifyIntervalMs: number,
  ) {
    this.endpoint = `http://127.0.0.1:${clientPort}`;
  }

  async start(): Promise<void> {
    const args = [
      `--name=${this.name}`,
      `--data-dir=${this.dataDir}`,
      `--listen-client-urls=${this.endpoint}`,
      `--advertise-client-urls=${this.endpoint}`,
      `--listen-peer-urls=http://127.0.0.1:${this.peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${this.peerPort}`,
      `--initial-cluster=${this.initialCluster}`,
      `--initial-cluster-state=${this.started ? 'existing' : 'new'}`,
      `--experimental-watch-progress-notify-interval=${this.progressNotifyIntervalMs}ms`,
      '--logger=zap',
      '--log-level=error',
    ];
    const child = spawn(this.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process = child;
    this.output = '';
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString()).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.started = true;
    await this.waitHealthy(child);
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }

  async kill(): Promise<void> {
    const child = this.process;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await this.exited;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  private async waitHealthy(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`etcd ${this.name} exited during start-up:\n${this.output}`);
      }
      if (await this.healthy()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`etcd ${this.name} did not become healthy within 30 s:\n${this.output}`);
  }

  /** etcd's /health answers {"health":"true"} once the member has a leader. */
  private healthy(): Promise<boolean> {
    return new Promise((resolve) => {
      const request = get(`${this.endpoint}/health`, { timeout: 1000 }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve(response.statusCode === 200 && body.includes('"true"')));
      });
      request.on('error', () => resolve(false));
      request.on('timeout', () => request.destroy());
    });
  }
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port as number;
}

/**
 * `count` distinct TCP ports that were free a moment ago on 127.0.0.1: all are held open together
 * before any is let go, so the system cannot hand out one of them twice.
 */
export async function freePorts(count: number): Promise<number[]> {
  const listening = await Promise.allSettled(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer();
          server.unref();
          server.on('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const servers = listening.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const ports = servers.map((server) => {
    const address = server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  });
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  const failed = listening.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  if (ports.includes(0)) throw new Error('a listening socket had no port');
  return ports;
}

function lookForEtcd(): string | undefined {
  const fromEnv = process.env.KUBELITE_ETCD_BIN;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin', '/usr/sbin'];
  for (const dir of dirs) {
    if (dir === '') continue;
    const candidate = join(dir, 'etcd');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * The etcd that tests share: the one `npm test` started ($KUBELITE_TEST_ETCD), or, when a test file
 * runs on its own, a fresh single member that `release` stops.
 */
export async function sharedTestEtcd(): Promise<{ readonly endpoints: readonly string[]; release(): Promise<void> }> {
  const fromRunner = process.env.KUBELITE_TEST_ETCD;
  if (fromRunner !== undefined && fromRunner !== '') {
    return { endpoints: fromRunner.split(','), release: async () => undefined };
  }
  const cluster = await startEtcdCluster({ binary: findEtcdBinary({ install: true }) });
  return { endpoints: cluster.endpoints, release: () => cluster.stop() };
}
