/**
 * @module
 * What a benchmark suite produces and how it is shown: figures (each, where it has one, beside the
 * anchor measured in the same run), the machine they were measured on, the printed table, and the
 * results file `bench/results/<suite>.json`, shaped exactly
 * `{suite, date, machine, results: [{name, value, unit, anchor?, anchorValue?, ratio?}]}` so results
 * from different runs and suites can be compared by tools.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem, type as osType, arch } from 'node:os';
import { join } from 'node:path';

/** One measured figure. `ratio` is always value / anchorValue: above 1 is faster for rates, slower for latencies. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly anchor?: string;
  readonly anchorValue?: number;
  /** The target, as the least acceptable ratio (shown in the table, not written to the results file). */
  readonly minRatio?: number;
  /** The target as a value, when the issue sets one (shown in the table, not written to the results file). */
  readonly atLeast?: number;
  readonly atMost?: number;
}

export interface SuiteContext {
  /** A short smoke run: a few seconds per figure, too noisy to record. */
  readonly quick: boolean;
  /** Progress lines (stderr), so a long run shows where it is. */
  readonly log: (line: string) => void;
}

export type Suite = (context: SuiteContext) => Promise<Figure[]>;

/** A figure as written to the results file. */
export interface Result {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly anchor?: string;
  readonly anchorValue?: number;
  readonly ratio?: number;
}

export interface Report {
  readonly suite: string;
  readonly date: string;
  readonly machine: string;
  readonly results: readonly Result[];
}

/** A figure measured against its anchor. */
export function versus(
  name: string,
  unit: string,
  value: number,
  anchor: { readonly name: string; readonly value: number },
  minRatio?: number,
): Figure {
  return { name, unit, value, anchor: anchor.name, anchorValue: anchor.value, ...(minRatio === undefined ? {} : { minRatio }) };
}

/** CPU model and count, memory, OS and Node version, in one line. */
export function describeMachine(): string {
  const cpuList = cpus();
  const model = cpuList[0]?.model.trim().replace(/\s+/g, ' ') ?? 'unknown CPU';
  const memory = (totalmem() / 2 ** 30).toFixed(1);
  return `${cpuList.length} × ${model}, ${memory} GiB RAM, ${osType()} ${release()} ${arch()}, Node ${process.version}`;
}

export function toReport(suite: string, figures: readonly Figure[], date = new Date()): Report {
  return {
    suite,
    date: date.toISOString(),
    machine: describeMachine(),
    results: figures.map((f) => {
      const ratio = ratioOf(f);
      return {
        name: f.name,
        value: round(f.value),
        unit: f.unit,
        ...(f.anchor === undefined ? {} : { anchor: f.anchor }),
        ...(f.anchorValue === undefined ? {} : { anchorValue: round(f.anchorValue) }),
        ...(ratio === undefined ? {} : { ratio: round(ratio, 3) }),
      };
    }),
  };
}

/** Writes `<dir>/<suite>.json` and returns its path. */
export function writeReport(dir: string, report: Report): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${report.suite}.json`);
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}

/** A plain-text table of the figures, with each target and whether this run met it. */
export function formatTable(figures: readonly Figure[]): string {
  const header = ['figure', 'value', 'unit', 'anchor', 'anchor value', 'ratio', 'target'];
  const rows = figures.map((f) => {
    const ratio = ratioOf(f);
    const met = (ok: boolean): string => (ok ? 'met' : 'NOT met');
    const targets = [
      ...(f.minRatio === undefined ? [] : [`≥ ${f.minRatio}× ${met(ratio !== undefined && ratio >= f.minRatio)}`]),
      ...(f.atLeast === undefined ? [] : [`≥ ${format(f.atLeast)} ${met(f.value >= f.atLeast)}`]),
      ...(f.atMost === undefined ? [] : [`≤ ${format(f.atMost)} ${met(f.value <= f.atMost)}`]),
    ];
    const target = targets.join(', ');
    return [
      f.name,
      format(f.value),
      f.unit,
      f.anchor ?? '',
      f.anchorValue === undefined ? '' : format(f.anchorValue),
      ratio === undefined ? '' : `${ratio.toFixed(2)}×`,
      target,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const numeric = new Set([1, 4, 5]);
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function ratioOf(figure: Figure): number | undefined {
  return figure.anchorValue === undefined || figure.anchorValue === 0 ? undefined : figure.value / figure.anchorValue;
}

/** Four significant digits: more would be noise. */
function round(value: number, digits = 4): number {
  return Number(value.toPrecision(digits));
}

function format(value: number): string {
  const rounded = round(value, 3);
  return Math.abs(rounded) >= 1000 ? Math.round(rounded).toLocaleString('en-US') : String(rounded);
}
