import { describe, expect, it } from 'vitest';
import type { Dialect } from '../../../shared/domain/connection';
import type { Migration } from '../../../shared/domain/review';
import type { SchemaModel } from '../../../shared/domain/SchemaModel';
import { reviewMigrations } from '../reviewMigrations';
import { narrowingType } from './narrowing-type';
import { ordersTableSchema } from './ordersTableSchema';
import { locatedStatements } from './reviewOneMigration';
import { testRule } from './testRule';

/** The live database's orders table, as introspection writes its column types. */
const live = (columns: [string, string][], dialect: Dialect = 'postgres'): SchemaModel => ordersTableSchema(columns.map(([name, dataType]) => ({ name, dataType })), dialect);
const onPg = (sql: string, columns: [string, string][], message?: string) => ({ sql, schema: live(columns), message });
const onMy = (sql: string, columns: [string, string][], message?: string) => ({ sql, dialect: 'mysql' as const, schema: live(columns, 'mysql'), message });

testRule(narrowingType, {
  flag: [
    onPg('ALTER TABLE orders ALTER COLUMN id TYPE integer;', [['id', 'bigint']], 'from int8 to int4: values outside -2147483648..2147483647'),
    onPg('ALTER TABLE orders ALTER COLUMN id TYPE smallint;', [['id', 'integer']]),
    onPg('ALTER TABLE orders ALTER COLUMN code TYPE varchar(50);', [['code', 'character varying(200)']], 'longer than 50 characters'),
    onPg('ALTER TABLE orders ALTER COLUMN note TYPE varchar(500);', [['note', 'text']]),
    onPg('ALTER TABLE orders ALTER COLUMN total TYPE numeric(10,2);', [['total', 'numeric(12,2)']], '8 or more integer digits'),
    onPg('ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,0);', [['total', 'numeric(12,2)']], 'fractional part'),
    onPg('ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);', [['total', 'numeric']]),
    onPg('ALTER TABLE orders ALTER COLUMN total TYPE bigint USING round(total);', [['total', 'numeric(12,2)']]),
    onPg('ALTER TABLE orders ALTER COLUMN placed_at TYPE timestamp;', [['placed_at', 'timestamp with time zone']], 'time zone'),
    onPg('ALTER TABLE orders ALTER COLUMN placed_at TYPE date;', [['placed_at', 'timestamp without time zone']], 'time of day'),
    onPg('ALTER TABLE orders ALTER COLUMN placed_at TYPE timestamptz(0);', [['placed_at', 'timestamp with time zone']], 'fractional seconds'),
    onPg('ALTER TABLE orders ALTER COLUMN ratio TYPE real;', [['ratio', 'double precision']]),
    onPg('ALTER TABLE orders ALTER COLUMN tags TYPE varchar(10)[];', [['tags', 'text[]']]),
    onMy('ALTER TABLE orders MODIFY id INT NOT NULL;', [['id', 'bigint(20)']]),
    onMy('ALTER TABLE orders MODIFY id INT;', [['id', 'int(10) unsigned']], 'values outside -2147483648..2147483647'),
    onMy('ALTER TABLE orders CHANGE code sku VARCHAR(40);', [['code', 'varchar(200)']]),
    onMy('ALTER TABLE orders MODIFY body VARCHAR(1000);', [['body', 'mediumtext']]),
    onMy('ALTER TABLE orders MODIFY total DECIMAL;', [['total', 'decimal(12,2)']], 'fractional part'),
    onMy('ALTER TABLE orders MODIFY placed_at TIMESTAMP;', [['placed_at', 'datetime']], '1970'),
    onMy('ALTER TABLE orders MODIFY placed_at DATETIME;', [['placed_at', 'datetime(6)']], 'fractional seconds'),
    onMy("ALTER TABLE orders MODIFY status ENUM('new', 'paid');", [['status', "enum('new','paid','void')"]], "'void' is removed"),
  ],
  pass: [
    onPg('ALTER TABLE orders ALTER COLUMN id TYPE bigint;', [['id', 'integer']]),
    onPg('ALTER TABLE orders ALTER COLUMN code TYPE varchar(300);', [['code', 'character varying(200)']]),
    onPg('ALTER TABLE orders ALTER COLUMN code TYPE text;', [['code', 'character varying(200)']]),
    onPg('ALTER TABLE orders ALTER COLUMN total TYPE numeric(14,4);', [['total', 'numeric(12,2)']]),
    onPg('ALTER TABLE orders ALTER COLUMN total TYPE numeric;', [['total', 'numeric(12,2)']]),
    onPg('ALTER TABLE orders ALTER COLUMN id TYPE numeric(19,0);', [['id', 'bigint']]),
    onPg('ALTER TABLE orders ALTER COLUMN placed_at TYPE timestamptz;', [['placed_at', 'timestamp without time zone']]),
    onPg('ALTER TABLE orders ALTER COLUMN d TYPE timestamp;', [['d', 'date']]),
    onPg('ALTER TABLE orders ALTER COLUMN n TYPE double precision;', [['n', 'integer']]),
    // Across families Quarry does not model, and where the old type is unknown, it does not guess.
    onPg('ALTER TABLE orders ALTER COLUMN code TYPE integer USING code::integer;', [['code', 'text']]),
    'ALTER TABLE orders ALTER COLUMN id TYPE integer;',
    // A table this migration creates holds no rows yet.
    'CREATE TABLE orders (id bigint);\nALTER TABLE orders ALTER COLUMN id TYPE integer;',
    onMy('ALTER TABLE orders MODIFY id BIGINT UNSIGNED NOT NULL;', [['id', 'int(10) unsigned']]),
    onMy('ALTER TABLE orders MODIFY code VARCHAR(200) NOT NULL;', [['code', 'varchar(200)']]),
    onMy('ALTER TABLE orders MODIFY total DECIMAL(10,0);', [['total', 'decimal']]),
    onMy("ALTER TABLE orders MODIFY status ENUM('new', 'paid', 'void', 'refunded');", [['status', "enum('new','paid','void')"]]),
    { sql: 'ALTER TABLE orders MODIFY id INT;', dialect: 'mysql' },
  ],
});

describe('narrowing-type across migrations', () => {
  const migration = (id: string, sql: string, dialect: Dialect, format: Migration['format'] = 'flyway'): Migration => ({ id, description: id, format, file: `${id}.sql`, up: locatedStatements(sql, dialect, `${id}.sql`) });
  const review = async (dialect: Dialect, format: Migration['format'], ...migrations: Migration[]) =>
    (await reviewMigrations({ root: '.', format, migrations, problems: [] }, { dialect, rules: [narrowingType] })).filter((f) => f.ruleId === narrowingType.id);

  it('knows the type an earlier migration gave the column', async () => {
    const hits = await review('postgres', 'flyway', migration('V1', 'CREATE TABLE orders (id bigint, code varchar(200));', 'postgres'), migration('V2', 'SELECT 1;\nALTER TABLE orders ALTER COLUMN code TYPE varchar(20);', 'postgres'));
    expect(hits).toEqual([expect.objectContaining({ migrationId: 'V2', location: expect.objectContaining({ file: 'V2.sql', line: 2 }) })]);
  });

  it('follows a widening, then flags narrowing back below it', async () => {
    const hits = await review(
      'mysql',
      'golang-migrate',
      migration('1', 'CREATE TABLE orders (qty SMALLINT);', 'mysql', 'golang-migrate'),
      migration('2', 'ALTER TABLE orders MODIFY qty INT;', 'mysql', 'golang-migrate'),
      migration('3', 'ALTER TABLE orders MODIFY qty SMALLINT;', 'mysql', 'golang-migrate'),
    );
    expect(hits.map((f) => f.migrationId)).toEqual(['3']);
    expect(hits[0]?.message).toContain('from int to smallint');
  });

  it('reads a Liquibase modifyDataType the same way', async () => {
    const create = migration('alice:1', 'CREATE TABLE orders (note TEXT);', 'postgres', 'liquibase');
    const modify = migration('alice:2', 'ALTER TABLE orders ALTER COLUMN note TYPE VARCHAR(255)', 'postgres', 'liquibase');
    expect(await review('postgres', 'liquibase', create, modify)).toHaveLength(1);
  });
});
