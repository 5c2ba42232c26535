import type { Dialect } from '../../../shared/domain/connection';

/** The parts of a column type the comparison needs (a TrackedColumn or a parsed ColumnSpec). */
export interface ColumnTypeParts {
  type: string;
  length?: number;
  scale?: number;
  unsigned?: boolean;
  array?: boolean;
  values?: string[];
}

/** What a type can hold, by family; Infinity where the type sets no bound. */
type TypeClass =
  | { family: 'integer'; min: bigint; max: bigint }
  | { family: 'exact'; intDigits: number; scale: number; precision: number }
  | { family: 'float'; digits: number }
  | { family: 'string'; chars: number }
  | { family: 'binary'; bytes: number }
  | { family: 'datetime'; date: boolean; time: boolean; zone: boolean; fraction: number; epochRange: boolean }
  | { family: 'members'; values: string[] };

/** Where the dialects give the same type name a different meaning: facts as data, read by dialect. */
interface DialectTypeFacts {
  /** DECIMAL written without precision: PostgreSQL's is unbounded, MySQL's is DECIMAL(10,0). */
  decimalDefault?: { precision: number; scale: number };
  /** Fractional-second digits of a time type written without them: 6 on PostgreSQL, 0 on MySQL. */
  defaultFraction: number;
  /** MySQL's TIMESTAMP stores UTC and covers 1970–2038 only; PostgreSQL's is the zone-less type. */
  timestampZoned: boolean;
  /** Significant decimal digits FLOAT and REAL keep (PostgreSQL: float = float8, real = float4; MySQL: FLOAT 4 bytes, REAL = DOUBLE). */
  floatDigits: number;
  realDigits: number;
  /** Characters TEXT holds: unbounded on PostgreSQL, 65,535 bytes on MySQL. */
  textChars: number;
}

const TYPE_FACTS: Record<Dialect, DialectTypeFacts> = {
  postgres: { defaultFraction: 6, timestampZoned: false, floatDigits: 15, realDigits: 6, textChars: Infinity },
  mysql: { decimalDefault: { precision: 10, scale: 0 }, defaultFraction: 0, timestampZoned: true, floatDigits: 6, realDigits: 15, textChars: 65_535 },
  sqlite: { defaultFraction: 6, timestampZoned: false, floatDigits: 15, realDigits: 15, textChars: Infinity },
};

const INTEGER_BYTES: Readonly<Record<string, number>> = {
  tinyint: 1,
  smallint: 2,
  int2: 2,
  smallserial: 2,
  mediumint: 3,
  int: 4,
  integer: 4,
  int4: 4,
  serial: 4,
  bigint: 8,
  int8: 8,
  bigserial: 8,
};

const STRING_CHARS: Readonly<Record<string, number>> = { tinytext: 255, mediumtext: 16_777_215, longtext: 4_294_967_295 };
const BLOB_BYTES: Readonly<Record<string, number>> = { tinyblob: 255, blob: 65_535, mediumblob: 16_777_215, longblob: 4_294_967_295, bytea: Infinity };

function classify(t: ColumnTypeParts, facts: DialectTypeFacts): TypeClass | undefined {
  const name = t.type.toLowerCase();
  const bytes = INTEGER_BYTES[name];
  if (bytes !== undefined) {
    const bits = BigInt(bytes * 8);
    return t.unsigned ? { family: 'integer', min: 0n, max: 2n ** bits - 1n } : { family: 'integer', min: -(2n ** (bits - 1n)), max: 2n ** (bits - 1n) - 1n };
  }
  if (name === 'numeric' || name === 'decimal' || name === 'dec' || name === 'fixed') {
    const precision = t.length ?? facts.decimalDefault?.precision ?? Infinity;
    const scale = t.length === undefined ? (facts.decimalDefault?.scale ?? Infinity) : (t.scale ?? 0);
    return { family: 'exact', precision, scale, intDigits: precision === Infinity ? Infinity : precision - scale };
  }
  if (name === 'float8' || name === 'double' || name === 'double precision') return { family: 'float', digits: 15 };
  if (name === 'float4') return { family: 'float', digits: 6 };
  if (name === 'float') return { family: 'float', digits: facts.floatDigits };
  if (name === 'real') return { family: 'float', digits: facts.realDigits };
  if (name === 'varchar' || name === 'character varying' || name === 'nvarchar') return { family: 'string', chars: t.length ?? Infinity };
  if (name === 'bpchar' || name === 'char' || name === 'character' || name === 'nchar') return { family: 'string', chars: t.length ?? 1 };
  if (name === 'text') return { family: 'string', chars: facts.textChars };
  if (STRING_CHARS[name] !== undefined) return { family: 'string', chars: STRING_CHARS[name] };
  if (name === 'varbinary' || name === 'binary') return { family: 'binary', bytes: t.length ?? (name === 'binary' ? 1 : Infinity) };
  if (BLOB_BYTES[name] !== undefined) return { family: 'binary', bytes: BLOB_BYTES[name] };
  const fraction = t.length ?? facts.defaultFraction;
  if (name === 'timestamptz') return { family: 'datetime', date: true, time: true, zone: true, fraction, epochRange: false };
  if (name === 'timestamp') return { family: 'datetime', date: true, time: true, zone: facts.timestampZoned, fraction, epochRange: facts.timestampZoned };
  if (name === 'datetime') return { family: 'datetime', date: true, time: true, zone: false, fraction, epochRange: false };
  if (name === 'date') return { family: 'datetime', date: true, time: false, zone: false, fraction: 0, epochRange: false };
  if (name === 'time') return { family: 'datetime', date: false, time: true, zone: false, fraction, epochRange: false };
  if (name === 'timetz') return { family: 'datetime', date: false, time: true, zone: true, fraction, epochRange: false };
  if ((name === 'enum' || name === 'set') && t.values) return { family: 'members', values: t.values };
  return undefined;
}

/** Decimal digits an integer range needs: 2147483647 → 10. */
function digitsOf(c: { min: bigint; max: bigint }): number {
  const a = c.min < 0n ? -c.min : c.min;
  return String(a > c.max ? a : c.max).length;
}

/** How the type is written, for messages: varchar(200), numeric(12,2), bigint unsigned, int4[]. */
export function describeType(t: ColumnTypeParts): string {
  const mods = t.length === undefined ? '' : t.scale === undefined ? `(${t.length})` : `(${t.length},${t.scale})`;
  const members = t.values ? `(${t.values.map((v) => `'${v}'`).join(',')})` : '';
  return `${t.type}${members || mods}${t.unsigned ? ' unsigned' : ''}${t.array ? '[]' : ''}`;
}

/**
 * Why changing a column from `from` to `to` can lose or reject existing values, or undefined when it cannot (a
 * widening, the same type) or Quarry cannot tell (a change across families it does not model, like text → int).
 */
export function typeNarrowing(from: ColumnTypeParts, to: ColumnTypeParts, dialect: Dialect): string | undefined {
  if (Boolean(from.array) !== Boolean(to.array)) return undefined;
  const facts = TYPE_FACTS[dialect];
  const a = classify(from, facts);
  const b = classify(to, facts);
  if (!a || !b) return undefined;
  if (a.family === 'integer' && b.family === 'integer') {
    return a.min < b.min || a.max > b.max ? `values outside ${b.min}..${b.max} no longer fit` : undefined;
  }
  if (a.family === 'integer' && b.family === 'exact') {
    return b.intDigits < digitsOf(a) ? `integers of more than ${b.intDigits} digits no longer fit` : undefined;
  }
  if (a.family === 'integer' && b.family === 'float') {
    return digitsOf(a) > b.digits ? `integers of more than ${b.digits} digits lose their last digits` : undefined;
  }
  if (a.family === 'exact' && b.family === 'exact') {
    if (b.intDigits < a.intDigits) return `values of ${b.intDigits} or more integer digits no longer fit`;
    if (b.scale < a.scale) return b.scale === 0 ? 'the fractional part is rounded away' : `digits after the ${ordinal(b.scale)} decimal place are rounded away`;
    return undefined;
  }
  if (a.family === 'exact' && b.family === 'integer') {
    if (a.scale > 0) return 'the fractional part is rounded away';
    return a.intDigits >= digitsOf(b) ? `values outside ${b.min}..${b.max} no longer fit` : undefined;
  }
  if (a.family === 'exact' && b.family === 'float') {
    return a.precision > b.digits ? `exact values of more than ${b.digits} significant digits become approximate` : undefined;
  }
  if (a.family === 'float' && b.family === 'float') {
    return b.digits < a.digits ? `values keep only about ${b.digits} significant digits` : undefined;
  }
  if (a.family === 'float' && b.family === 'integer') return 'the fractional part is rounded away';
  if (a.family === 'float' && b.family === 'exact') {
    return b.precision === Infinity ? undefined : `floating-point values outside ${b.intDigits} integer and ${b.scale} decimal digits no longer fit or are rounded`;
  }
  if (a.family === 'string' && b.family === 'string') {
    return b.chars < a.chars ? `text longer than ${b.chars} characters no longer fits` : undefined;
  }
  if (a.family === 'binary' && b.family === 'binary') {
    return b.bytes < a.bytes ? `values longer than ${b.bytes} bytes no longer fit` : undefined;
  }
  if (a.family === 'datetime' && b.family === 'datetime') {
    if (a.date && !b.date) return 'the date part is dropped';
    if (a.time && !b.time) return 'the time of day is dropped';
    if (a.zone && !b.zone) return 'the time zone is dropped: values are converted to the session time zone and stored without it';
    if (!a.epochRange && b.epochRange) return 'dates before 1970 or after 2038-01-19 no longer fit';
    if (b.time && b.fraction < a.fraction) return `fractional seconds beyond ${b.fraction} digits are rounded away`;
    return undefined;
  }
  if (a.family === 'members' && b.family === 'members') {
    const removed = a.values.filter((v) => !b.values.includes(v));
    return removed.length ? `the member${removed.length > 1 ? 's' : ''} ${removed.map((v) => `'${v}'`).join(', ')} ${removed.length > 1 ? 'are' : 'is'} removed, so rows holding ${removed.length > 1 ? 'them' : 'it'} fail the change (or become '' outside strict mode)` : undefined;
  }
  return undefined;
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
