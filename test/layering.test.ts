/**
 * Layers import only downward (DESIGN.md): this test reads every source file's imports and fails on
 * any that reach up or sideways — for instance a controller importing the API server or storage
 * instead of going through the client.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const src = join(root, 'src');

/** For each layer, the layers its files may import (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  util: [],
  api: [],
  storage: ['api', 'util'],
  apiserver: ['api', 'storage', 'util'],
  client: ['api', 'util'],
  runtime: ['api', 'client', 'util'],
  controllers: ['api', 'client', 'runtime', 'util'],
  node: ['api', 'client', 'runtime', 'util'],
  cli: ['api', 'storage', 'apiserver', 'client', 'runtime', 'controllers', 'node', 'util'],
  // kubelite/testing starts what `kubelite up` starts, composed by the CLI's roles.
  testing: ['api', 'storage', 'apiserver', 'client', 'runtime', 'controllers', 'node', 'cli', 'util'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

test('every source file imports only its own layer and the layers below it', () => {
  const violations: string[] = [];
  for (const file of sourceFiles(src)) {
    const layer = relative(src, file).split('/')[0] ?? '';
    const allowed = ALLOWED[layer];
    if (allowed === undefined) {
      violations.push(`${relative(root, file)}: src/${layer} is not a layer DESIGN.md knows`);
      continue;
    }
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s+['"](\.[^'"]+)['"]/g)) {
      const target = relative(src, resolve(dirname(file), specifier ?? '')).split('/')[0] ?? '';
      if (target !== layer && !allowed.includes(target)) {
        violations.push(`${relative(root, file)} imports ${specifier} (src/${target})`);
      }
    }
  }
  assert.deepEqual(violations, []);
});
