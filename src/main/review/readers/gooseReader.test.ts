import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fixture, folderOf } from '../../../../test/fixtures/review/readers/folderOf';
import { readMigrations } from './readMigrations';

const F2 = 'migrations/00002_price_audit.sql';

describe('goose reader', () => {
  it('keeps a StatementBegin/End block as one statement and honours NO TRANSACTION', async () => {
    const set = await readMigrations(fixture('goose'));
    expect(set.format).toBe('goose');
    expect(set.problems).toEqual([]);
    expect(set.migrations.map((m) => [m.id, m.description, m.transactional, m.up.length, m.down?.length])).toEqual([
      ['1', 'create products', true, 1, 1],
      ['2', 'price audit', true, 3, 3],
      ['3', 'products title idx', false, 1, 1],
    ]);
    const audit = set.migrations[1]!;
    expect(audit.up[1]).toEqual({
      sql: [
        'CREATE FUNCTION log_price_change() RETURNS trigger AS $$',
        'BEGIN',
        '    INSERT INTO price_audit (product_id, old_cents, new_cents) VALUES (OLD.id, OLD.price_cents, NEW.price_cents);',
        '    RETURN NEW;',
        'END;',
        '$$ LANGUAGE plpgsql',
      ].join('\n'),
      location: { file: F2, line: 5, column: 1, endLine: 10, endColumn: 20 },
    });
    expect(audit.up[2]!.location).toEqual({ file: F2, line: 13, column: 1, endLine: 14, endColumn: 53 });
    expect(audit.down![0]!.location).toEqual({ file: F2, line: 17, column: 1, endLine: 17, endColumn: 46 });
  });

  it('reports an unclosed StatementBegin, a missing Up, SQL before Up, a stray StatementEnd and duplicate versions, and reads the rest', async () => {
    const dir = await folderOf({
      '001_ok.sql': '-- +goose Up\nCREATE TABLE ok (id int);\n',
      '01_same.sql': '-- +goose Up\nCREATE TABLE same (id int);\n',
      '002_open.sql': '-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n',
      '003_noup.sql': 'CREATE TABLE x (id int);\n',
      '004_early.sql': 'CREATE TABLE early (id int);\n-- +goose Up\nCREATE TABLE y (id int);\n-- +goose StatementEnd\n',
      '005_empty.sql': '-- +goose Up\n-- +goose Down\nDROP TABLE y;\n',
      'seed.sql': "INSERT INTO ok VALUES (1);\n",
    });
    try {
      const set = await readMigrations(dir);
      expect(set.format).toBe('goose');
      expect(set.migrations.map((m) => m.id)).toEqual(['1', '4', '5']);
      expect(set.problems.map((p) => [p.ruleId, p.location.file, p.location.line])).toEqual([
        ['read-error', '002_open.sql', 2],
        ['read-error', '003_noup.sql', 1],
        ['read-error', '004_early.sql', 4],
        ['read-error', '004_early.sql', 1],
        ['empty-migration', '005_empty.sql', 1],
        // Files are taken in path order: 01_same.sql sorts after 005_empty.sql and clashes with 001_ok.sql.
        ['duplicate-version', '01_same.sql', 1],
        ['unrecognized-file', 'seed.sql', 1],
      ]);
      expect(set.problems[0]!.message).toContain('never closed');
      expect(set.problems[2]!.message).toContain("StatementEnd' without a StatementBegin");
      expect(set.problems[3]!.message).toContain("SQL before '-- +goose Up'");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
