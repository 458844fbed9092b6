#!/usr/bin/env node
/**
 * @module
 * The `kubelite` command.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../client/config/load.js';
import { KubeClient } from '../client/kube-client.js';
import { parseStagesYaml } from '../node/stages.js';
import { errorMessage, stderrLogger } from '../util/logger.js';
import { controllerManager, scheduler, simulatedNodes } from './control-plane.js';
import { serve } from './serve.js';
import { runStorageDemo } from './storage-demo.js';

const USAGE = `usage: kubelite <command> [options]

commands:
  up [--data-dir DIR] [--port N] [--kubeconfig FILE] [--nodes N]
        the control plane in one process on embedded SQLite in DIR (default .kubelite): the API
        server, the controllers and N simulated nodes (default 3); writes a kubeconfig (default
        DIR/kubeconfig) and runs until Ctrl-C
  apiserver --storage URL [--port N] [--host H] [--kubeconfig FILE]
        the API server alone; URL is sqlite://<file>, etcd://<host:port>[,…][/<prefix>] or memory://
  controller-manager [--kubeconfig FILE] [--leader-elect]
        the controllers alone, against the cluster of the kubeconfig (default: the usual lookup);
        with --leader-elect, several run and one acts (Lease kube-system/kube-controller-manager)
  scheduler [--kubeconfig FILE] [--leader-elect]
        the scheduler alone (Lease kube-system/kube-scheduler with --leader-elect)
  nodes --count N [--kubeconfig FILE] [--stages FILE]
        N simulated nodes against a cluster; --stages replaces the pod stages (YAML, kwok-like)
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
        },
      });
      const dataDir = resolve(values['data-dir']);
      const nodes = count('--nodes', values.nodes);
      await serve({
        storage: `sqlite://${join(dataDir, 'kubelite.db')}`,
        host: values.host,
        port: port(values.port),
        kubeconfig: resolve(values.kubeconfig ?? join(dataDir, 'kubeconfig')),
        logger: stdoutLogger,
        controlPlane: { nodes },
      });
      return 0;
    }
    case 'controller-manager': {
      const { values } = parseArgs({ args: [...rest], options: { kubeconfig: { type: 'string' }, 'leader-elect': { type: 'boolean', default: false } } });
      const client = new KubeClient(loadConfig(values.kubeconfig === undefined ? {} : { kubeconfig: values.kubeconfig }));
      const manager = controllerManager({
        client,
        logger: stdoutLogger,
        ...(values['leader-elect'] ? { leaderElection: { namespace: 'kube-system', name: 'kube-controller-manager', identity: `${hostname()}_${process.pid}` } } : {}),
      });
      stdoutLogger.info(`controller-manager: running against ${client.rest.config.server}${values['leader-elect'] ? ' (leader election on)' : ''}`);
      await untilInterrupted((signal) => manager.run(signal));
      client.close();
      return 0;
    }
    case 'scheduler': {
      const { values } = parseArgs({ args: [...rest], options: { kubeconfig: { type: 'string' }, 'leader-elect': { type: 'boolean', default: false } } });
      const client = new KubeClient(loadConfig(values.kubeconfig === undefined ? {} : { kubeconfig: values.kubeconfig }));
      const manager = scheduler({
        client,
        logger: stdoutLogger,
        ...(values['leader-elect'] ? { leaderElection: { namespace: 'kube-system', name: 'kube-scheduler', identity: `${hostname()}_${process.pid}` } } : {}),
      });
      stdoutLogger.info(`scheduler: running against ${client.rest.config.server}${values['leader-elect'] ? ' (leader election on)' : ''}`);
      await untilInterrupted((signal) => manager.run(signal));
      client.close();
      return 0;
    }
    case 'nodes': {
      const { values } = parseArgs({ args: [...rest], options: { kubeconfig: { type: 'string' }, count: { type: 'string' }, stages: { type: 'string' } } });
      if (values.count === undefined) throw new Error('--count is required, e.g. kubelite nodes --count 100');
      const client = new KubeClient(loadConfig(values.kubeconfig === undefined ? {} : { kubeconfig: values.kubeconfig }));
      const simulator = simulatedNodes({
        client,
        logger: stdoutLogger,
        count: count('--count', values.count),
        ...(values.stages === undefined ? {} : { stages: parseStagesYaml(readFileSync(values.stages, 'utf8')) }),
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
