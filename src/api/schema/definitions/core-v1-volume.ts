/**
 * @module
 * (to be written)
 */
import type { Definition } from '../schema.js';

export const CORE_V1_VOLUME: readonly Definition[] = [];
