import type { ReferentialAction } from '../../../shared/domain/SchemaModel';

/**
 * Readers for catalog values as client libraries hand them over. The same column can arrive as a number, a
 * string (pg's int8/numeric), a bigint (mysql2 with supportBigNumbers, better-sqlite3 safeIntegers), a Buffer
 * (MySQL information_schema columns with a binary collation), or parsed/unparsed JSON, depending on the
 * driver's settings; introspection must not care.
 */

export function catalogString(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return String(value);
}

/** Like catalogString, for columns that are never NULL; names the column when one is. */
export function requiredString(row: Record<string, unknown>, column: string): string {
  const value = catalogString(row[column]);
  if (value === undefined) throw new Error(`Catalog row has no value in column "${column}": ${JSON.stringify(Object.keys(row))}`);
  return value;
}

export function catalogNumber(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  const n = Number(catalogString(value));
  return Number.isFinite(n) ? n : undefined;
}

export function catalogBoolean(value: unknown): boolean {
  if (typeof value === 'string') return value === 't' || value === 'true' || value === '1' || value.toUpperCase() === 'YES';
  if (typeof value === 'bigint') return value !== 0n;
  return Boolean(value);
}

/** A JSON array produced by the catalog query (json_agg, to_json), parsed by the client or still text. */
export function catalogJsonArray<T = unknown>(value: unknown): T[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value as T[];
  const text = catalogString(value) ?? '';
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new Error(`Catalog value is not a JSON array: ${text.slice(0, 80)}`);
  return parsed as T[];
}

/** Appends to the list kept under key, creating it; the set-based queries are grouped in JS by this. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Code-unit order, the same in every dialect (MySQL's collations would put `orders` before `order_items`). */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const referentialActions: Record<string, ReferentialAction> = {
  'NO ACTION': 'no action',
  RESTRICT: 'restrict',
  CASCADE: 'cascade',
  'SET NULL': 'set null',
  'SET DEFAULT': 'set default',
};

/** An FK action as information_schema and SQLite's pragma spell it ('SET NULL'); 'no action' when absent. */
export function catalogReferentialAction(value: unknown): ReferentialAction {
  return referentialActions[(catalogString(value) ?? '').toUpperCase()] ?? 'no action';
}
