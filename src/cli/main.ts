#!/usr/bin/env node
/**
 * @module
 * The `kubelite` command.
 */
import './v8-flags.js';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../client/config/load.js';
import { KubeClient } from '../client/kube-client.js';
import { defaultPodStages } from '../node/default-stages.js';
import { type Stage, parseStagesYaml } from '../node/stages.js';
import { errorMessage, stderrLogger } from '../util/logger.js';
import type { LeaderElectionOptions } from '../runtime/manager.js';
import { controllerManager, scheduler, simulatedNodes } from './control-plane.js';
import { delayRangeFlag, durationFlag } from './duration.js';
import { serve } from './serve.js';
import { type SchedulerConfig, parseSchedulerConfig } from './scheduler-config.js';
import { runStorageDemo } from './storage-demo.js';

const USAGE = `usage: kubelite <command> [options]

commands:
  up [--data-dir DIR] [--port N] [--kubeconfig FILE] [--nodes N] [--node-monitor-grace-period D]
     [--scheduler-config FILE] [--pod-ready-delay D[-D2] | --stages FILE]
        the control plane in one process on embedded SQLite in DIR (default .kubelite): the API
        server, the controllers and N simulated nodes (default 3); writes a kubeconfig (default
        DIR/kubeconfig) and runs until Ctrl-C. A node annotated kubelite.dev/heartbeat=stopped goes
        silent and is NotReady after the grace period D (default 50s). FILE is a
        KubeSchedulerConfiguration, as for the scheduler's --config. The nodes' pod stages as for
        \`kubelite nodes\`
  apiserver --storage URL [--port N] [--host H] [--kubeconfig FILE]
        the API server alone; URL is sqlite://<file>, etcd://<host:port>[,…][/<prefix>] or memory://
  controller-manager [--kubeconfig FILE] [--leader-elect] [--node-monitor-grace-period D]
        the controllers alone, against the cluster of the kubeconfig (default: the usual lookup);
        with --leader-elect, several run and one acts (Lease kube-system/kube-controller-manager)
  scheduler [--kubeconfig FILE] [--config FILE] [--leader-elect]
        the scheduler alone (Lease kube-system/kube-scheduler with --leader-elect); --config reads a
        KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) as kube-scheduler does:
        extenders, percentageOfNodesToScore, pod backoffs, the profile's schedulerName
      both take --leader-elect-lease-duration D, --leader-elect-renew-deadline D and
      --leader-elect-retry-period D (defaults 15s, 10s, 2s); durations are like 500ms, 5s, 1m30s
  nodes --count N [--kubeconfig FILE] [--pod-ready-delay D[-D2] | --stages FILE]
        N simulated nodes against a cluster. A bound pod is Running at once, as with kwok's
        default stages; --pod-ready-delay makes it wait D first, or between D and D2 (500ms-1.5s);
        --stages replaces the pod stages (YAML, kwok-like)
  demo [--data-dir DIR]
        a short tour of the storage layer on embedded SQLite
  help  this text
`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'up': {
      const { values } = parseArgs({
        args: [...rest],
        options: {
          'data-dir': { type: 'string', default: '.kubelite' },
          port: { type: 'string', default: '6443' },
          host: { type: 'string', default: '127.0.0.1' },
          kubeconfig: { type: 'string' },
          nodes: { type: 'string', default: '3' },
          'node-monitor-grace-period': { type: 'string' },
          'scheduler-config': { type: 'string' },
          ...POD_STAGE_FLAGS,
        },
      });
      const dataDir = resolve(values['data-dir']);
      const nodes = count('--nodes', values.nodes);
      const gracePeriod = values['node-monitor-grace-period'];
      const schedulerConfig = values['scheduler-config'] === undefined ? undefined : readSchedulerConfig('--scheduler-config', values['scheduler-config']);
      const stages = podStages(values);
      await serve({
        storage: `sqlite://${join(dataDir, 'kubelite.db')}`,
        host: values.host,
        port: port(values.port),
        kubeconfig: resolve(values.kubeconfig ?? join(dataDir, 'kubeconfig')),
        logger: stdoutLogger,
        controlPlane: {
          nodes,
          ...(gracePeriod === undefined ? {} : { nodeMonitorGracePeriodMs: nodeMonitorGracePeriod(gracePeriod) }),
          ...(schedulerConfig === undefined ? {} : { scheduler: schedulerConfig }),
          ...(stages === undefined ? {} : { stages }),
        },
      });
      return 0;
    }
    case 'controller-manager': {
      const { values } = parseArgs({
        args: [...rest],
        options: { kubeconfig: { type: 'string' }, ...LEADER_ELECTION_FLAGS, 'node-monitor-grace-period': { type: 'string' } },
      });
      const leaderElection = leaderElectionOptions(values, 'kube-controller-manager');
      const gracePeriod = values['node-monitor-grace-period'];
      const nodeMonitorGracePeriodMs = gracePeriod === undefined ? undefined : nodeMonitorGracePeriod(gracePeriod);
      const client = new KubeClient(loadConfig(values.kubeconfig === undefined ? {} : { kubeconfig: values.kubeconfig }));
      const manager = controllerManager({
        client,
        logger: stdoutLogger,
        ...(leaderElection === undefined ? {} : { leaderElection }),
        ...(nodeMonitorGracePeriodMs === undefined ? {} : { nodeMonitorGracePeriodMs }),
      });
      stdoutLogger.info(`controller-manager: running against ${client.rest.config.server}${values['leader-elect'] ? ' (leader election on)' : ''}`);
      await untilInterrupted((signal) => manager.run(signal));
      client.close();
      return 0;
    }
    case 'scheduler': {
      const { values } = parseArgs({ args: [...rest], options: { kubeconfig: { type: 'string' }, config: { type: 'string' }, ...LEADER_ELECTION_FLAGS } });
      const leaderElection = leaderElectionOptions(values, 'kube-scheduler');
      const config = values.config === undefined ? undefined : readSchedulerConfig('--config', values.config);
      const client = new KubeClient(loadConfig(values.kubeconfig === undefined ? {} : { kubeconfig: values.kubeconfig }));
      const manager = scheduler({ client, logger: stdoutLogger, ...(leaderElection === undefined ? {} : { leaderElection }), ...(config === undefined ? {} : { config }) });
      stdoutLogger.info(`scheduler: running against ${client.rest.config.server}${values['leader-elect'] ? ' (leader election on)' : ''}`);
      await untilInterrupted((signal) => manager.run(signal));
      client.close();
      return 0;
    }
    case 'nodes': {
      const { values } = parseArgs({ args: [...rest], options: { kubeconfig: { type: 'string' }, count: { type: 'string' }, ...POD_STAGE_FLAGS } });
      if (values.count === undefined) throw new Error('--count is required, e.g. kubelite nodes --count 100');
      const stages = podStages(values);
      const client = new KubeClient(loadConfig(values.kubeconfig === undefined ? {} : { kubeconfig: values.kubeconfig }));
      const simulator = simulatedNodes({
        client,
        logger: stdoutLogger,
        count: count('--count', values.count),
        ...(stages === undefined ? {} : { stages }),
      });
      stdoutLogger.info(`nodes: ${values.count} simulated nodes against ${client.rest.config.server}`);
      await untilInterrupted((signal) => simulator.run(signal));
      client.close();
      return 0;
    }
    case 'apiserver': {
      const { values } = parseArgs({
        args: [...rest],
        options: {
          storage: { type: 'string' },
          port: { type: 'string', default: '6443' },
          host: { type: 'string', default: '127.0.0.1' },
          kubeconfig: { type: 'string', default: 'kubeconfig' },
        },
      });
      if (values.storage === undefined) throw new Error('--storage is required, e.g. --storage sqlite://data/kubelite.db');
      await serve({ storage: values.storage, host: values.host, port: port(values.port), kubeconfig: resolve(values.kubeconfig), logger: stdoutLogger });
      return 0;
    }
    case 'demo': {
      const { values } = parseArgs({ args: [...rest], options: { 'data-dir': { type: 'string', default: '.kubelite' } } });
      await runStorageDemo(values['data-dir'], stdoutLogger);
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`kubelite: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

function port(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`--port must be a port number, got ${JSON.stringify(text)}`);
  return value;
}

function count(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 100_000) throw new Error(`${flag} must be a whole number from 0 to 100000, got ${JSON.stringify(text)}`);
  return value;
}

function nodeMonitorGracePeriod(text: string): number {
  return durationFlag('--node-monitor-grace-period', text, '40s');
}

/** The simulated nodes' pod stages: a delay before Running, or a stages file. */
const POD_STAGE_FLAGS = {
  'pod-ready-delay': { type: 'string' },
  stages: { type: 'string' },
} as const;

/** The pod stages the flags ask for, or undefined for the defaults. */
function podStages(values: { readonly 'pod-ready-delay'?: string | undefined; readonly stages?: string | undefined }): Stage[] | undefined {
  const delay = values['pod-ready-delay'];
  const file = values.stages;
  if (delay !== undefined && file !== undefined) throw new Error('--pod-ready-delay and --stages do not go together: give the pod-ready stage its delay in the stages file');
  if (file !== undefined) return parseStagesYaml(readFileSync(file, 'utf8'));
  if (delay === undefined) return undefined;
  const { minMs, maxMs } = delayRangeFlag('--pod-ready-delay', delay, '500ms-1.5s');
  return defaultPodStages({ readyDelayMs: minMs, ...(maxMs === undefined ? {} : { readyJitterMs: maxMs }) });
}

/** kube-controller-manager's and kube-scheduler's leader election flags (component-base LeaderElectionConfiguration). */
const LEADER_ELECTION_FLAGS = {
  'leader-elect': { type: 'boolean', default: false },
  'leader-elect-lease-duration': { type: 'string', default: '15s' },
  'leader-elect-renew-deadline': { type: 'string', default: '10s' },
  'leader-elect-retry-period': { type: 'string', default: '2s' },
} as const;

interface LeaderElectionFlagValues {
  readonly 'leader-elect': boolean;
  readonly 'leader-elect-lease-duration': string;
  readonly 'leader-elect-renew-deadline': string;
  readonly 'leader-elect-retry-period': string;
}

/**
 * The Lease kube-system/`name` and its timings from the flags, or undefined without --leader-elect;
 * the timings are checked as upstream's NewLeaderElector checks them, naming the flags.
 */
function leaderElectionOptions(values: LeaderElectionFlagValues, name: string): LeaderElectionOptions | undefined {
  const leaseDurationMs = durationFlag('--leader-elect-lease-duration', values['leader-elect-lease-duration'], '15s');
  const renewDeadlineMs = durationFlag('--leader-elect-renew-deadline', values['leader-elect-renew-deadline'], '10s');
  const retryPeriodMs = durationFlag('--leader-elect-retry-period', values['leader-elect-retry-period'], '2s');
  if (leaseDurationMs <= renewDeadlineMs) throw new Error('--leader-elect-lease-duration must be greater than --leader-elect-renew-deadline');
  if (renewDeadlineMs <= 1.2 * retryPeriodMs) throw new Error('--leader-elect-renew-deadline must be greater than 1.2 × --leader-elect-retry-period');
  if (!values['leader-elect']) return undefined;
  return { namespace: 'kube-system', name, identity: `${hostname()}_${process.pid}`, leaseDurationMs, renewDeadlineMs, retryPeriodMs };
}

/** Runs `work` until Ctrl-C or SIGTERM aborts its signal, and waits for it to stop. */
async function untilInterrupted(work: (signal: AbortSignal) => Promise<void>): Promise<void> {
  const stop = new AbortController();
  const interrupt = (): void => stop.abort();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    await work(stop.signal);
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}

const stdoutLogger = {
  info: (message: string) => process.stdout.write(`${message}\n`),
  warn: stderrLogger.warn,
  error: stderrLogger.error,
};

// `kubelite … | head` closes stdout early; that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`kubelite: ${errorMessage(error)}\n`);
    process.exitCode = 1;
  },
);

/** The KubeSchedulerConfiguration in `path`, or an error naming the flag and what to fix. */
function readSchedulerConfig(flag: string, path: string): SchedulerConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`${flag}: cannot read ${path}: ${errorMessage(error)}`);
  }
  try {
    return parseSchedulerConfig(text);
  } catch (error) {
    throw new Error(`${flag} ${path}: ${errorMessage(error)}`);
  }
}
