/**
 * @module
 * The `kubelite` command as its own process, for end-to-end tests: started with its arguments,
 * ready once it has said where its kubeconfig is (or, for a role such as `controller-manager`, once
 * it prints a given line), and stopped with Ctrl-C (SIGINT) as a user would. The command is the
 * compiled src/cli/main.js beside this compiled file, so a build into any output directory tests
 * itself. Also the real kubectl (on PATH) run against a kubeconfig.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export interface CliProcess {
  readonly child: ChildProcess;
  /** Everything it has printed so far, stdout and stderr together. */
  output(): string;
}

export interface StartCliOptions {
  /** The output that says the process is ready. @defaultValue 'kubeconfig:' */
  readonly readyWhen?: string;
}

/** Starts `kubelite <args>`; resolves once it prints `readyWhen`, rejects if it exits first. */
export async function startCli(args: readonly string[], options: StartCliOptions = {}): Promise<CliProcess> {
  const readyWhen = options.readyWhen ?? 'kubeconfig:';
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes(readyWhen)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`kubelite ${args[0] ?? ''} exited with ${code}:\n${output}`)));
  });
  return { child, output: () => output };
}

/** Sends Ctrl-C (SIGINT) and resolves with the exit code. */
export function interruptCli(running: CliProcess): Promise<number | null> {
  return signalCli(running, 'SIGINT');
}

/** Sends `signal` (SIGKILL: the process dies at once, as on a crash) and resolves with the exit code (null when killed). */
export function signalCli(running: CliProcess, signal: NodeJS.Signals): Promise<number | null> {
  const { child } = running;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill(signal);
  return exited;
}

export interface KubectlRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the kubectl on PATH against `kubeconfig`, with `input` on stdin if given. */
export function kubectl(kubeconfig: string, args: readonly string[], input?: string): Promise<KubectlRun> {
  return new Promise((resolve) => {
    const child = execFile('kubectl', ['--kubeconfig', kubeconfig, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** As {@link kubectl}, failing the test with kubectl's output unless it exits 0. */
export async function kubectlOk(kubeconfig: string, args: readonly string[], input?: string): Promise<KubectlRun> {
  const run = await kubectl(kubeconfig, args, input);
  assert.equal(run.code, 0, `kubectl ${args.join(' ')} failed:\n${run.stderr}${run.stdout}`);
  return run;
}

/** `kubelite up` in a temporary directory, with kubectl bound to its kubeconfig. */
export interface UpCluster {
  readonly dir: string;
  readonly kubeconfig: string;
  readonly server: CliProcess;
  /** Runs kubectl against the cluster. */
  kubectl(args: readonly string[], input?: string): Promise<KubectlRun>;
  /** Runs kubectl against the cluster, failing the test unless it exits 0; resolves with its stdout. */
  ok(args: readonly string[], input?: string): Promise<string>;
  /** Ctrl-C, then the directory removed. */
  stop(): Promise<void>;
}

/** Starts `kubelite up <args>` with its data and kubeconfig in a new directory named after `prefix`. */
export async function startKubeliteUp(prefix: string, args: readonly string[] = []): Promise<UpCluster> {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const kubeconfig = join(dir, 'kubeconfig');
  let server: CliProcess;
  try {
    server = await startCli(['up', '--data-dir', join(dir, 'data'), '--port', '0', '--kubeconfig', kubeconfig, ...args]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    kubeconfig,
    server,
    kubectl: (kubectlArgs, input) => kubectl(kubeconfig, kubectlArgs, input),
    ok: async (kubectlArgs, input) => (await kubectlOk(kubeconfig, kubectlArgs, input)).stdout,
    stop: async () => {
      await interruptCli(server);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
