import pg from 'pg';
import mysql from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { testMysqlUrl, testPgUrl, testServers } from '../testEnv';

// Smoke test of the test servers themselves, so a broken setup fails here and not as a puzzling driver failure.
describe('throwaway test servers', () => {
  it('PostgreSQL accepts the quarry user by password and has pg_stat_statements loaded', async () => {
    const client = new pg.Client({ connectionString: testPgUrl() });
    await client.connect();
    try {
      const { rows } = await client.query<{ lib: string; db: string }>("SELECT current_setting('shared_preload_libraries') AS lib, current_database() AS db");
      expect(rows[0]).toEqual({ lib: 'pg_stat_statements', db: 'quarry' });
    } finally {
      await client.end();
    }
    const wrong = new pg.Client({ connectionString: testPgUrl().replace('quarry:quarry@', 'quarry:wrong@') });
    await expect(wrong.connect()).rejects.toThrow(/password authentication failed/);
  });

  it('MariaDB accepts the quarry user by password', async () => {
    const conn = await mysql.createConnection(testMysqlUrl());
    try {
      const [rows] = await conn.query('SELECT DATABASE() AS db');
      expect(rows).toEqual([{ db: 'quarry' }]);
    } finally {
      await conn.end();
    }
    await expect(mysql.createConnection(testMysqlUrl().replace('quarry:quarry@', 'quarry:wrong@'))).rejects.toThrow(/Access denied/);
  });

  it('restarts PostgreSQL and MariaDB on the same port and data', async (ctx) => {
    const servers = testServers();
    if (!servers) ctx.skip(true, 'servers were started outside this run without QUARRY_TEST_SERVERS_STATE');
    await servers!.restartPostgres();
    await servers!.restartMysql();
    const client = new pg.Client({ connectionString: testPgUrl() });
    await client.connect();
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await client.end();
    const conn = await mysql.createConnection(testMysqlUrl());
    expect((await conn.query('SELECT 1 AS one'))[0]).toEqual([{ one: 1 }]);
    await conn.end();
  });
});
