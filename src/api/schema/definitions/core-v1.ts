/**
 * @module
 * (to be written)
 */
import type { Definition } from '../schema.js';

export const CORE_V1: readonly Definition[] = [];
