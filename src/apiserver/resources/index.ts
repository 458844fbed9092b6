/**
 * @module
 * Every built-in resource the API server serves.
 */
import type { ResourceDefinition } from '../registry/resource-definition.js';
import { CONFIG_MAPS } from './configmaps.js';
import { NAMESPACES } from './namespaces.js';

export const BUILT_IN_RESOURCES: readonly ResourceDefinition[] = [NAMESPACES, CONFIG_MAPS];
