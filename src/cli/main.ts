#!/usr/bin/env node
/**
 * @module
 * The `kubelite` command.
 */
import { parseArgs } from 'node:util';
import { runStorageDemo } from './storage-demo.js';
import { errorMessage, stderrLogger } from '../util/logger.js';

const USAGE = `usage: kubelite <command> [options]

commands:
  demo [--data-dir DIR]   a short tour of the storage layer on embedded SQLite (default DIR: .kubelite)
  help                    this text
`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
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
