import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMigrations } from '../../../src/main/review/readers/readMigrations';
import { MysqlSandbox } from '../../../src/main/review/sandbox/MysqlSandbox';
import { proveReversibility } from '../../../src/main/review/sandbox/proveReversibility';
import { testMysqlUrl } from '../testEnv';

const fixture = (name: string): string => new URL(`../../fixtures/review/sandbox/${name}`, import.meta.url).pathname;

let observer: mysql.Connection;
const databases = async (): Promise<string[]> => {
  const [rows] = await observer.query('show databases');
  return (rows as Record<string, string>[]).map((r) => Object.values(r)[0]!).sort();
};

beforeAll(async () => {
  observer = await mysql.createConnection({ uri: testMysqlUrl() });
});
afterAll(async () => {
  await observer?.end();
});

describe('proveReversibility on MySQL/MariaDB, in a throwaway database', () => {
  it('proves each migration by replaying, reports what the down forgets, what fails, and drops the database afterwards', async () => {
    const sandbox = await MysqlSandbox.open(testMysqlUrl());
    let proof;
    try {
      expect(await databases()).toContain(sandbox.database);
      proof = await proveReversibility(await readMigrations(fixture('mysql-shop'), { dialect: 'mysql', format: 'golang-migrate' }), sandbox);
      const tables = (await sandbox.snapshot()).schemas[0]!.tables;
      expect(tables.map((t) => t.name)).toEqual(['orders', 'tags', 'users']);
      expect(tables.find((t) => t.name === 'users')!.columns.map((c) => c.name)).toEqual(['id', 'email', 'status', 'created_at', 'nickname']);
    } finally {
      await sandbox.dispose();
    }
    expect(proof.results.map((r) => [r.migrationId, r.status])).toEqual([
      ['1', 'reversible'],
      ['2', 'not-reversible'],
      ['3', 'down-failed'],
      ['4', 'no-down'],
      ['5', 'up-failed'],
      ['6', 'skipped'],
    ]);
    expect(proof.results[1]!.differences).toEqual([expect.objectContaining({ change: 'added', object: 'index', path: expect.stringMatching(/\.users\.users_created_idx$/) })]);
    expect(proof.findings.map((f) => [f.ruleId, f.migrationId, f.location.file, f.location.line])).toEqual([
      ['irreversible-migration', '2', '000002_add_orders.down.sql', 2],
      ['down-fails', '3', '000003_add_nickname.down.sql', 2],
      ['up-fails', '5', '000005_index_missing_column.up.sql', 3],
    ]);
    expect(proof.findings[2]!.message).toMatch(/phone/);
    // Other db test files may create databases meanwhile: only the sandbox's own is checked.
    expect(await databases()).not.toContain(sandbox.database);
  });
});
