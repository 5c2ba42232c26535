import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import type { SchemaModel } from '../../../shared/domain/SchemaModel';
import { introspectMysql } from '../../db/introspect/introspectMysql';
import type { Queryable } from '../../db/introspect/Queryable';
import type { AdaptedStatement, Sandbox } from './Sandbox';

/**
 * A throwaway database `quarry_sandbox_<random>` on a MySQL or MariaDB server, dropped by dispose(). DDL commits
 * by itself there, so savepoints cannot take it back: a mark remembers how many statements had run, and going
 * back to it drops the database, creates it again empty and replays the statements before the mark.
 * The database starts empty; the user's own databases are never touched (statements naming another database
 * explicitly would, which is why the proof should run on a server of its own when migrations do that).
 */
export class MysqlSandbox implements Sandbox {
  readonly dialect = 'mysql' as const;
  readonly #connection: mysql.Connection;
  readonly #database: string;
  readonly #serverVersion: string;
  readonly #queryable: Queryable;
  /** Every statement that ran successfully, in order. */
  readonly #log: string[] = [];
  readonly #marks: { name: string; at: number }[] = [];
  #disposed = false;

  private constructor(connection: mysql.Connection, database: string, serverVersion: string) {
    this.#connection = connection;
    this.#database = database;
    this.#serverVersion = serverVersion;
    this.#queryable = {
      query: async (sql, params) => {
        const [rows] = await connection.query(sql, params as unknown[] | undefined);
        return { rows: rows as Record<string, unknown>[] };
      },
    };
  }

  /** Connects to the server of `url` and creates the throwaway database. */
  static async open(url: string): Promise<MysqlSandbox> {
    const connection = await mysql.createConnection({ uri: url, multipleStatements: false });
    connection.on('error', () => undefined);
    const database = `quarry_sandbox_${randomBytes(6).toString('hex')}`;
    try {
      const [rows] = await connection.query('select version() as v');
      await connection.query(`create database \`${database}\``);
      await connection.query(`use \`${database}\``);
      return new MysqlSandbox(connection, database, String((rows as { v: string }[])[0]!.v));
    } catch (error) {
      await connection.query(`drop database if exists \`${database}\``).catch(() => undefined);
      await connection.end().catch(() => undefined);
      throw error;
    }
  }

  /** The throwaway database's name, so callers can check it is gone after dispose(). */
  get database(): string {
    return this.#database;
  }

  adapt(sql: string): AdaptedStatement {
    return { sql };
  }

  unprovable(): string | undefined {
    return undefined;
  }

  async execute(sql: string): Promise<void> {
    await this.#connection.query(sql);
    this.#log.push(sql);
  }

  snapshot(): Promise<SchemaModel> {
    return introspectMysql(this.#queryable, this.#database, this.#serverVersion);
  }

  async mark(name: string): Promise<void> {
    this.#marks.push({ name, at: this.#log.length });
  }

  async rollbackTo(name: string): Promise<void> {
    const mark = this.#find(name);
    this.#marks.splice(this.#marks.lastIndexOf(mark) + 1);
    const replay = this.#log.slice(0, mark.at);
    this.#log.length = 0;
    await this.#connection.query(`drop database \`${this.#database}\``);
    await this.#connection.query(`create database \`${this.#database}\``);
    await this.#connection.query(`use \`${this.#database}\``);
    for (const sql of replay) await this.execute(sql);
  }

  async release(name: string): Promise<void> {
    const mark = this.#find(name);
    this.#marks.splice(this.#marks.lastIndexOf(mark));
  }

  #find(name: string): { name: string; at: number } {
    const mark = this.#marks.findLast((m) => m.name === name);
    if (!mark) throw new Error(`No sandbox mark named ${name}.`);
    return mark;
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.#connection.query(`drop database if exists \`${this.#database}\``).catch(() => undefined);
    await this.#connection.end().catch(() => undefined);
  }
}
