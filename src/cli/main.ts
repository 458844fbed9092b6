#!/usr/bin/env node
/**
 * @module
 * The `kubelite` command.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { errorMessage, stderrLogger } from '../util/logger.js';
import { serve } from './serve.js';
import { runStorageDemo } from './storage-demo.js';

const USAGE = `usage: kubelite <command> [options]

commands:
  up [--data-dir DIR] [--port N] [--kubeconfig FILE]
        the control plane in one process on embedded SQLite in DIR (default .kubelite);
        writes a kubeconfig (default DIR/kubeconfig) and runs until Ctrl-C
  apiserver --storage URL [--port N] [--host H] [--kubeconfig FILE]
        the API server alone; URL is sqlite://<file>, etcd://<host:port>[,…][/<prefix>] or memory://
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
        },
      });
      const dataDir = resolve(values['data-dir']);
      await serve({
        storage: `sqlite://${join(dataDir, 'kubelite.db')}`,
        host: values.host,
        port: port(values.port),
        kubeconfig: resolve(values.kubeconfig ?? join(dataDir, 'kubeconfig')),
        logger: stdoutLogger,
      });
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
