/**
 * @module
 * (to be written)
 */
import type { Definition } from '../schema.js';

export const BATCH_V1: readonly Definition[] = [];
