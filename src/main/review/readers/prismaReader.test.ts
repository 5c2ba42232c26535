import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fixture, folderOf } from '../../../../test/fixtures/review/readers/folderOf';
import { readMigrations } from './readMigrations';

describe('Prisma reader', () => {
  it('reads migration folders in order and takes the dialect from migration_lock.toml', async () => {
    const set = await readMigrations(fixture('prisma'));
    expect(set.format).toBe('prisma');
    expect(set.dialectHint).toBe('mysql');
    expect(set.problems).toEqual([]);
    expect(set.migrations.map((m) => [m.id, m.version, m.description, m.down])).toEqual([
      ['20240101120000_init', '20240101120000', 'init', undefined],
      ['20240115083000_add_posts', '20240115083000', 'add posts', undefined],
    ]);
    const posts = set.migrations[1]!;
    expect(posts.up.map((s) => s.location)).toEqual([
      { file: 'prisma/migrations/20240115083000_add_posts/migration.sql', line: 2, column: 1, endLine: 8, endColumn: 59 },
      { file: 'prisma/migrations/20240115083000_add_posts/migration.sql', line: 11, column: 1, endLine: 11, endColumn: 141 },
    ]);
  });

  it('splits for the provider: a MySQL # comment is a comment, not SQL', async () => {
    const dir = await folderOf({
      'migrations/migration_lock.toml': 'provider = "mysql"\n',
      'migrations/20240301000000_x/migration.sql': "# MySQL comment; not a statement\nALTER TABLE `User` ADD COLUMN `bio` TEXT NULL;\n",
    });
    try {
      const set = await readMigrations(dir);
      expect(set.migrations[0]!.up).toEqual([
        { sql: 'ALTER TABLE `User` ADD COLUMN `bio` TEXT NULL', location: { file: 'migrations/20240301000000_x/migration.sql', line: 2, column: 1, endLine: 2, endColumn: 46 } },
      ]);
      const forced = await readMigrations(dir, { dialect: 'postgres' });
      expect(forced.dialectHint).toBe('mysql');
      expect(forced.migrations[0]!.up.length).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('warns about a provider Quarry does not review, and reports an empty migration', async () => {
    const dir = await folderOf({
      'migrations/migration_lock.toml': 'provider = "sqlserver"\n',
      'migrations/20240301000000_x/migration.sql': '-- This is an empty migration.\n',
    });
    try {
      const set = await readMigrations(dir);
      expect(set.dialectHint).toBeUndefined();
      expect(set.problems.map((p) => [p.ruleId, p.severity, p.location.file])).toEqual([
        ['read-error', 'warning', 'migrations/migration_lock.toml'],
        ['empty-migration', 'info', 'migrations/20240301000000_x/migration.sql'],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
