/**
 * @module
 * A CRD version's additionalPrinterColumns as the Table columns of its custom resources, and their
 * validation. Follows apiextensions-apiserver pkg/registry/customresource/tableconvertor/
 * tableconvertor.go (New, ConvertToTable, cellForJSONValue), pkg/apihelpers/helpers.go
 * (GetColumnsForVersion: a version without columns is served an Age column) and
 * pkg/apis/apiextensions/validation/validation.go (ValidateCustomResourceColumnDefinition).
 *
 * NAME comes first, then the declared columns. Each cell evaluates `{<jsonPath>}` with missing keys
 * allowed and takes the first result only; a path that finds nothing (or fails) gives a null cell,
 * which kubectl prints blank. String columns print the value as JSONPath prints it (objects as
 * JSON); integer, number and boolean columns keep the JSON value when it has that type; a date
 * column becomes a relative age like AGE ("<invalid>" when not RFC 3339). A column whose path does
 * not parse ends the list, as upstream's New stops at the first unparsable column.
 */
import { type FieldError, fieldErrors } from '../../api/field-errors.js';
import { type JsonObject, type JsonValue, isJsonObject } from '../../api/json.js';
import { metaString } from '../registry/object-meta.js';
import type { TableColumn, TablePrinter } from '../registry/resource-definition.js';
import type { CrdPrinterColumn } from '../resources/crd-model.js';
import { humanDuration } from '../table.js';
import { type JsonPath, findResults, parseJsonPath, printValue } from './jsonpath.js';

type ColumnType = TableColumn['type'];
type Cell = string | number | boolean | null;

/** printerColumnDatatypes, sorted as sets.String.List() gives them. */
const COLUMN_TYPES: readonly ColumnType[] = ['boolean', 'date', 'integer', 'number', 'string'];
/** customResourceColumnDefinitionFormats, sorted. */
const COLUMN_FORMATS: readonly string[] = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];

const NAME_COLUMN: TableColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  priority: 0,
};

/** serveDefaultColumnsIfEmpty: the column a version without additionalPrinterColumns is served. */
export const DEFAULT_CUSTOM_RESOURCE_COLUMNS: readonly CrdPrinterColumn[] = [
  {
    name: 'Age',
    type: 'date',
    format: '',
    description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
    priority: 0,
    jsonPath: '.metadata.creationTimestamp',
  },
];

interface CompiledColumn {
  readonly type: string;
  readonly path: JsonPath;
}

/** The Table printer of a version with these additionalPrinterColumns (the default Age column if none). */
export function printerFor(declared: readonly CrdPrinterColumn[]): TablePrinter {
  const columns = declared.length > 0 ? declared : DEFAULT_CUSTOM_RESOURCE_COLUMNS;
  const headers: TableColumn[] = [NAME_COLUMN];
  const compiled: CompiledColumn[] = [];
  for (const column of columns) {
    let path: JsonPath;
    try {
      path = parseJsonPath(`{${column.jsonPath}}`);
    } catch {
      break;
    }
    compiled.push({ type: column.type, path });
    headers.push({
      name: column.name,
      type: isColumnType(column.type) ? column.type : 'string',
      format: column.format,
      description: column.description === '' ? `Custom resource definition column (in JSONPath format): ${column.jsonPath}` : column.description,
      priority: column.priority,
    });
  }
  return {
    columns: headers,
    cells: (object, now) => [metaString(object, 'name'), ...compiled.map((column) => cellOf(column, object, now))],
  };
}

/** One cell: the first value the column's path finds, converted for the column's type. */
function cellOf(column: CompiledColumn, object: JsonObject, now: number): Cell {
  let value: JsonValue;
  try {
    const first = findResults(column.path, object, { allowMissingKeys: true })[0]?.[0];
    if (first === undefined) return null;
    value = first;
  } catch {
    return null;
  }
  // A string column prints the value as JSONPath does; a null printed on its own is "<no value>".
  if (column.type === 'string') return value === null ? '<no value>' : printValue(value);
  return cellForJsonValue(column.type, value, now);
}

/** cellForJSONValue. */
function cellForJsonValue(type: string, value: JsonValue, now: number): Cell {
  switch (type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      return typeof value === 'string' ? dateCell(value, now) : null;
    default:
      return null;
  }
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** metav1.Time.UnmarshalQueryParameter, then ConvertToHumanReadableDateType. */
function dateCell(value: string, now: number): string {
  if (value === '' || value === 'null') return '<unknown>';
  const at = RFC3339.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? '<invalid>' : humanDuration(now - at);
}

function isColumnType(type: string): type is ColumnType {
  return (COLUMN_TYPES as readonly string[]).includes(type);
}

/**
 * ValidateCustomResourceColumnDefinition for each of a version's additionalPrinterColumns;
 * `path` is the list's, e.g. `spec.versions[0].additionalPrinterColumns`.
 */
export function validatePrinterColumns(columns: JsonValue | undefined, path: string): FieldError[] {
  if (!Array.isArray(columns)) return [];
  return columns.flatMap((entry, i) => validateColumn(isJsonObject(entry) ? entry : {}, `${path}[${i}]`));
}

function validateColumn(column: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const text = (field: string): string => (typeof column[field] === 'string' ? (column[field] as string) : '');
  if (text('name') === '') errors.push(fieldErrors.required(`${path}.name`, ''));
  const type = text('type');
  const types = `must be one of ${COLUMN_TYPES.join(',')}`;
  if (type === '') errors.push(fieldErrors.required(`${path}.type`, types));
  else if (!isColumnType(type)) errors.push(fieldErrors.invalid(`${path}.type`, type, types));
  const format = text('format');
  if (format !== '' && !COLUMN_FORMATS.includes(format)) {
    errors.push(fieldErrors.invalid(`${path}.format`, format, `must be one of ${COLUMN_FORMATS.join(',')}`));
  }
  const jsonPath = text('jsonPath');
  // Upstream names the field by its Go name here.
  if (jsonPath === '') errors.push(fieldErrors.required(`${path}.JSONPath`, ''));
  else errors.push(...validateSimpleJsonPath(jsonPath, `${path}.JSONPath`));
  return errors;
}

/** validateSimpleJSONPath: a path starting with a dot. */
export function validateSimpleJsonPath(value: string, path: string): FieldError[] {
  if (value === '') return [fieldErrors.invalid(path, value, 'must not be empty')];
  if (!value.startsWith('.')) return [fieldErrors.invalid(path, value, 'must be a simple json path starting with .')];
  return [];
}
