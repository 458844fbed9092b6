/**
 * @module
 * A set of named definitions that refer to each other, with lookups and a consistency check: every
 * reference resolves, every required property and list map key is declared, every merge key names a
 * property of the list's items, and protobuf field numbers do not collide within a message (an
 * inlined struct's properties count within its own sub-message).
 */
import type { ArraySchema, Definition, InlinedProto, ObjectSchema, Schema } from './schema.js';

export class SchemaSet {
  private readonly byName = new Map<string, Definition>();

  constructor(definitions: Iterable<Definition> = []) {
    for (const definition of definitions) this.add(definition);
  }

  /** Adds a definition; a second one under the same name is an error. */
  add(definition: Definition): void {
    if (this.byName.has(definition.name)) throw new Error(`schema ${definition.name} is defined twice`);
    this.byName.set(definition.name, definition);
  }

  get(name: string): Definition | undefined {
    return this.byName.get(name);
  }

  /** How many definitions the set holds; sets only grow, so this changes whenever one is added. */
  get size(): number {
    return this.byName.size;
  }

  get definitions(): IterableIterator<Definition> {
    return this.byName.values();
  }

  /** The schema a reference stands for, following references. */
  resolve(schema: Schema): Exclude<Schema, { type: 'ref' }> {
    let current: Schema = schema;
    for (let hops = 0; current.type === 'ref'; hops++) {
      const target = this.byName.get(current.ref);
      if (target === undefined) throw new Error(`schema reference ${current.ref} does not resolve`);
      if (hops > 32) throw new Error(`schema reference ${current.ref} loops`);
      current = target.schema;
    }
    return current;
  }

  /** Problems with the set, one sentence each; empty when consistent. */
  check(): string[] {
    const problems: string[] = [];
    for (const definition of this.byName.values()) this.checkSchema(definition.schema, definition.name, problems);
    return problems;
  }

  private checkSchema(schema: Schema, where: string, problems: string[]): void {
    switch (schema.type) {
      case 'ref':
        if (!this.byName.has(schema.ref)) problems.push(`${where}: reference to undefined ${schema.ref}`);
        break;
      case 'object':
        this.checkObject(schema, where, problems);
        break;
      case 'array':
        this.checkArray(schema, where, problems);
        break;
      case 'string':
      case 'integer':
      case 'number':
      case 'boolean':
      case 'int-or-string':
      case 'any':
        break;
      default: {
        const never: never = schema;
        problems.push(`${where}: unknown schema ${JSON.stringify(never)}`);
      }
    }
  }

  private checkObject(schema: ObjectSchema, where: string, problems: string[]): void {
    for (const [name, property] of Object.entries(schema.properties ?? {})) this.checkSchema(property, `${where}.${name}`, problems);
    if (schema.additionalProperties !== undefined) this.checkSchema(schema.additionalProperties, `${where}[*]`, problems);
    for (const name of schema.required ?? []) {
      if (schema.properties?.[name] === undefined) problems.push(`${where}: required property ${name} is not declared`);
    }
    this.checkProtoNumbers(schema, where, problems);
  }

  /** Field numbers are unique in the object's message and in each inlined sub-message. */
  private checkProtoNumbers(schema: ObjectSchema, where: string, problems: string[]): void {
    this.checkProtoLevel(Object.entries(schema.properties ?? {}), schema.inlinedProto, where, problems);
  }

  private checkProtoLevel(properties: readonly (readonly [string, Schema])[], inlinedProto: InlinedProto | undefined, where: string, problems: string[]): void {
    const inlined = new Set(inlinedProto?.properties ?? []);
    for (const name of inlined) {
      if (!properties.some(([declared]) => declared === name)) problems.push(`${where}: inlined protobuf property ${name} is not declared`);
    }
    const numbers = new Map<number, string>();
    if (inlinedProto !== undefined) numbers.set(inlinedProto.field, '(inlined struct)');
    for (const [name, property] of properties) {
      if (property.proto === undefined || inlined.has(name)) continue;
      const other = numbers.get(property.proto);
      if (other !== undefined) problems.push(`${where}: protobuf field ${property.proto} is both ${other} and ${name}`);
      numbers.set(property.proto, name);
    }
    if (inlinedProto !== undefined) {
      this.checkProtoLevel(properties.filter(([name]) => inlined.has(name)), inlinedProto.inlinedProto, `${where} (inlined)`, problems);
    }
  }

  private checkArray(schema: ArraySchema, where: string, problems: string[]): void {
    this.checkSchema(schema.items, `${where}[]`, problems);
    const keys = [...(schema.listMapKeys ?? []), ...(schema.patchMergeKey === undefined ? [] : [schema.patchMergeKey])];
    if (schema.listType === 'map' && (schema.listMapKeys ?? []).length === 0) problems.push(`${where}: listType map without listMapKeys`);
    if (keys.length === 0) return;
    let items: Schema;
    try {
      items = this.resolve(schema.items);
    } catch {
      return; // reported as an unresolved reference
    }
    for (const key of keys) {
      if (items.type !== 'object' || items.properties?.[key] === undefined) {
        problems.push(`${where}: list key ${key} is not a property of the items`);
      }
    }
  }
}
