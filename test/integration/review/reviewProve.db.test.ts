import { PassThrough } from 'node:stream';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { reviewCommand, type ReviewCommandOptions } from '../../../src/cli/reviewCommand';
import { introspectPostgres } from '../../../src/main/db/introspect/introspectPostgres';
import type { Queryable } from '../../../src/main/db/introspect/Queryable';
import { diffSchemas } from '../../../src/main/review/sandbox/diffSchemas';
import { testPgUrl } from '../testEnv';

const fixture = (name: string): string => new URL(`../../fixtures/review/sandbox/${name}`, import.meta.url).pathname;

async function review(options: Omit<ReviewCommandOptions, 'out'>): Promise<{ code: number; text: string }> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  const code = await reviewCommand({ ...options, out });
  return { code, text };
}

describe('quarry review --prove', () => {
  it('adds the proof to the findings and to the json for SQLite, with no connection', async () => {
    const { code, text } = await review({ path: fixture('sqlite-shop'), dialect: 'sqlite', format: 'json', failOn: 'error', prove: true });
    expect(code).toBe(1);
    const report = JSON.parse(text) as { findings: { ruleId: string; migrationId?: string }[]; proof: { migrationId: string; status: string }[] };
    expect(report.proof.map((r) => r.status)).toEqual(['reversible', 'not-reversible', 'down-failed', 'no-down']);
    expect(report.findings.filter((f) => ['irreversible-migration', 'down-fails'].includes(f.ruleId)).map((f) => [f.ruleId, f.migrationId])).toEqual([
      ['irreversible-migration', '2'],
      ['down-fails', '3'],
    ]);
  });

  it('proves PostgreSQL migrations on the --connection server and commits nothing', async () => {
    const client = new pg.Client({ connectionString: testPgUrl() });
    await client.connect();
    try {
      const q: Queryable = { query: async (sql, params) => ({ rows: (await client.query(sql, params as unknown[] | undefined)).rows as Record<string, unknown>[] }) };
      const before = await introspectPostgres(q, 'quarry', '15');
      const { code, text } = await review({ path: fixture('postgres-up-fails'), dialect: 'postgres', format: 'text', failOn: 'error', prove: true, connection: testPgUrl() });
      expect(code).toBe(1);
      expect(text).toMatch(/^000002_index_missing_column\.up\.sql:3:1 {2}error {2}up-fails {2}The up of 2 fails here: column "phone" does not exist/m);
      expect(diffSchemas(before, await introspectPostgres(q, 'quarry', '15'))).toEqual([]);
    } finally {
      await client.end();
    }
  });

  it('says what to pass when PostgreSQL migrations are to be proved without a connection', async () => {
    await expect(review({ path: fixture('postgres-up-fails'), dialect: 'postgres', format: 'text', failOn: 'error', prove: true })).rejects.toThrow(/--connection <url>/);
  });
});
