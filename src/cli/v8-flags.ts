/**
 * @module
 * V8 settings for kubelite's processes, set before the rest of the CLI is loaded (main.ts imports
 * this module first) and so before its functions are compiled or a worker thread is started.
 *
 * `--always-sparkplug`: each function is compiled by Sparkplug, V8's baseline compiler (fast to
 * compile, no optimization), on its first call, instead of being interpreted until it has run
 * often enough. A fresh `kubelite up` meets its hot paths cold — the server's write and watch
 * paths, the controllers', the scheduler's and the nodes' — and interpreting them while they warm
 * up cost a first large rollout 10–35% of its pace (BENCHMARKS.md, e2e).
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--always-sparkplug');
