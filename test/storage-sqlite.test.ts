import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openSqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import { runStorageConformance } from '../src/storage/testing/conformance.js';
import { silentLogger } from '../src/util/logger.js';

const dir = mkdtempSync(join(tmpdir(), 'kubelite-sqlite-conformance-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

runStorageConformance('sqlite', () =>
  openSqliteStore(join(dir, `store-${++n}.db`), {
    logger: silentLogger,
    progressNotifyIntervalMs: 100,
    ttlSweepIntervalMs: 100,
    compaction: false,
  }),
);
