import type { ChangeSqlFacts } from './changeSqlFacts';
import type { LiquibaseNode } from './LiquibaseNode';

/** A change that cannot be turned into SQL as written (a missing attribute, a change the dialect lacks). */
export class ChangeError extends Error {}

export function required(n: LiquibaseNode, key: string): string {
  const v = n.attrs[key];
  if (v === undefined || v.trim() === '') throw new ChangeError(`${n.name} needs ${key}`);
  return v;
}

/** schemaName.tableName, or tableName alone; Liquibase leaves names unquoted by default (LEGACY quoting). */
export function tableRef(n: LiquibaseNode, key = 'tableName', schemaKey = 'schemaName'): string {
  const schema = n.attrs[schemaKey];
  const table = required(n, key);
  return schema ? `${schema}.${table}` : table;
}

export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** The dialect's spelling of a Liquibase type: `int` → INTEGER on PostgreSQL, `boolean` → BIT(1) on MySQL … */
export function dataType(type: string, facts: ChangeSqlFacts): string {
  const m = /^\s*([A-Za-z_][\w ]*?)\s*(\(.*\))?\s*$/.exec(type);
  if (!m) return type.trim();
  const mapped = facts.types[m[1]!.toLowerCase()];
  return mapped !== undefined ? `${mapped}${m[2] ?? ''}` : type.trim();
}

/**
 * The SQL literal of a value given with one of Liquibase's value attributes, prefix '' (value, valueNumeric …)
 * or 'defaultValue'. Undefined when none is set.
 */
export function valueOf(n: LiquibaseNode, facts: ChangeSqlFacts, prefix: 'value' | 'defaultValue'): string | undefined {
  const a = n.attrs;
  const plain = a[prefix];
  if (plain !== undefined) return sqlString(plain);
  const numeric = a[`${prefix}Numeric`]?.trim();
  if (numeric !== undefined) {
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(numeric)) throw new ChangeError(`${prefix}Numeric "${numeric}" is not a number`);
    return numeric;
  }
  const bool = a[`${prefix}Boolean`]?.trim().toLowerCase();
  if (bool !== undefined) {
    if (bool !== 'true' && bool !== 'false') throw new ChangeError(`${prefix}Boolean "${bool}" is neither true nor false`);
    return bool === 'true' ? facts.booleanLiterals[0] : facts.booleanLiterals[1];
  }
  const date = a[`${prefix}Date`];
  if (date !== undefined) return sqlString(date);
  const computed = a[`${prefix}Computed`];
  if (computed !== undefined) return computed;
  return undefined;
}

export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/** A dialect template, or a ChangeError naming what the dialect cannot do. */
export function templateFor(template: string | null, change: string, dialectLabel: string): string {
  if (template === null) throw new ChangeError(`${change} cannot be done in place on ${dialectLabel}; Liquibase rebuilds the table there, which this review does not model`);
  return template;
}

export function columnsOf(n: LiquibaseNode): LiquibaseNode[] {
  const direct = n.children.filter((c) => c.name === 'column');
  // YAML/JSON write `columns: [- column: …]`.
  const listed = n.children.filter((c) => c.name === 'columns').flatMap((c) => c.children.filter((cc) => cc.name === 'column'));
  return [...direct, ...listed];
}

export function isTrue(v: string | undefined): boolean {
  return v !== undefined && v.trim().toLowerCase() === 'true';
}

/** A list attribute such as columnNames="a, b" as Liquibase writes it. */
export function list(v: string): string {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .join(', ');
}
