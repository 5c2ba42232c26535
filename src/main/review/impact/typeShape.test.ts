import { describe, expect, it } from 'vitest';
import { mysqlImpactFacts } from './facts/mysqlImpactFacts';
import { postgresImpactFacts } from './facts/postgresImpactFacts';
import { typeShape } from './typeShape';
import { versionAtLeast } from './versionAtLeast';

describe('typeShape', () => {
  it.each([
    ['character varying(40)', { base: 'varchar', length: 40 }],
    ['integer', { base: 'int4' }],
    ['numeric(10,2)', { base: 'numeric', length: 10, scale: 2 }],
    ['timestamp with time zone', { base: 'timestamp with time zone' }],
    // An array is not its element type: no narrowing check compares it.
    ['text[]', { base: 'text[]' }],
  ])('reads the PostgreSQL catalog type %s', (text, shape) => {
    expect(typeShape(postgresImpactFacts, text)).toEqual(shape);
  });

  it.each([
    ['bigint(20) unsigned', { base: 'bigint', length: 20, unsigned: true }],
    ['decimal(12,4)', { base: 'decimal', length: 12, scale: 4 }],
    ['INT', { base: 'int' }],
  ])('reads the MySQL column type %s', (text, shape) => {
    expect(typeShape(mysqlImpactFacts, text)).toEqual(shape);
  });

  it('takes the modifiers a migration gives apart over the text', () => {
    expect(typeShape(postgresImpactFacts, 'varchar', 20)).toEqual({ base: 'varchar', length: 20 });
    expect(typeShape(mysqlImpactFacts, 'int', undefined, undefined, true)).toEqual({ base: 'int', unsigned: true });
  });
});

describe('versionAtLeast', () => {
  it.each([
    ['15.4', [11], true],
    ['10.23', [11], false],
    ['10.11.6-MariaDB-0+deb12u1', [10, 4], true],
    ['10.3.1-MariaDB', [10, 3, 2], false],
    ['8.0.29', [8, 0, 29], true],
    ['8.0.28', [8, 0, 29], false],
    ['3.53.2', [3, 35], true],
    ['', [1], false],
  ] as const)('%s >= %j is %s', (version, wanted, expected) => {
    expect(versionAtLeast(version, ...wanted)).toBe(expected);
  });
});
