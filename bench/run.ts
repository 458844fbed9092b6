/**
 * @module
 * `npm run bench -- <suite> [--quick]`: runs one benchmark suite, prints its table and writes
 * `bench/results/<suite>.json` (see report.ts). `--quick` is a smoke check of a few seconds per
 * figure; its numbers are too noisy to record in BENCHMARKS.md, so record only a full run.
 */
import { fileURLToPath } from 'node:url';
import { apiSuite } from './api.js';
import { clientSuite } from './client.js';
import { crdSuite } from './crd.js';
import { e2eSuite } from './e2e.js';
import { type Suite, formatTable, toReport, writeReport } from './report.js';
import { storageSuite } from './storage.js';

const SUITES: Readonly<Record<string, Suite>> = { storage: storageSuite, api: apiSuite, client: clientSuite, e2e: e2eSuite, crd: crdSuite };

/** bench/results in the repository, whether this runs from bench/ or from dist/bench/. */
const RESULTS_DIR = fileURLToPath(
  new URL(import.meta.url.includes('/dist/') ? '../../bench/results' : './results', import.meta.url),
);

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const names = args.filter((arg) => !arg.startsWith('--'));
const unknownFlags = args.filter((arg) => arg.startsWith('--') && arg !== '--quick');
const suite = names.length === 1 && names[0] !== undefined ? SUITES[names[0]] : undefined;
if (suite === undefined || unknownFlags.length > 0) {
  process.stderr.write(`usage: npm run bench -- <suite> [--quick]\nsuites: ${Object.keys(SUITES).join(', ')}\n`);
  process.exit(2);
}
const name = names[0] as string;

const started = performance.now();
const log = (line: string): void => {
  process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);
};
log(`${name}${quick ? ' (quick)' : ''}: starting`);
const figures = await suite({ quick, log });
const report = toReport(name, figures);
const path = writeReport(RESULTS_DIR, report);
process.stdout.write(`\n${name} — ${report.date}\n${report.machine}\n\n${formatTable(figures)}\n\n`);
log(`wrote ${path}${quick ? ' (quick run: a smoke check, not for BENCHMARKS.md)' : ''}`);
