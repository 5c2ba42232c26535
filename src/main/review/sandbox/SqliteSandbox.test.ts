import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { MigrationSet } from '../../../shared/domain/review';
import { readMigrations } from '../readers/readMigrations';
import { proveReversibility } from './proveReversibility';
import { SqliteSandbox } from './SqliteSandbox';

const fixture = (name: string): string => new URL(`../../../../test/fixtures/review/sandbox/${name}`, import.meta.url).pathname;
const read = (name: string): Promise<MigrationSet> => readMigrations(fixture(name), { dialect: 'sqlite', format: 'golang-migrate' });

const sandboxes: SqliteSandbox[] = [];
const open = (file?: string): SqliteSandbox => {
  const s = new SqliteSandbox(file === undefined ? {} : { file });
  sandboxes.push(s);
  return s;
};
afterEach(async () => {
  for (const s of sandboxes.splice(0)) await s.dispose();
});

describe('proveReversibility on SQLite, in memory', () => {
  it('proves a reversible pair, catches a forgotten index, a failing down and a missing down', async () => {
    const proof = await proveReversibility(await read('sqlite-shop'), open());
    expect(proof.results.map((r) => [r.migrationId, r.status])).toEqual([
      ['1', 'reversible'],
      ['2', 'not-reversible'],
      ['3', 'down-failed'],
      ['4', 'no-down'],
    ]);
    const [, forgot, failedDown, noDown] = proof.results;
    expect(forgot!.differences).toEqual([expect.objectContaining({ change: 'added', object: 'index', path: 'main.users.users_created_idx' })]);
    expect(failedDown!.error).toEqual({ message: 'no such table: nickname_history', sql: 'DROP TABLE nickname_history', location: expect.objectContaining({ file: '000003_add_nickname.down.sql', line: 2, column: 1 }) });
    expect(noDown!.notes).toEqual([
      '000004_add_tags.up.sql:1:1: BEGIN skipped: the proof runs in a transaction of its own.',
      '000004_add_tags.up.sql:3:1: COMMIT skipped: the proof runs in a transaction of its own.',
    ]);
    expect(proof.findings.map((f) => [f.ruleId, f.migrationId, f.location.file, f.location.line])).toEqual([
      ['irreversible-migration', '2', '000002_add_orders.down.sql', 2],
      ['down-fails', '3', '000003_add_nickname.down.sql', 2],
    ]);
    expect(proof.findings[0]!.message).toContain('index main.users.users_created_idx was added');
  });

  it('gives the next migration the state after the up, even when the down was lossy or failed', async () => {
    const sandbox = open();
    await proveReversibility(await read('sqlite-shop'), sandbox);
    const tables = (await sandbox.snapshot()).schemas[0]!.tables;
    expect(tables.map((t) => t.name)).toEqual(['orders', 'tags', 'users']);
    expect(tables.find((t) => t.name === 'users')!.columns.map((c) => c.name)).toEqual(['id', 'email', 'created_at', 'nickname']);
  });

  it('reports an up that fails at its statement and skips what follows', async () => {
    const proof = await proveReversibility(await read('sqlite-up-fails'), open());
    expect(proof.results.map((r) => r.status)).toEqual(['reversible', 'up-failed', 'skipped']);
    expect(proof.findings).toEqual([
      expect.objectContaining({ ruleId: 'up-fails', severity: 'error', migrationId: '2', location: expect.objectContaining({ file: '000002_index_missing_column.up.sql', line: 3, column: 1 }) }),
    ]);
    expect(proof.findings[0]!.message).toContain('no such column: phone');
    expect(proof.results[2]!.error).toEqual({ message: 'Not proved: the up of 2 could not be applied before it.' });
  });

  it('starts from a copy of the file and never writes to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quarry-sandbox-'));
    try {
      const file = join(dir, 'app.db');
      const db = new Database(file);
      db.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, created_at TEXT NOT NULL DEFAULT (datetime('now'))); CREATE UNIQUE INDEX users_email_key ON users (email); INSERT INTO users (email) VALUES ('a@example.com');");
      db.close();
      const bytes = readFileSync(file);
      const mtime = statSync(file).mtimeMs;
      const set = await read('sqlite-shop');
      // The file already holds 000001's schema: start from 000002.
      const proof = await proveReversibility({ ...set, migrations: set.migrations.slice(1) }, open(file));
      expect(proof.results.map((r) => r.status)).toEqual(['not-reversible', 'down-failed', 'no-down']);
      expect(readFileSync(file).equals(bytes)).toBe(true);
      expect(statSync(file).mtimeMs).toBe(mtime);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says VACUUM is not provable in the transaction, and goes on without it', async () => {
    const set = await read('sqlite-up-fails');
    const vacuum = { ...set.migrations[0]!, id: 'vacuum', down: undefined, up: [{ sql: 'VACUUM', location: { file: 'V2__vacuum.sql', line: 1, column: 1 } }] };
    const proof = await proveReversibility({ ...set, migrations: [set.migrations[0]!, vacuum] }, open());
    expect(proof.results.map((r) => [r.status, r.failedIn])).toEqual([
      ['reversible', undefined],
      ['not-provable', 'up'],
    ]);
    expect(proof.findings).toEqual([expect.objectContaining({ ruleId: 'not-provable', severity: 'info', location: { file: 'V2__vacuum.sql', line: 1, column: 1 } })]);
    expect(proof.findings[0]!.message).toContain('cannot VACUUM from within a transaction');
  });

  it('says clearly when the file to copy does not exist', () => {
    expect(() => new SqliteSandbox({ file: '/nonexistent/quarry/app.db' })).toThrow(/app\.db/);
  });
});
