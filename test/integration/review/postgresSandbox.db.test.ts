import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { introspectPostgres } from '../../../src/main/db/introspect/introspectPostgres';
import type { Queryable } from '../../../src/main/db/introspect/Queryable';
import { readMigrations } from '../../../src/main/review/readers/readMigrations';
import { diffSchemas } from '../../../src/main/review/sandbox/diffSchemas';
import { PostgresSandbox } from '../../../src/main/review/sandbox/PostgresSandbox';
import { proveReversibility } from '../../../src/main/review/sandbox/proveReversibility';
import type { MigrationSet } from '../../../src/shared/domain/review';
import type { SchemaModel } from '../../../src/shared/domain/SchemaModel';
import { scratchPostgres, type ScratchPostgres } from '../scratchPostgres';
import { testPgUrl } from '../testEnv';

const fixture = (name: string): string => new URL(`../../fixtures/review/sandbox/${name}`, import.meta.url).pathname;
const read = (name: string): Promise<MigrationSet> => readMigrations(fixture(name), { dialect: 'postgres', format: 'golang-migrate' });

/** A database of its own, holding one table the migrations never touch, so "nothing changed" has something to compare. */
let scratch: ScratchPostgres;
let database: string;
let observer: pg.Client;
let url: string;

async function schemaNow(): Promise<SchemaModel> {
  const q: Queryable = { query: async (sql, params) => ({ rows: (await observer.query(sql, params as unknown[] | undefined)).rows as Record<string, unknown>[] }) };
  return introspectPostgres(q, database, '15');
}

beforeAll(async () => {
  scratch = await scratchPostgres(testPgUrl(), 'quarry_sandbox_test');
  ({ database, url, client: observer } = scratch);
  await observer.query('create table existing (id int primary key, note text)');
});

afterAll(async () => {
  await scratch?.dispose();
});

describe('proveReversibility on PostgreSQL, in a rolled-back transaction', () => {
  it('proves a reversible pair, catches a forgotten index, a lost NOT NULL, a failing down and a missing down, and leaves nothing behind', async () => {
    const before = await schemaNow();
    const sandbox = await PostgresSandbox.open(url);
    let proof;
    try {
      proof = await proveReversibility(await read('postgres-shop'), sandbox);
      // Inside the transaction the ups are there…
      expect((await sandbox.snapshot()).schemas.find((s) => s.name === 'public')!.tables.map((t) => t.name)).toEqual(['existing', 'orders', 'tags', 'users']);
    } finally {
      await sandbox.dispose();
    }
    expect(proof.results.map((r) => [r.migrationId, r.status])).toEqual([
      ['1', 'reversible'],
      ['2', 'not-reversible'],
      ['3', 'down-failed'],
      ['4', 'no-down'],
      ['5', 'not-reversible'],
    ]);
    const [, forgot, failedDown, noDown, lostNotNull] = proof.results;
    expect(forgot!.differences).toEqual([expect.objectContaining({ change: 'added', object: 'index', path: 'public.users.users_created_idx' })]);
    expect(forgot!.notes).toEqual(['000002_add_orders.up.sql:6:1: CONCURRENTLY removed: it cannot run inside the transaction the proof needs; the schema it builds is the same.']);
    expect(failedDown!.error).toEqual(expect.objectContaining({ message: 'table "nickname_history" does not exist', location: expect.objectContaining({ file: '000003_add_nickname.down.sql', line: 2 }) }));
    expect(noDown!.notes).toHaveLength(2);
    expect(lostNotNull!.differences).toEqual([expect.objectContaining({ object: 'column', path: 'public.users.created_at', property: 'nullable', before: 'false', after: 'true' })]);
    expect(proof.findings.map((f) => [f.ruleId, f.migrationId])).toEqual([
      ['irreversible-migration', '2'],
      ['down-fails', '3'],
      ['irreversible-migration', '5'],
    ]);
    // …and after dispose nothing of them remains.
    expect(diffSchemas(before, await schemaNow())).toEqual([]);
    const { rows } = await observer.query("select count(*)::int as n from pg_type where typname = 'user_status'");
    expect(rows[0].n).toBe(0);
  });

  it('reports an up that fails with the server message at its statement, skips what follows, and leaves nothing behind', async () => {
    const before = await schemaNow();
    const sandbox = await PostgresSandbox.open(url);
    let proof;
    try {
      proof = await proveReversibility(await read('postgres-up-fails'), sandbox);
    } finally {
      await sandbox.dispose();
    }
    expect(proof.results.map((r) => r.status)).toEqual(['reversible', 'up-failed', 'skipped']);
    expect(proof.findings).toEqual([
      expect.objectContaining({ ruleId: 'up-fails', migrationId: '2', location: expect.objectContaining({ file: '000002_index_missing_column.up.sql', line: 3, column: 1 }) }),
    ]);
    expect(proof.findings[0]!.message).toContain('column "phone" does not exist');
    expect(diffSchemas(before, await schemaNow())).toEqual([]);
  });

  it('says a migration is not provable, rather than failing, when only the transaction stops it', async () => {
    const before = await schemaNow();
    const sandbox = await PostgresSandbox.open(url);
    let proof;
    try {
      proof = await proveReversibility(await read('postgres-not-provable'), sandbox);
    } finally {
      await sandbox.dispose();
    }
    expect(proof.results.map((r) => [r.migrationId, r.status, r.failedIn])).toEqual([
      ['1', 'reversible', undefined],
      ['2', 'not-provable', 'up'],
      ['3', 'skipped', undefined],
    ]);
    expect(proof.results[1]!.error).toEqual(expect.objectContaining({ message: expect.stringContaining('unsafe use of new value'), location: expect.objectContaining({ file: '000002_banned_default.up.sql', line: 2 }) }));
    expect(proof.findings).toEqual([expect.objectContaining({ ruleId: 'not-provable', severity: 'info', migrationId: '2' })]);
    expect(diffSchemas(before, await schemaNow())).toEqual([]);
  });

  it('says VACUUM is not provable in a transaction', async () => {
    const sandbox = await PostgresSandbox.open(url);
    try {
      const set = await read('postgres-not-provable');
      const proof = await proveReversibility({ ...set, migrations: [set.migrations[0]!, set.migrations[2]!] }, sandbox);
      expect(proof.results.map((r) => r.status)).toEqual(['reversible', 'not-provable']);
      expect(proof.results[1]!.notes).toEqual(['PostgreSQL cannot run this statement inside a transaction, and the proof needs one.']);
    } finally {
      await sandbox.dispose();
    }
  });

  it('says why when the server cannot be reached', async () => {
    const u = new URL(url);
    u.pathname = '/quarry_sandbox_no_such_database';
    await expect(PostgresSandbox.open(u.toString())).rejects.toThrow(/quarry_sandbox_no_such_database/);
  });
});
