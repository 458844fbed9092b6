/**
 * @module
 * (to be written)
 */
import type { Definition } from '../schema.js';

export const OTHER_GROUPS_V1: readonly Definition[] = [];
