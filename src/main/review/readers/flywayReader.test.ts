import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fixture, folderOf } from '../../../../test/fixtures/review/readers/folderOf';
import { readMigrations } from './readMigrations';

const M = 'src/main/resources/db/migration';

describe('Flyway reader', () => {
  it('reads a Spring Boot project in version order, pairs the undo, runs repeatables last by description', async () => {
    const set = await readMigrations(fixture('flyway'));
    expect(set.format).toBe('flyway');
    expect(set.problems).toEqual([]);
    expect(set.migrations.map((m) => [m.id, m.version, m.description, m.repeatable ?? false])).toEqual([
      ['1', '1', 'create customers', false],
      ['1.2', '1.2', 'create invoices', false],
      ['1.10', '1.10', 'invoice index', false],
      ['2.1', '2.1', 'customer status', false],
      ['R__active_customers', undefined, 'active customers', true],
      ['R__customer_summary', undefined, 'customer summary', true],
    ]);
    const [v1, , , v21, , summary] = set.migrations;
    expect(v1!.file).toBe(`${M}/V1__create_customers.sql`);
    expect(v1!.up).toEqual([
      {
        sql: 'CREATE TABLE customers (\n  id bigserial PRIMARY KEY,\n  name text NOT NULL\n)',
        location: { file: `${M}/V1__create_customers.sql`, line: 1, column: 1, endLine: 4, endColumn: 2 },
      },
    ]);
    expect(v1!.down).toBeUndefined();
    expect(set.migrations.map((m) => m.transactional)).toEqual([true, true, true, true, true, true]);
    expect(v21!.down).toEqual([
      { sql: 'ALTER TABLE customers DROP COLUMN status', location: { file: `${M}/U2_1__customer_status.sql`, line: 1, column: 1, endLine: 1, endColumn: 41 } },
    ]);
    expect(summary!.up[0]!.location).toEqual({ file: `${M}/R__customer_summary.sql`, line: 1, column: 1, endLine: 4, endColumn: 22 });
  });

  it('runs a script outside a transaction when its .sql.conf says executeInTransaction=false', async () => {
    const dir = await folderOf({
      'db/migration/V1__init.sql': 'CREATE TABLE t (id int);\n',
      'db/migration/V2__t_idx.sql': 'CREATE INDEX CONCURRENTLY t_idx ON t (id);\n',
      'db/migration/V2__t_idx.sql.conf': '# Flyway script config\nexecuteInTransaction=false\n',
    });
    try {
      const set = await readMigrations(dir);
      expect(set.problems).toEqual([]);
      expect(set.migrations.map((m) => [m.id, m.transactional])).toEqual([
        ['1', true],
        ['2', false],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports duplicate versions (1 and 1.0), an undo without its migration, a misnamed file and an empty one', async () => {
    const dir = await folderOf({
      'V1__init.sql': 'CREATE TABLE a (id int);\n',
      'V1.0__again.sql': 'CREATE TABLE b (id int);\n',
      'U3__nothing.sql': 'DROP TABLE c;\n',
      'V2__todo.sql': '-- TODO: write this migration\n',
      'v4_lowercase.sql': 'CREATE TABLE d (id int);\n',
    });
    try {
      const set = await readMigrations(dir);
      expect(set.format).toBe('flyway');
      // Files are taken in path order, so V1.0__ comes first and V1__ is the duplicate.
      expect(set.migrations.map((m) => m.id)).toEqual(['1.0', '2']);
      expect(set.problems[0]!.message).toBe('V1__init.sql has version 1, the same as V1.0__again.sql; Flyway refuses to migrate two files with one version');
      expect(set.problems.map((p) => [p.ruleId, p.severity, p.location.file, p.location.line])).toEqual([
        ['duplicate-version', 'error', 'V1__init.sql', 1],
        ['empty-migration', 'info', 'V2__todo.sql', 1],
        ['unrecognized-file', 'warning', 'v4_lowercase.sql', 1],
        ['orphan-undo', 'warning', 'U3__nothing.sql', 1],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
