/**
 * @module
 * kubelite for the `e2e` suite, run as a user runs it: the CLI in a process of its own, on SQLite in
 * a temporary directory, on a free port, with a kubeconfig the suite's client reads — `kubelite up`
 * (API server, controller-manager, scheduler and N simulated nodes) or `kubelite apiserver` alone.
 * The suite waits for the CLI's ready line, reads the process's peak RSS from the kernel (VmHWM),
 * and stops it with SIGINT as Ctrl-C would.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeClient } from '../src/client/kube-client.js';
import { loadConfig } from '../src/client/config/load.js';

const MAIN_PATH = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;
/** USER_HZ, the unit of /proc/PID/stat times: 100 on Linux for every architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Set to a directory to have each kubelite process write a V8 CPU profile there. */
export const E2E_CPU_PROFILE_ENV = 'KUBELITE_BENCH_E2E_CPU_PROF';

export class KubeliteProcess {
  private output = '';
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly kubeconfig: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const collect = (chunk: Buffer): void => {
      this.output += chunk.toString();
      if (this.output.length > 1_000_000) this.output = this.output.slice(-100_000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
  }

  /** Starts `kubelite up --nodes <nodes> <flags>` and resolves once every node has registered. */
  static up(nodes: number, flags: readonly string[] = []): Promise<KubeliteProcess> {
    return KubeliteProcess.start((dir) => ['up', '--data-dir', join(dir, 'data'), '--nodes', String(nodes), ...flags], /control plane: \d+ nodes? ready in \d+ ms/);
  }

  /** Starts `kubelite apiserver` alone and resolves once it listens. */
  static apiserver(): Promise<KubeliteProcess> {
    return KubeliteProcess.start((dir) => ['apiserver', '--storage', `sqlite://${join(dir, 'kubelite.db')}`], /kubelite API server listening at/);
  }

  private static async start(command: (dir: string) => string[], ready: RegExp): Promise<KubeliteProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'kubelite-e2e-'));
    const kubeconfig = join(dir, 'kubeconfig');
    const profileDir = process.env[E2E_CPU_PROFILE_ENV];
    const execArgv = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
    const args = [...execArgv, MAIN_PATH, ...command(dir), '--port', '0', '--kubeconfig', kubeconfig];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const started = new KubeliteProcess(child, dir, kubeconfig);
    try {
      await started.waitFor(ready, READY_TIMEOUT_MS);
    } catch (error) {
      started.kill();
      throw error;
    }
    return started;
  }

  /** A client of the cluster through the kubeconfig `up` wrote. */
  client(): KubeClient {
    return new KubeClient(loadConfig({ kubeconfig: this.kubeconfig, env: {} }));
  }

  /** The process's peak resident memory so far, in bytes (VmHWM). */
  peakRss(): number {
    const status = readFileSync(`/proc/${String(this.child.pid)}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
    if (match?.[1] === undefined) throw new Error('no VmHWM for the kubelite process');
    return Number(match[1]) * 1024;
  }

  /** CPU time (user + system, every thread) the process has used so far, in ms. */
  cpuMs(): number {
    const stat = readFileSync(`/proc/${String(this.child.pid)}/stat`, 'utf8');
    // utime and stime are fields 14 and 15; the command name (field 2) may hold spaces, so count after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  }

  /** Stops it as Ctrl-C does, and removes its data. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGINT');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await this.exited;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Kills it at once (the suite failed). */
  kill(): void {
    this.child.kill('SIGKILL');
  }

  private async waitFor(pattern: RegExp, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.output)) {
      if (this.child.exitCode !== null) throw new Error(`kubelite up exited (code ${String(this.child.exitCode)}):\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`kubelite up did not log ${String(pattern)} within ${timeoutMs} ms:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
