/**
 * @module
 * (to be written)
 */
import type { Definition } from '../schema.js';

export const CORE_V1_POD: readonly Definition[] = [];
