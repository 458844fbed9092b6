/**
 * @module
 * Memory readings of the process it runs in: now (optionally after a full GC, so heap used is the
 * live heap), and the peak over a window of work.
 *
 * The peaks are exact rather than sampled, which matters because a Table list is built in one
 * synchronous stretch that no timer could interrupt:
 * - RSS: the kernel's high-water mark (VmHWM in /proc/self/status), reset at the window's start by
 *   writing 5 to /proc/self/clear_refs (Linux ≥ 4.0).
 * - Heap used only falls at a GC, so its highest point in the window is just before one of the
 *   window's GCs or at its end. V8's GC profiler reports the heap before every GC.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { GCProfiler } from 'node:v8';

export interface MemoryReading {
  /** Bytes. */
  readonly rss: number;
  /** Bytes of V8 heap in use. */
  readonly heapUsed: number;
}

/** Memory now; after a full GC when `gc` is set and the process runs with --expose-gc. */
export function memoryNow(gc: boolean): MemoryReading {
  if (gc) {
    if (globalThis.gc === undefined) throw new Error('memoryNow(gc) needs node --expose-gc');
    globalThis.gc();
  }
  const usage = process.memoryUsage();
  return { rss: usage.rss, heapUsed: usage.heapUsed };
}

/** The peak memory of one window of work: `start()`, the work, then `stop()`. */
export class PeakMemory {
  private profiler: GCProfiler | undefined;
  private peakHeapUsed = 0;

  start(): void {
    if (this.profiler !== undefined) throw new Error('PeakMemory is already running');
    // Resets VmHWM to the current RSS.
    writeFileSync('/proc/self/clear_refs', '5');
    this.peakHeapUsed = process.memoryUsage().heapUsed;
    this.profiler = new GCProfiler();
    this.profiler.start();
  }

  stop(): MemoryReading {
    const profiler = this.profiler;
    if (profiler === undefined) throw new Error('PeakMemory.stop() before start()');
    this.profiler = undefined;
    const { statistics } = profiler.stop();
    let heapUsed = Math.max(this.peakHeapUsed, process.memoryUsage().heapUsed);
    for (const gc of statistics) heapUsed = Math.max(heapUsed, gc.beforeGC.heapStatistics.usedHeapSize);
    return { rss: highWaterRss(), heapUsed };
  }
}

/** VmHWM: the most resident memory since the process started or the mark was last reset. */
function highWaterRss(): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  if (match?.[1] === undefined) throw new Error('no VmHWM in /proc/self/status');
  return Number(match[1]) * 1024;
}
