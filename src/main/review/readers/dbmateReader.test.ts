import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fixture, folderOf } from '../../../../test/fixtures/review/readers/folderOf';
import { readMigrations } from './readMigrations';

const F1 = 'db/migrations/20240105093000_create_accounts.sql';

describe('dbmate reader', () => {
  it('reads up and down sections with locations in the whole file, and transaction:false; db/schema.sql is no migration', async () => {
    const set = await readMigrations(fixture('dbmate'));
    expect(set.format).toBe('dbmate');
    expect(set.problems).toEqual([]);
    expect(set.migrations.map((m) => [m.id, m.description, m.transactional, m.up.length, m.down?.length])).toEqual([
      ['20240105093000', 'create accounts', true, 2, 2],
      ['20240210120000', 'members user idx', false, 1, undefined],
    ]);
    const [accounts] = set.migrations;
    expect(accounts!.up[1]!.location).toEqual({ file: F1, line: 6, column: 1, endLine: 6, endColumn: 108 });
    expect(accounts!.down).toEqual([
      { sql: 'drop table account_members', location: { file: F1, line: 9, column: 1, endLine: 9, endColumn: 27 } },
      { sql: 'drop table accounts', location: { file: F1, line: 10, column: 1, endLine: 10, endColumn: 20 } },
    ]);
  });

  it('reports a file without an up marker, SQL outside the sections, a second up and an empty up', async () => {
    const dir = await folderOf({
      'db/migrations/20240101000000_a.sql': '-- migrate:up\ncreate table a (id int);\n',
      'db/migrations/20240102000000_b.sql': 'create table stray (id int);\n-- migrate:up\ncreate table b (id int);\n-- migrate:up\ncreate table c (id int);\n',
      'db/migrations/20240103000000_c.sql': 'create table c (id int);\n',
      'db/migrations/20240104000000_d.sql': '-- migrate:up\n-- nothing yet\n-- migrate:down\n',
    });
    try {
      const set = await readMigrations(dir);
      expect(set.format).toBe('dbmate');
      expect(set.migrations.map((m) => m.id)).toEqual(['20240101000000', '20240102000000', '20240104000000']);
      expect(set.problems.map((p) => [p.ruleId, p.location.file, p.location.line, p.location.column])).toEqual([
        ['read-error', 'db/migrations/20240102000000_b.sql', 1, 1],
        ['read-error', 'db/migrations/20240102000000_b.sql', 4, 1],
        ['read-error', 'db/migrations/20240103000000_c.sql', 1, 1],
        ['empty-migration', 'db/migrations/20240104000000_d.sql', 1, 1],
      ]);
      expect(set.problems[2]!.message).toContain("no '-- migrate:up' section");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
