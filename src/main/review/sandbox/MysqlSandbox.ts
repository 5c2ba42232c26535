import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { dialectFacts } from '../../../shared/dialect/dialectFacts';
import type { SchemaModel } from '../../../shared/domain/SchemaModel';
import type { DriverOptions } from '../../db/Driver';
import { openWithTls } from '../../db/drivers/tlsOptions';
import { routeThroughTunnel, type SshTunnel } from '../../db/sshTunnel';
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
  readonly #tunnel: SshTunnel | undefined;
  #disposed = false;

  private constructor(connection: mysql.Connection, database: string, serverVersion: string, tunnel: SshTunnel | undefined) {
    this.#connection = connection;
    this.#tunnel = tunnel;
    this.#database = database;
    this.#serverVersion = serverVersion;
    this.#queryable = {
      query: async (sql, params) => {
        const [rows] = await connection.query(sql, params as unknown[] | undefined);
        return { rows: rows as Record<string, unknown>[] };
      },
    };
  }

  /**
   * Connects to the server of a connection URL, or of a saved connection's config and secrets (its SSH tunnel,
   * TLS mode and password, which never goes into a URL or a message), and creates the throwaway database.
   */
  static async open(target: string | DriverOptions): Promise<MysqlSandbox> {
    const { connection, tunnel } = typeof target === 'string' ? { connection: await mysql.createConnection({ uri: target, multipleStatements: false }), tunnel: undefined } : await connectSaved(target);
    connection.on('error', () => undefined);
    const database = `quarry_sandbox_${randomBytes(6).toString('hex')}`;
    try {
      const [rows] = await connection.query('select version() as v');
      await connection.query(`create database \`${database}\``);
      await connection.query(`use \`${database}\``);
      return new MysqlSandbox(connection, database, String((rows as { v: string }[])[0]!.v), tunnel);
    } catch (error) {
      await connection.query(`drop database if exists \`${database}\``).catch(() => undefined);
      await connection.end().catch(() => undefined);
      await tunnel?.dispose();
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
    await this.#tunnel?.dispose().catch(() => undefined);
  }
}

/** The same endpoint, user, tunnel and TLS mode as MysqlDriver; no default database, the sandbox makes its own. */
async function connectSaved({ config, secrets }: DriverOptions): Promise<{ connection: mysql.Connection; tunnel?: SshTunnel }> {
  const host = config.host?.trim() || '127.0.0.1';
  const port = config.port ?? dialectFacts.mysql.defaultPort!;
  const connectTimeoutMs = config.connectTimeoutMs ?? 10_000;
  const route = await routeThroughTunnel(undefined, { ssh: config.ssh, secrets, targetHost: host, targetPort: port, connectTimeoutMs }, () => undefined);
  try {
    const opened = await openWithTls(
      config.tls ?? dialectFacts.mysql.defaultTls,
      config.tlsCaFile,
      host,
      (tls) =>
        mysql.createConnection({
          host: route.host,
          port: route.port,
          user: config.user?.trim() || 'root',
          password: secrets.password ?? '',
          connectTimeout: connectTimeoutMs,
          multipleStatements: false,
          // mysql2 checks the name against the host it dials, which through a tunnel is 127.0.0.1, so only without one.
          ...(tls ? { ssl: { ...(tls.ca ? { ca: tls.ca as Buffer } : {}), rejectUnauthorized: tls.rejectUnauthorized === true, verifyIdentity: config.tls === 'verify-full' && !config.ssh } } : {}),
        }),
      (error) => (error instanceof Error ? error : new Error(String(error))),
    );
    return { connection: opened.session, tunnel: route.tunnel };
  } catch (error) {
    await route.tunnel?.dispose();
    throw error;
  }
}
