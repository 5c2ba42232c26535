import type { Dialect } from '../../../shared/domain/connection';

/** The parts of a column type the review compares: a parsed ColumnSpec, a TrackedColumn, or a catalog type read by parseColumnType. */
export interface ColumnTypeParts {
  /** Lower-case type name as the parser or the server gives it: int4, bigint, varchar, timestamptz, enum … */
  type: string;
  /** First type modifier: varchar(200) → 200, numeric(12,2) → 12, timestamp(3) → 3. */
  length?: number;
  /** Second type modifier: numeric(12,2) → 2. */
  scale?: number;
  unsigned?: boolean;
  array?: boolean;
  /** ENUM / SET members in order. */
  values?: string[];
}

/** What a type can hold, by family; Infinity where the type sets no bound. */
export type TypeClass =
  | { family: 'integer'; min: bigint; max: bigint }
  | { family: 'exact'; intDigits: number; scale: number; precision: number }
  | { family: 'float'; digits: number }
  | { family: 'string'; chars: number }
  | { family: 'binary'; bytes: number }
  | { family: 'datetime'; date: boolean; time: boolean; zone: boolean; fraction: number; epochRange: boolean }
  | { family: 'members'; values: string[] };

/** One canonical type as data: what classifyType needs besides the modifiers written with it. */
type TypeDef =
  /** `unsigned`: the type is always unsigned (MySQL's SERIAL is BIGINT UNSIGNED). */
  | { family: 'integer'; bytes: number; unsigned?: true }
  | { family: 'exact' }
  | { family: 'float'; digits: number }
  /** `chars`: the type's own bound (TEXT's); `unwritten`: the length a type written without one gets (CHAR is CHAR(1)). */
  | { family: 'string' | 'binary'; chars?: number; unwritten?: number }
  | { family: 'datetime'; date: boolean; time: boolean; zone: boolean; epochRange?: true }
  | { family: 'members' };

/** One dialect's type facts. */
interface DialectTypes {
  /** Spellings (as written, as catalogs print them, as parsers name them) to the canonical name; a name missing here is its own canonical name. */
  names: Readonly<Record<string, string>>;
  /** Canonical names to what they hold; a name missing here is a type Quarry does not model (no narrowing is claimed for it). */
  types: Readonly<Record<string, TypeDef>>;
  /** DECIMAL written without precision: PostgreSQL's is unbounded, MySQL's is DECIMAL(10,0). */
  decimalDefault?: { precision: number; scale: number };
  /** Fractional-second digits of a time type written without them: 6 on PostgreSQL, 0 on MySQL. */
  defaultFraction: number;
  /** False where declared lengths limit nothing (SQLite stores any text in a VARCHAR(10)). Defaults to true. */
  lengthsEnforced?: false;
  /** How a parser's internal names read to people (PostgreSQL's int4 is integer); others show as they are. */
  displayNames?: Readonly<Record<string, string>>;
}

const int = (bytes: number): TypeDef => ({ family: 'integer', bytes });
const string = (chars?: number, unwritten?: number): TypeDef => ({ family: 'string', ...(chars === undefined ? {} : { chars }), ...(unwritten === undefined ? {} : { unwritten }) });
const binary = (chars?: number, unwritten?: number): TypeDef => ({ family: 'binary', ...(chars === undefined ? {} : { chars }), ...(unwritten === undefined ? {} : { unwritten }) });
const datetime = (date: boolean, time: boolean, zone: boolean, epochRange?: true): TypeDef => ({ family: 'datetime', date, time, zone, ...(epochRange ? { epochRange } : {}) });
const exact: TypeDef = { family: 'exact' };

/** Integer spellings every dialect's parser or catalog may hand over (SchemaTracker's catalog reader gives int2/int4/int8). */
const INTEGER_NAMES = ['tinyint', 'smallint', 'int2', 'mediumint', 'int', 'integer', 'int4', 'bigint', 'int8'];

const TYPES: Record<Dialect, DialectTypes> = {
  postgres: {
    names: {
      smallint: 'int2',
      smallserial: 'int2',
      serial2: 'int2',
      integer: 'int4',
      int: 'int4',
      serial: 'int4',
      serial4: 'int4',
      bigint: 'int8',
      bigserial: 'int8',
      serial8: 'int8',
      'character varying': 'varchar',
      character: 'bpchar',
      char: 'bpchar',
      decimal: 'numeric',
      dec: 'numeric',
      real: 'float4',
      // PostgreSQL's FLOAT without a precision is double precision.
      float: 'float8',
      double: 'float8',
      'double precision': 'float8',
      'timestamp with time zone': 'timestamptz',
      'timestamp without time zone': 'timestamp',
      'time with time zone': 'timetz',
      'time without time zone': 'time',
      boolean: 'bool',
    },
    types: {
      int2: int(2),
      int4: int(4),
      int8: int(8),
      numeric: exact,
      float4: { family: 'float', digits: 6 },
      float8: { family: 'float', digits: 15 },
      varchar: string(),
      // CHARACTER without a length is character(1).
      bpchar: string(undefined, 1),
      text: string(Infinity),
      bytea: binary(Infinity),
      timestamptz: datetime(true, true, true),
      timestamp: datetime(true, true, false),
      date: datetime(true, false, false),
      time: datetime(false, true, false),
      timetz: datetime(false, true, true),
    },
    defaultFraction: 6,
    displayNames: { int2: 'smallint', int4: 'integer', int8: 'bigint', bpchar: 'char', float4: 'real', float8: 'double precision', bool: 'boolean' },
  },
  mysql: {
    names: {
      int1: 'tinyint',
      int2: 'smallint',
      int3: 'mediumint',
      middleint: 'mediumint',
      integer: 'int',
      int4: 'int',
      int8: 'bigint',
      'character varying': 'varchar',
      nvarchar: 'varchar',
      character: 'char',
      bpchar: 'char',
      nchar: 'char',
      numeric: 'decimal',
      dec: 'decimal',
      fixed: 'decimal',
      float4: 'float',
      // REAL is DOUBLE unless the REAL_AS_FLOAT SQL mode is on.
      real: 'double',
      float8: 'double',
      'double precision': 'double',
    },
    types: {
      tinyint: int(1),
      smallint: int(2),
      mediumint: int(3),
      int: int(4),
      bigint: int(8),
      // SERIAL is BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE.
      serial: { family: 'integer', bytes: 8, unsigned: true },
      decimal: exact,
      float: { family: 'float', digits: 6 },
      double: { family: 'float', digits: 15 },
      varchar: string(),
      char: string(undefined, 1),
      // The TEXT types' limits are bytes, counted here as characters: an upper bound for multi-byte text.
      tinytext: string(255),
      text: string(65_535),
      mediumtext: string(16_777_215),
      longtext: string(4_294_967_295),
      binary: binary(undefined, 1),
      varbinary: binary(),
      tinyblob: binary(255),
      blob: binary(65_535),
      mediumblob: binary(16_777_215),
      longblob: binary(4_294_967_295),
      // TIMESTAMP stores UTC and covers 1970–2038 only.
      timestamp: datetime(true, true, true, true),
      datetime: datetime(true, true, false),
      date: datetime(true, false, false),
      time: datetime(false, true, false),
      enum: { family: 'members' },
      set: { family: 'members' },
    },
    decimalDefault: { precision: 10, scale: 0 },
    defaultFraction: 0,
  },
  sqlite: {
    // Any integer name declares INTEGER affinity: 64-bit, whatever the name says.
    names: Object.fromEntries([...INTEGER_NAMES.map((n) => [n, 'integer']), ['character varying', 'varchar'], ['character', 'char'], ['bpchar', 'char'], ['double precision', 'real'], ['double', 'real'], ['float', 'real']]),
    types: { integer: int(8), real: { family: 'float', digits: 15 }, text: string(Infinity), varchar: string(), char: string(), blob: binary(Infinity) },
    defaultFraction: 6,
    lengthsEnforced: false,
  },
};

/** The one name a dialect gives a type however it is spelled: int4 for PostgreSQL's integer, int for MySQL's integer. */
export function canonicalTypeName(type: string, dialect: Dialect): string {
  const name = type.trim().toLowerCase();
  return TYPES[dialect].names[name] ?? name;
}

/** How a type name reads to people: PostgreSQL's int4 is integer; names without a display name show as they are. */
export function displayTypeName(type: string, dialect: Dialect): string {
  return TYPES[dialect].displayNames?.[type] ?? type;
}

/** What values of the type can hold, or undefined for a type Quarry does not model (json, uuid, an ENUM whose members are unknown …). */
export function classifyType(t: ColumnTypeParts, dialect: Dialect): TypeClass | undefined {
  const facts = TYPES[dialect];
  const def = facts.types[canonicalTypeName(t.type, dialect)];
  if (!def) return undefined;
  const length = facts.lengthsEnforced === false ? undefined : t.length;
  switch (def.family) {
    case 'integer': {
      const bits = BigInt(def.bytes * 8);
      return t.unsigned || def.unsigned ? { family: 'integer', min: 0n, max: 2n ** bits - 1n } : { family: 'integer', min: -(2n ** (bits - 1n)), max: 2n ** (bits - 1n) - 1n };
    }
    case 'exact': {
      const precision = length ?? facts.decimalDefault?.precision ?? Infinity;
      const scale = length === undefined ? (facts.decimalDefault?.scale ?? Infinity) : (t.scale ?? 0);
      return { family: 'exact', precision, scale, intDigits: precision === Infinity ? Infinity : precision - scale };
    }
    case 'float':
      return { family: 'float', digits: def.digits };
    case 'string':
      return { family: 'string', chars: def.chars ?? length ?? (facts.lengthsEnforced === false ? Infinity : (def.unwritten ?? Infinity)) };
    case 'binary':
      return { family: 'binary', bytes: def.chars ?? length ?? (facts.lengthsEnforced === false ? Infinity : (def.unwritten ?? Infinity)) };
    case 'datetime':
      return { family: 'datetime', date: def.date, time: def.time, zone: def.zone, fraction: def.time ? (length ?? facts.defaultFraction) : 0, epochRange: Boolean(def.epochRange) };
    case 'members':
      return t.values ? { family: 'members', values: t.values } : undefined;
  }
}

/** Decimal digits an integer range needs: 2147483647 → 10. */
export function integerDigits(c: { min: bigint; max: bigint }): number {
  const a = c.min < 0n ? -c.min : c.min;
  return String(a > c.max ? a : c.max).length;
}

/**
 * Whether two types are the same type restated: the same canonical name and modifiers, where an integer's (n) is
 * MySQL's display width, not part of the type.
 */
export function sameColumnType(a: ColumnTypeParts, b: ColumnTypeParts, dialect: Dialect): boolean {
  const name = canonicalTypeName(a.type, dialect);
  return (
    name === canonicalTypeName(b.type, dialect) &&
    (a.length === b.length || TYPES[dialect].types[name]?.family === 'integer') &&
    (a.scale ?? 0) === (b.scale ?? 0) &&
    Boolean(a.unsigned) === Boolean(b.unsigned) &&
    Boolean(a.array) === Boolean(b.array) &&
    (a.values ?? []).join('\u0000') === (b.values ?? []).join('\u0000')
  );
}
