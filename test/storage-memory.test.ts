import { MemoryStore } from '../src/storage/memory/memory-store.js';
import { runStorageConformance } from '../src/storage/testing/conformance.js';
import { silentLogger } from '../src/util/logger.js';

runStorageConformance('memory', async () =>
  new MemoryStore({ logger: silentLogger, progressNotifyIntervalMs: 100, ttlSweepIntervalMs: 100, compaction: false }),
);
