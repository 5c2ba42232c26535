import type { Dialect } from '../../../shared/domain/connection';
import { canonicalTypeName, sameColumnType, type ColumnTypeParts } from '../types/columnTypes';
import { memberStorageBytes } from './mysqlOnlineDdl';

/** Bytes a MySQL VARCHAR spends on each value's length: 1 up to 255 bytes, 2 beyond; utf8mb4 (4 bytes a character) assumed. */
const lengthBytes = (chars: number): number => (chars * 4 > 255 ? 2 : 1);

/**
 * The type changes each server makes without touching the rows (a catalog change): PostgreSQL's binary-coercible
 * widenings (varchar(n) → varchar(m ≥ n) or text, numeric(p,s) → numeric(p' ≥ p, s) or numeric); MySQL's
 * in-place VARCHAR extension within the same length-byte size and ENUM / SET members appended at the end.
 */
const IN_PLACE: Record<Dialect, (from: ColumnTypeParts, to: ColumnTypeParts) => boolean> = {
  postgres: (from, to) => {
    if (Boolean(from.array) !== Boolean(to.array)) return false;
    const [a, b] = [canonicalTypeName(from.type, 'postgres'), canonicalTypeName(to.type, 'postgres')];
    if ((a === 'varchar' || a === 'text') && (b === 'text' || (b === 'varchar' && to.length === undefined))) return true;
    if (a === 'varchar' && b === 'varchar') return from.length !== undefined && to.length !== undefined && to.length >= from.length;
    if (a === 'numeric' && b === 'numeric') return to.length === undefined || (from.length !== undefined && to.length >= from.length && (to.scale ?? 0) === (from.scale ?? 0));
    return false;
  },
  mysql: (from, to) => {
    const [a, b] = [canonicalTypeName(from.type, 'mysql'), canonicalTypeName(to.type, 'mysql')];
    if (a === 'varchar' && b === 'varchar' && from.length !== undefined && to.length !== undefined) {
      return to.length >= from.length && lengthBytes(to.length) === lengthBytes(from.length);
    }
    if ((a === 'enum' || a === 'set') && a === b && from.values && to.values) {
      const appended = to.values.length >= from.values.length && from.values.every((v, i) => to.values?.[i] === v);
      return appended && memberStorageBytes(a, from.values.length) === memberStorageBytes(a, to.values.length);
    }
    return false;
  },
  // SQLite has no ALTER COLUMN TYPE.
  sqlite: () => false,
};

/** Whether changing a column from `from` to `to` leaves the rows alone: the same type restated, or a change the server makes in the catalog only. */
export function typeChangeInPlace(from: ColumnTypeParts, to: ColumnTypeParts, dialect: Dialect): boolean {
  return sameColumnType(from, to, dialect) || IN_PLACE[dialect](from, to);
}
