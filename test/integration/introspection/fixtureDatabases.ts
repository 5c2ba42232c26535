import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { scratchPostgres } from '../scratchPostgres';
import type { Queryable } from '../../../src/main/db/introspect/Queryable';

/**
 * Fresh databases loaded with test/fixtures/schema/<dialect>.sql, each with the raw client wrapped as the
 * Queryable the drivers provide, so introspection is tested without depending on the drivers.
 */
export interface FixtureDatabase {
  q: Queryable;
  database: string;
  serverVersion: string;
  /** Runs SQL on the fixture database (to add rows, ANALYZE …). */
  exec(sql: string): Promise<void>;
  dispose(): Promise<void>;
}

const fixture = (dialect: string): string => readFileSync(new URL(`../../fixtures/schema/${dialect}.sql`, import.meta.url), 'utf8');
const uniqueName = (): string => `quarry_introspect_${process.pid}_${Date.now().toString(36)}`;

export async function postgresFixture(serverUrl: string): Promise<FixtureDatabase> {
  const { database, client, dispose } = await scratchPostgres(serverUrl, 'quarry_introspect');
  try {
    await client.query(fixture('postgres'));
    const version = (await client.query<{ v: string }>('show server_version')).rows[0]!.v;
    return {
      q: { query: async (sql, params) => ({ rows: (await client.query(sql, params as unknown[])).rows }) },
      database,
      serverVersion: version,
      exec: async (sql) => void (await client.query(sql)),
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}

export async function mysqlFixture(serverUrl: string): Promise<FixtureDatabase> {
  const database = uniqueName();
  const connection = await mysql.createConnection(serverUrl);
  const dispose = async (): Promise<void> => {
    await connection.query(`drop database if exists \`${database}\``).catch(() => undefined);
    await connection.end();
  };
  try {
    await connection.query(`create database \`${database}\``);
    await connection.query(`use \`${database}\``);
    // Statements are separated by "-- ;" lines so that routine bodies may hold semicolons.
    for (const statement of fixture('mysql').split(/^-- ;$/m)) {
      if (statement.replace(/--.*$/gm, '').trim()) await connection.query(statement);
    }
    const [versionRows] = await connection.query('select version() as v');
    return {
      q: {
        query: async (sql, params) => {
          const [rows] = await connection.query(sql, params as unknown[]);
          return { rows: rows as Record<string, unknown>[] };
        },
      },
      database,
      serverVersion: String((versionRows as { v: string }[])[0]!.v),
      exec: async (sql) => void (await connection.query(sql)),
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}

export async function sqliteFixture(): Promise<FixtureDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'quarry-introspect-'));
  const database = join(dir, 'fixture.sqlite');
  const db = new Database(database);
  // As the SQLite driver does: integers arrive as bigint, which introspection must read like numbers.
  db.defaultSafeIntegers(true);
  const dispose = async (): Promise<void> => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    db.exec(fixture('sqlite'));
    return {
      q: {
        query: async (sql, params) => {
          const statement = db.prepare(sql);
          if (!statement.reader) {
            statement.run(...(params ?? []));
            return { rows: [] };
          }
          return { rows: statement.all(...(params ?? [])) as Record<string, unknown>[] };
        },
      },
      database,
      serverVersion: String(db.prepare('select sqlite_version()').pluck().get()),
      exec: async (sql) => void db.exec(sql),
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}
