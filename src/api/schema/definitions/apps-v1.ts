/**
 * @module
 * (to be written)
 */
import type { Definition } from '../schema.js';

export const APPS_V1: readonly Definition[] = [];
