/**
 * @module
 * The `kubelite` command as its own process, for end-to-end tests: started with its arguments,
 * ready once it has said where its kubeconfig is, and stopped with Ctrl-C (SIGINT) as a user would.
 * Also the real kubectl (on PATH) run against a kubeconfig.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export interface CliProcess {
  readonly child: ChildProcess;
  /** Everything it has printed so far, stdout and stderr together. */
  output(): string;
}

/** Starts `kubelite <args>`; resolves once it prints "kubeconfig:", rejects if it exits first. */
export async function startCli(args: readonly string[]): Promise<CliProcess> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('kubeconfig:')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`kubelite ${args[0] ?? ''} exited with ${code}:\n${output}`)));
  });
  return { child, output: () => output };
}

/** Sends Ctrl-C (SIGINT) and resolves with the exit code. */
export function interruptCli(running: CliProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => running.child.once('exit', (code) => resolve(code)));
  running.child.kill('SIGINT');
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
