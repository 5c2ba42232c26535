import { rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, folderOf } from '../../../../test/fixtures/review/readers/folderOf';
import { openInput } from '../input/openInput';
import { decodeFiles, detectFormat, migrationReaders, readMigrations } from './readMigrations';
import { utf16 } from '../../../../test/fixtures/review/readers/utf16';

describe('detectFormat', () => {
  it.each([
    ['sql', 'sql'],
    ['flyway', 'flyway'],
    ['golang-migrate', 'golang-migrate'],
    ['dbmate', 'dbmate'],
    ['goose', 'goose'],
    ['prisma', 'prisma'],
  ])('recognises the %s fixture project', async (folder, format) => {
    const { files } = decodeFiles((await openInput(fixture(folder))).files);
    expect(detectFormat(files)).toBe(format);
  });

  it('falls back to plain SQL for an input with no SQL at all', () => {
    expect(detectFormat([{ path: 'README.md', text: 'hello' }])).toBe('sql');
  });

  it('has one reader per format, each registered once', () => {
    const formats = migrationReaders.map((r) => r.format);
    expect(new Set(formats).size).toBe(formats.length);
  });
});

describe('plain SQL reader', () => {
  it('orders files naturally (2_ before 10_) and locates every statement exactly', async () => {
    const set = await readMigrations(fixture('sql'));
    expect(set.format).toBe('sql');
    expect(set.problems).toEqual([]);
    expect(set.migrations.map((m) => [m.id, m.version])).toEqual([
      ['db/1_create_users.sql', '1'],
      ['db/2_create_orders.sql', '2'],
      ['db/10_orders_total.sql', '10'],
    ]);
    expect(set.migrations[0]!.up.map((s) => s.location)).toEqual([
      { file: 'db/1_create_users.sql', line: 2, column: 1, endLine: 5, endColumn: 2 },
      { file: 'db/1_create_users.sql', line: 6, column: 1, endLine: 6, endColumn: 53 },
    ]);
    expect(set.migrations[2]!.up[1]).toEqual({
      sql: 'UPDATE orders SET total = 0',
      location: { file: 'db/10_orders_total.sql', line: 3, column: 3, endLine: 3, endColumn: 30 },
    });
  });
});

describe('bad input', () => {
  it('reports each bad file at its place and still reads the rest of the folder', async () => {
    const invalid = new Uint8Array([...new TextEncoder().encode('SELECT 1;\nSELECT \''), 0xff, ...new TextEncoder().encode("';\n")]);
    const binary = new Uint8Array([0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66, 0x6f, 0x72, 0x6d, 0x61, 0x74, 0x20, 0x33, 0x00, 0x10, 0x00]);
    const dir = await folderOf({
      'migrations/01_init.sql': 'CREATE TABLE t (id int);\n',
      'migrations/02_binary.sql': binary,
      'migrations/03_utf16le.sql': utf16("\nCREATE TABLE ü (name text DEFAULT 'ł');\n", false),
      'migrations/04_utf16be.sql': utf16('DROP TABLE ü;', true),
      'migrations/05_latin1.sql': invalid,
      'migrations/06_empty.sql': '',
      'migrations/07_comments.sql': '-- nothing to do here\n/* still nothing */\n',
      'migrations/08_psql.sql': 'CREATE TABLE a (id int);\n\\connect other\nCREATE TABLE b (id int);\n',
      'migrations/09_huge.sql': '',
      'migrations/10_last.sql': '  ALTER TABLE t ADD COLUMN n int;',
      'docs/diagram.png': binary,
      'docs/backup.tar': '',
    });
    try {
      await truncate(path.join(dir, 'migrations/09_huge.sql'), 64 * 1024);
      // Over the limit too, but no migration: neither read nor reported.
      await truncate(path.join(dir, 'docs/backup.tar'), 64 * 1024);
      const set = await readMigrations(dir, { maxFileBytes: 32 * 1024 });
      expect(set.format).toBe('sql');
      expect(set.migrations.map((m) => [m.id, m.up.length])).toEqual([
        ['migrations/01_init.sql', 1],
        ['migrations/03_utf16le.sql', 1],
        ['migrations/04_utf16be.sql', 1],
        ['migrations/06_empty.sql', 0],
        ['migrations/07_comments.sql', 0],
        ['migrations/08_psql.sql', 0],
        ['migrations/10_last.sql', 1],
      ]);
      expect(set.migrations[1]!.up[0]).toEqual({
        sql: "CREATE TABLE ü (name text DEFAULT 'ł')",
        location: { file: 'migrations/03_utf16le.sql', line: 2, column: 1, endLine: 2, endColumn: 39 },
      });
      expect(set.migrations[2]!.up[0]!.sql).toBe('DROP TABLE ü');
      expect(set.migrations[6]!.up[0]!.location).toEqual({ file: 'migrations/10_last.sql', line: 1, column: 3, endLine: 1, endColumn: 33 });
      expect(set.problems.map((p) => [p.ruleId, p.severity, p.location.file, p.location.line, p.location.column])).toEqual([
        ['read-error', 'error', 'migrations/09_huge.sql', 1, 1],
        ['read-error', 'error', 'migrations/02_binary.sql', 1, 1],
        ['read-error', 'error', 'migrations/05_latin1.sql', 2, 9],
        ['empty-migration', 'info', 'migrations/06_empty.sql', 1, 1],
        ['empty-migration', 'info', 'migrations/07_comments.sql', 1, 1],
        ['parse-error', 'error', 'migrations/08_psql.sql', 2, 1],
      ]);
      expect(set.problems[2]!.message).toContain('not valid UTF-8');
      expect(set.problems[5]!.message).toContain('\\connect');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads a zip of a golang-migrate project, refusing an entry that climbs out of it', async () => {
    const dir = await folderOf({});
    try {
      // Built with the zip tool for the honest entries; the hostile one is in openInput's own tests.
      const src = await folderOf({
        'migrations/1_init.up.sql': 'CREATE TABLE t (id int);\n',
        'migrations/1_init.down.sql': 'DROP TABLE t;\n',
      });
      const { execFileSync } = await import('node:child_process');
      execFileSync('zip', ['-qr', path.join(dir, 'project.zip'), 'migrations'], { cwd: src });
      await rm(src, { recursive: true, force: true });
      const set = await readMigrations(path.join(dir, 'project.zip'));
      expect(set.format).toBe('golang-migrate');
      expect(set.problems).toEqual([]);
      expect(set.migrations.map((m) => [m.id, m.up[0]!.sql, m.down?.[0]?.sql])).toEqual([['1', 'CREATE TABLE t (id int)', 'DROP TABLE t']]);
      expect(set.migrations[0]!.up[0]!.location.file).toBe('migrations/1_init.up.sql');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads a single file, and honours an explicit format and dialect', async () => {
    const dir = await folderOf({ 'V3__mysql.sql': '# a MySQL comment\nALTER TABLE t ADD COLUMN c int;\n' });
    try {
      const one = await readMigrations(path.join(dir, 'V3__mysql.sql'), { dialect: 'mysql' });
      expect(one.format).toBe('flyway');
      expect(one.migrations[0]!.up).toEqual([
        { sql: 'ALTER TABLE t ADD COLUMN c int', location: { file: 'V3__mysql.sql', line: 2, column: 1, endLine: 2, endColumn: 31 } },
      ]);
      const plain = await readMigrations(dir, { format: 'sql', dialect: 'mysql' });
      expect(plain.format).toBe('sql');
      expect(plain.migrations.map((m) => m.id)).toEqual(['V3__mysql.sql']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('turns a reader that throws into a problem, keeping the input problems', async () => {
    const broken = {
      format: 'liquibase' as const,
      detect: () => 1,
      read: (): never => {
        throw new Error('changelog walk blew up');
      },
    };
    migrationReaders.push(broken);
    const dir = await folderOf({ 'changelog.xml': '<databaseChangeLog/>', 'bin.sql': new Uint8Array([0, 1, 2]) });
    try {
      const set = await readMigrations(dir);
      expect(set.format).toBe('liquibase');
      expect(set.migrations).toEqual([]);
      expect(set.problems.map((p) => [p.ruleId, p.location.file, p.message])).toEqual([
        ['read-error', 'bin.sql', 'bin.sql is a binary file (NUL byte at offset 0), not a text migration'],
        ['read-error', '', 'the liquibase reader failed: changelog walk blew up'],
      ]);
    } finally {
      migrationReaders.splice(migrationReaders.indexOf(broken), 1);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects a path that does not exist with IO_ERROR', async () => {
    await expect(readMigrations('/nonexistent/quarry/migrations')).rejects.toMatchObject({ code: 'IO_ERROR' });
  });

  it('reads a Windows-saved (CRLF, BOM) file with the same positions an editor shows', async () => {
    const dir = await folderOf({});
    try {
      await writeFile(path.join(dir, '1_crlf.sql'), '\uFEFF-- header\r\nCREATE TABLE t (\r\n  id int\r\n);\r\nDROP TABLE t;\r\n');
      const set = await readMigrations(dir);
      expect(set.migrations[0]!.up.map((s) => s.location)).toEqual([
        { file: '1_crlf.sql', line: 2, column: 1, endLine: 4, endColumn: 2 },
        { file: '1_crlf.sql', line: 5, column: 1, endLine: 5, endColumn: 13 },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
