/**
 * @module
 * client-go's work queues: the base queue (dedup, one worker per item), the delaying queue, the
 * rate-limiting queue controllers use, its rate limiters and metrics.
 */
export { WorkQueue, type QueueOptions, type GetResult } from './queue.js';
export { DelayingQueue } from './delaying-queue.js';
export { RateLimitingQueue, type RateLimitingQueueOptions } from './rate-limiting-queue.js';
export {
  type RateLimiter,
  ItemExponentialFailureRateLimiter,
  BucketRateLimiter,
  type BucketRateLimiterOptions,
  ItemFastSlowRateLimiter,
  MaxOfRateLimiter,
  WithMaxWaitRateLimiter,
  defaultControllerRateLimiter,
  type DefaultControllerRateLimiterOptions,
} from './rate-limiters.js';
export {
  type WorkQueueMetrics,
  noopWorkQueueMetrics,
  InMemoryWorkQueueMetrics,
  type InMemoryWorkQueueMetricsOptions,
  type HistogramSnapshot,
  renderWorkQueueMetrics,
} from './metrics.js';
