import { describe, expect, it } from 'vitest';
import type { Dialect } from '../../../shared/domain/connection';
import { canonicalTypeName, classifyType, displayTypeName, integerDigits, sameColumnType, type ColumnTypeParts } from './columnTypes';
import { parseColumnType } from './parseColumnType';

/** A catalog type read as the impact analysis reads it: parts, with the dialect's one name for the type. */
const canonical = (text: string, dialect: Dialect) => {
  const parts = parseColumnType(text);
  return { ...parts, type: canonicalTypeName(parts.type, dialect) };
};

describe('canonicalTypeName', () => {
  it.each([
    ['character varying(40)', { type: 'varchar', length: 40 }],
    ['integer', { type: 'int4' }],
    ['numeric(10,2)', { type: 'numeric', length: 10, scale: 2 }],
    ['timestamp with time zone', { type: 'timestamptz' }],
    ['text[]', { type: 'text', array: true }],
    ['dec(6,1)', { type: 'numeric', length: 6, scale: 1 }],
    ['serial2', { type: 'int2' }],
  ])('reads the PostgreSQL catalog type %s', (text, parts) => {
    expect(canonical(text, 'postgres')).toEqual(parts);
  });

  it.each([
    ['bigint(20) unsigned', { type: 'bigint', length: 20, unsigned: true }],
    ['decimal(12,4)', { type: 'decimal', length: 12, scale: 4 }],
    ['INT', { type: 'int' }],
    ['integer', { type: 'int' }],
    ['fixed(8,2)', { type: 'decimal', length: 8, scale: 2 }],
    ['character(3)', { type: 'char', length: 3 }],
  ])('reads the MySQL column type %s', (text, parts) => {
    expect(canonical(text, 'mysql')).toEqual(parts);
  });

  it('shows parser names as people write them', () => {
    expect(displayTypeName('int4', 'postgres')).toBe('integer');
    expect(displayTypeName('int', 'mysql')).toBe('int');
  });
});

describe('classifyType', () => {
  const range = (type: string, dialect: Dialect, unsigned?: boolean) => {
    const c = classifyType({ type, ...(unsigned ? { unsigned } : {}) }, dialect);
    return c?.family === 'integer' ? [String(c.min), String(c.max)] : c;
  };

  it.each([
    ['smallint', 'postgres', false, ['-32768', '32767']],
    ['serial', 'postgres', false, ['-2147483648', '2147483647']],
    ['int8', 'mysql', false, ['-9223372036854775808', '9223372036854775807']],
    ['mediumint', 'mysql', true, ['0', '16777215']],
    // MySQL's SERIAL is BIGINT UNSIGNED, not PostgreSQL's 4-byte serial.
    ['serial', 'mysql', false, ['0', '18446744073709551615']],
    // Any integer name on SQLite declares a 64-bit INTEGER.
    ['smallint', 'sqlite', false, ['-9223372036854775808', '9223372036854775807']],
    ['tinyint', 'sqlite', false, ['-9223372036854775808', '9223372036854775807']],
  ] as const)('%s on %s (unsigned: %s) holds %j', (type, dialect, unsigned, expected) => {
    expect(range(type, dialect, unsigned)).toEqual(expected);
  });

  it('gives DECIMAL written without precision the dialect’s default', () => {
    expect(classifyType({ type: 'decimal' }, 'mysql')).toEqual({ family: 'exact', precision: 10, scale: 0, intDigits: 10 });
    expect(classifyType({ type: 'numeric' }, 'postgres')).toEqual({ family: 'exact', precision: Infinity, scale: Infinity, intDigits: Infinity });
    expect(classifyType({ type: 'decimal', length: 8 }, 'mysql')).toEqual({ family: 'exact', precision: 8, scale: 0, intDigits: 8 });
  });

  it('knows CHAR without a length is CHAR(1), TEXT’s bound per dialect, and that SQLite enforces no length', () => {
    expect(classifyType({ type: 'char' }, 'mysql')).toEqual({ family: 'string', chars: 1 });
    expect(classifyType({ type: 'bpchar' }, 'postgres')).toEqual({ family: 'string', chars: 1 });
    expect(classifyType({ type: 'text' }, 'mysql')).toEqual({ family: 'string', chars: 65_535 });
    expect(classifyType({ type: 'text' }, 'postgres')).toEqual({ family: 'string', chars: Infinity });
    expect(classifyType({ type: 'varchar', length: 10 }, 'sqlite')).toEqual({ family: 'string', chars: Infinity });
  });

  it('reads FLOAT and REAL as each dialect does', () => {
    expect(classifyType({ type: 'float' }, 'postgres')).toEqual({ family: 'float', digits: 15 });
    expect(classifyType({ type: 'real' }, 'postgres')).toEqual({ family: 'float', digits: 6 });
    expect(classifyType({ type: 'float' }, 'mysql')).toEqual({ family: 'float', digits: 6 });
    expect(classifyType({ type: 'real' }, 'mysql')).toEqual({ family: 'float', digits: 15 });
  });

  it('knows MySQL’s TIMESTAMP is zoned and bounded, and leaves unmodelled types alone', () => {
    expect(classifyType({ type: 'timestamp' }, 'mysql')).toEqual({ family: 'datetime', date: true, time: true, zone: true, fraction: 0, epochRange: true });
    expect(classifyType({ type: 'timestamp', length: 3 }, 'postgres')).toEqual({ family: 'datetime', date: true, time: true, zone: false, fraction: 3, epochRange: false });
    expect(classifyType({ type: 'jsonb' }, 'postgres')).toBeUndefined();
    expect(classifyType({ type: 'enum' }, 'mysql')).toBeUndefined();
  });

  it('counts the digits an integer range needs', () => {
    expect(integerDigits({ min: -2147483648n, max: 2147483647n })).toBe(10);
    expect(integerDigits({ min: 0n, max: 255n })).toBe(3);
  });
});

describe('sameColumnType', () => {
  it.each<[string, ColumnTypeParts, Dialect, boolean]>([
    ['int(11)', { type: 'int' }, 'mysql', true],
    ['bigint(20)', { type: 'bigint' }, 'mysql', true],
    ['bigint(20) unsigned', { type: 'bigint' }, 'mysql', false],
    ['character varying(40)', { type: 'varchar', length: 40 }, 'postgres', true],
    ['character varying(40)', { type: 'varchar', length: 41 }, 'postgres', false],
    ['integer[]', { type: 'int4' }, 'postgres', false],
    ["enum('a','b')", { type: 'enum', values: ['a', 'b'] }, 'mysql', true],
    ["enum('a','b')", { type: 'enum', values: ['a', 'b', 'c'] }, 'mysql', false],
  ])('%s and %j on %s: %s', (text, parts, dialect, expected) => {
    expect(sameColumnType(parseColumnType(text), parts, dialect)).toBe(expected);
  });
});
