/**
 * @module
 * Server-side printing: lists, objects and watch events as meta.k8s.io Tables, which is what
 * `kubectl get` asks for and prints. Each kind supplies its columns (the ones kubectl shows against
 * Kubernetes); a kind without a printer gets upstream's default NAME / CREATED AT table
 * (staging/src/k8s.io/apiserver/pkg/registry/rest/table.go). Each row carries the object's metadata
 * (includeObject=Metadata, the default), the whole object, or nothing.
 */
import { type JsonObject, type JsonValue, isJsonObject } from '../api/json.js';
import { badRequest } from '../api/status.js';
import type { TableColumn, TablePrinter } from './registry/resource-definition.js';
import { asPartialObjectMetadata } from './partial-metadata.js';


export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function parseIncludeObject(value: string | null): IncludeObject {
  if (value === null || value === '' || value === 'Metadata') return 'Metadata';
  if (value === 'None' || value === 'Object') return value;
  throw badRequest(`includeObject must be one of None, Metadata, Object; got ${JSON.stringify(value)}`);
}

/** The default printer: name and creation time. */
export const DEFAULT_PRINTER: TablePrinter = {
  columns: [
    { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
    { name: 'Created At', type: 'date', description: 'When the object was created.', priority: 0 },
  ],
  cells: (object) => {
    const metadata = isJsonObject(object.metadata) ? object.metadata : {};
    return [typeof metadata.name === 'string' ? metadata.name : '', typeof metadata.creationTimestamp === 'string' ? metadata.creationTimestamp : null];
  },
};

export interface TableOptions {
  readonly printer: TablePrinter;
  readonly includeObject: IncludeObject;
  /** meta.k8s.io version the client asked for. */
  readonly version: 'v1' | 'v1beta1';
  /** Leave out the column definitions (later events of a watch). */
  readonly noHeaders: boolean;
  readonly now: number;
  readonly listMeta?: JsonObject;
}

/** A Table of `objects`. */
export function toTable(objects: readonly JsonObject[], options: TableOptions): JsonObject {
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${options.version}`,
    metadata: options.listMeta ?? {},
    columnDefinitions: options.noHeaders ? [] : options.printer.columns.map(columnDefinition),
    rows: objects.map((object) => row(object, options)),
  };
}

function columnDefinition(column: TableColumn): JsonObject {
  return {
    name: column.name,
    type: column.type,
    format: column.format ?? '',
    description: column.description,
    priority: column.priority,
  };
}

function row(object: JsonObject, options: TableOptions): JsonObject {
  const cells: JsonValue[] = [...options.printer.cells(object, options.now)];
  const result: JsonObject = { cells };
  switch (options.includeObject) {
    case 'None':
      break;
    case 'Object':
      result.object = object;
      break;
    case 'Metadata':
      result.object = asPartialObjectMetadata(object, options.version);
      break;
    default: {
      const never: never = options.includeObject;
      throw new Error(`unknown includeObject ${String(never)}`);
    }
  }
  return result;
}

/** kubectl's AGE: "5s", "3m20s", "4h", "2d3h" (apimachinery duration.HumanDuration). */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  // A clock up to a second behind counts as now.
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (days < 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (days < 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (years < 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

/** The AGE cell of an object: time since creation, as kubectl prints it. */
export function age(object: JsonObject, now: number): string {
  const created = isJsonObject(object.metadata) ? object.metadata.creationTimestamp : undefined;
  if (typeof created !== 'string') return '<unknown>';
  const at = Date.parse(created);
  return Number.isNaN(at) ? '<unknown>' : humanDuration(now - at);
}


