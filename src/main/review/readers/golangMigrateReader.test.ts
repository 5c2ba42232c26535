import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fixture, folderOf } from '../../../../test/fixtures/review/readers/folderOf';
import { readMigrations } from './readMigrations';

describe('golang-migrate reader', () => {
  it('pairs up and down files in numeric version order', async () => {
    const set = await readMigrations(fixture('golang-migrate'));
    expect(set.format).toBe('golang-migrate');
    expect(set.problems).toEqual([]);
    expect(set.migrations.map((m) => [m.id, m.description, m.up.length, m.down?.length])).toEqual([
      ['1', 'create users table', 1, 1],
      ['2', 'add mood to users', 4, 4],
      ['10', 'users email', 1, undefined],
    ]);
    const mood = set.migrations[1]!;
    expect(mood.file).toBe('migrations/000002_add_mood_to_users.up.sql');
    expect(mood.up.map((s) => s.sql)).toEqual([
      'BEGIN',
      "CREATE TYPE enum_mood AS ENUM ('happy', 'sad', 'neutral')",
      'ALTER TABLE users ADD COLUMN mood enum_mood',
      'COMMIT',
    ]);
    expect(mood.down![2]).toEqual({
      sql: 'DROP TYPE enum_mood',
      location: { file: 'migrations/000002_add_mood_to_users.down.sql', line: 3, column: 1, endLine: 3, endColumn: 20 },
    });
    expect(set.migrations[0]!.up[0]!.location).toEqual({ file: 'migrations/000001_create_users_table.up.sql', line: 1, column: 1, endLine: 4, endColumn: 2 });
  });

  it('reports a down without its up, two ups for one version (1 and 001) and an empty down', async () => {
    const dir = await folderOf({
      'migrations/1_create_t.up.sql': 'CREATE TABLE t (id int);\n',
      'migrations/1_create_t.down.sql': '\n\n',
      'migrations/001_other.up.sql': 'CREATE TABLE u (id int);\n',
      'migrations/3_gone.down.sql': 'DROP TABLE v;\n',
    });
    try {
      const set = await readMigrations(dir);
      expect(set.format).toBe('golang-migrate');
      expect(set.migrations.map((m) => [m.id, m.file])).toEqual([['1', 'migrations/001_other.up.sql']]);
      expect(set.problems.map((p) => [p.ruleId, p.severity, p.location.file, p.migrationId])).toEqual([
        ['duplicate-version', 'error', 'migrations/1_create_t.up.sql', '1'],
        ['empty-migration', 'info', 'migrations/1_create_t.down.sql', '1'],
        ['orphan-down', 'error', 'migrations/3_gone.down.sql', '3'],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
