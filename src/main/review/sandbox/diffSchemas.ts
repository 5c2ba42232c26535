import type { SchemaDifference, SchemaObjectKind } from '../../../shared/domain/review';
import type { ColumnInfo, SchemaInfo, SchemaModel, TableInfo, ViewInfo } from '../../../shared/domain/SchemaModel';

export interface DiffSchemasOptions {
  /**
   * Report columns whose position differs. Defaults to false: a down that re-adds a dropped column can only
   * append it, and no query by column name notices.
   */
  columnOrder?: boolean;
}

/** Facts that change without any DDL and so are never a difference. */
const volatileKeys = new Set(['estimatedRows', 'sizeBytes', 'introspectedAt']);

/** JSON with sorted keys and no volatile facts, so equal objects give equal text whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (key, v: unknown) => {
    if (volatileKeys.has(key)) return undefined;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

const shown = (value: unknown): string => (value === undefined ? '(none)' : typeof value === 'string' ? value : canonical(value));

/**
 * Differences from `a` to `b`: what `b` added, removed or changed. Empty when the schemas are the same apart from
 * volatile facts (row estimates, sizes, the introspection time). Objects are matched by name; unnamed
 * constraints by their content, so an unnamed constraint that changed reads as one removed and one added.
 */
export function diffSchemas(a: SchemaModel, b: SchemaModel, options: DiffSchemasOptions = {}): SchemaDifference[] {
  const out: SchemaDifference[] = [];
  const differ = new Differ(out, options);
  differ.keyed('schema', '', a.schemas, b.schemas, (s) => s.name, (path, x, y) => differ.schema(path, x, y));
  return out;
}

class Differ {
  constructor(
    private readonly out: SchemaDifference[],
    private readonly options: DiffSchemasOptions,
  ) {}

  /** Matches items by key; reports unmatched ones and hands matched pairs to `same`. */
  keyed<T>(object: SchemaObjectKind, parent: string, before: readonly T[], after: readonly T[], key: (item: T) => string, same?: (path: string, x: T, y: T) => void): void {
    const afterByKey = new Map(after.map((item) => [key(item), item]));
    const beforeKeys = new Set<string>();
    for (const x of before) {
      const k = key(x);
      beforeKeys.add(k);
      const path = parent ? `${parent}.${k}` : k;
      const y = afterByKey.get(k);
      if (y === undefined) this.out.push({ change: 'removed', object, path, message: `${object} ${path} was removed` });
      else same?.(path, x, y);
    }
    for (const y of after) {
      const k = key(y);
      if (beforeKeys.has(k)) continue;
      const path = parent ? `${parent}.${k}` : k;
      this.out.push({ change: 'added', object, path, message: `${object} ${path} was added` });
    }
  }

  /** Reports each listed property whose canonical value differs. */
  properties<T extends object>(object: SchemaObjectKind, path: string, x: T, y: T, keys: readonly (keyof T & string)[]): void {
    for (const property of keys) {
      const before = x[property];
      const after = y[property];
      if (canonical(before) === canonical(after)) continue;
      this.out.push({
        change: 'changed',
        object,
        path,
        property,
        before: shown(before),
        after: shown(after),
        message: `${object} ${path}: ${property} changed from ${shown(before)} to ${shown(after)}`,
      });
    }
  }

  schema(path: string, x: SchemaInfo, y: SchemaInfo): void {
    this.keyed('table', path, x.tables, y.tables, (t) => t.name, (p, tx, ty) => this.table(p, tx, ty));
    this.keyed('view', path, x.views, y.views, (v) => v.name, (p, vx, vy) => this.view(p, vx, vy));
    this.keyed('routine', path, x.routines, y.routines, (r) => `${r.name}${r.signature}`, (p, rx, ry) => this.properties('routine', p, rx, ry, ['kind', 'returns', 'language']));
    this.keyed('sequence', path, x.sequences, y.sequences, (s) => s.name, (p, sx, sy) => this.properties('sequence', p, sx, sy, ['dataType', 'ownedBy']));
    this.keyed('enum', path, x.enums, y.enums, (e) => e.name, (p, ex, ey) => this.properties('enum', p, ex, ey, ['values']));
  }

  table(path: string, x: TableInfo, y: TableInfo): void {
    this.properties('table', path, x, y, ['kind', 'comment']);
    this.columns('column', path, x.columns, y.columns);
    if (canonical(x.primaryKey) !== canonical(y.primaryKey)) {
      if (!x.primaryKey) this.out.push({ change: 'added', object: 'primary-key', path, message: `primary-key of ${path} was added (${shown(y.primaryKey)})` });
      else if (!y.primaryKey) this.out.push({ change: 'removed', object: 'primary-key', path, message: `primary-key of ${path} was removed (${shown(x.primaryKey)})` });
      else this.properties('primary-key', path, x.primaryKey, y.primaryKey, ['name', 'columns']);
    }
    this.keyed('unique-constraint', path, x.uniqueConstraints, y.uniqueConstraints, (u) => u.name ?? `(${u.columns.join(', ')})`, (p, ux, uy) => this.properties('unique-constraint', p, ux, uy, ['columns']));
    this.keyed('foreign-key', path, x.foreignKeys, y.foreignKeys, (f) => f.name ?? `(${f.columns.join(', ')}) -> ${f.referencedTable}`, (p, fx, fy) =>
      this.properties('foreign-key', p, fx, fy, ['columns', 'referencedSchema', 'referencedTable', 'referencedColumns', 'onUpdate', 'onDelete']),
    );
    this.keyed('check', path, x.checks, y.checks, (c) => c.name ?? `(${c.expression})`, (p, cx, cy) => this.properties('check', p, cx, cy, ['expression']));
    this.keyed('index', path, x.indexes, y.indexes, (i) => i.name, (p, ix, iy) => this.properties('index', p, ix, iy, ['columns', 'unique', 'primary', 'method', 'predicate']));
    this.keyed('trigger', path, x.triggers, y.triggers, (t) => t.name, (p, tx, ty) => this.properties('trigger', p, tx, ty, ['timing', 'events', 'definition']));
  }

  view(path: string, x: ViewInfo, y: ViewInfo): void {
    this.properties('view', path, x, y, ['materialized', 'definition', 'comment']);
    this.columns('column', path, x.columns, y.columns);
  }

  columns(object: SchemaObjectKind, path: string, x: readonly ColumnInfo[], y: readonly ColumnInfo[]): void {
    const keys: (keyof ColumnInfo & string)[] = ['dataType', 'nullable', 'default', 'identity', 'generated', 'comment'];
    if (this.options.columnOrder) keys.push('ordinal');
    this.keyed(object, path, x, y, (c) => c.name, (p, cx, cy) => this.properties(object, p, cx, cy, keys));
  }
}
