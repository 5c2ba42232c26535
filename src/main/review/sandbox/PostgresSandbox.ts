import pg from 'pg';
import { dialectFacts } from '../../../shared/dialect/dialectFacts';
import type { SchemaModel } from '../../../shared/domain/SchemaModel';
import type { DriverOptions } from '../../db/Driver';
import { openWithTls } from '../../db/drivers/tlsOptions';
import { introspectPostgres } from '../../db/introspect/introspectPostgres';
import type { Queryable } from '../../db/introspect/Queryable';
import { lookupPgpass } from '../../db/pgpass';
import { routeThroughTunnel, type SshTunnel } from '../../db/sshTunnel';
import type { AdaptedStatement, Sandbox } from './Sandbox';

export interface PostgresSandboxOptions {
  /**
   * lock_timeout for the proof. Defaults to 5000 ms: the DDL runs on a real database and holds its locks until
   * the rollback, so it must give up rather than queue behind (and in front of) the application's traffic.
   */
  lockTimeoutMs?: number;
  /** statement_timeout for the proof. Defaults to 60000 ms. */
  statementTimeoutMs?: number;
}

/** Statements PostgreSQL refuses inside a transaction only because of CONCURRENTLY; without it they prove the same schema. */
const concurrently = /^((?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*(?:create\s+(?:unique\s+)?index|drop\s+index|reindex\s+(?:index|table|schema|database|system)))\s+concurrently\b/i;

/** SQLSTATEs of statements that fail only because the proof runs them in a transaction. */
const transactionOnlyFailures: Record<string, string> = {
  '25001': 'PostgreSQL cannot run this statement inside a transaction, and the proof needs one.',
  '55P04': 'A new enum value cannot be used in the transaction that adds it, and the proof runs all in one.',
};

/**
 * A PostgreSQL database seen through ONE transaction that is always rolled back: every migration runs between
 * savepoints, and dispose() (or the connection dropping) throws it all away. Nothing is ever committed.
 */
export class PostgresSandbox implements Sandbox {
  readonly dialect = 'postgres' as const;
  readonly #client: pg.Client;
  readonly #database: string;
  readonly #serverVersion: string;
  readonly #queryable: Queryable;
  readonly #tunnel: SshTunnel | undefined;
  #disposed = false;

  private constructor(client: pg.Client, database: string, serverVersion: string, tunnel: SshTunnel | undefined) {
    this.#client = client;
    this.#tunnel = tunnel;
    this.#database = database;
    this.#serverVersion = serverVersion;
    this.#queryable = { query: async (sql, params) => ({ rows: (await client.query(sql, params as unknown[] | undefined)).rows as Record<string, unknown>[] }) };
  }

  /**
   * Connects to a connection URL, or to a saved connection's config and secrets (its SSH tunnel, TLS mode and
   * password, which never goes into a URL or a message), and opens the transaction the proof runs in.
   */
  static async open(connection: string | DriverOptions, options: PostgresSandboxOptions = {}): Promise<PostgresSandbox> {
    const { client, tunnel } = typeof connection === 'string' ? await connectUrl(connection) : await connectSaved(connection);
    try {
      const version = await client.query<{ server_version: string; db: string }>('select current_setting($1) as server_version, current_database() as db', ['server_version']);
      await client.query('BEGIN');
      await client.query(`SET LOCAL lock_timeout = ${Math.max(0, Math.trunc(options.lockTimeoutMs ?? 5000))}`);
      await client.query(`SET LOCAL statement_timeout = ${Math.max(0, Math.trunc(options.statementTimeoutMs ?? 60_000))}`);
      const row = version.rows[0]!;
      return new PostgresSandbox(client, row.db, row.server_version, tunnel);
    } catch (error) {
      await client.end().catch(() => undefined);
      await tunnel?.dispose();
      throw error;
    }
  }

  adapt(sql: string): AdaptedStatement {
    if (!concurrently.test(sql)) return { sql };
    return { sql: sql.replace(concurrently, '$1'), note: 'CONCURRENTLY removed: it cannot run inside the transaction the proof needs; the schema it builds is the same.' };
  }

  unprovable(error: unknown): string | undefined {
    const code = (error as { code?: unknown } | null)?.code;
    return typeof code === 'string' && code in transactionOnlyFailures ? transactionOnlyFailures[code] : undefined;
  }

  async execute(sql: string): Promise<void> {
    await this.#client.query(sql);
  }

  snapshot(): Promise<SchemaModel> {
    return introspectPostgres(this.#queryable, this.#database, this.#serverVersion);
  }

  async mark(name: string): Promise<void> {
    await this.#client.query(`SAVEPOINT ${quote(name)}`);
  }

  async rollbackTo(name: string): Promise<void> {
    await this.#client.query(`ROLLBACK TO SAVEPOINT ${quote(name)}`);
  }

  async release(name: string): Promise<void> {
    await this.#client.query(`RELEASE SAVEPOINT ${quote(name)}`);
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    // Closing the session rolls back too, should the ROLLBACK itself fail (a lost connection).
    await this.#client.query('ROLLBACK').catch(() => undefined);
    await this.#client.end().catch(() => undefined);
    await this.#tunnel?.dispose().catch(() => undefined);
  }
}

async function connectUrl(connectionString: string): Promise<{ client: pg.Client; tunnel?: SshTunnel }> {
  const client = new pg.Client({ connectionString });
  // An 'error' event without a listener would crash the process when the server goes away mid-proof.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return { client };
}

/** The same endpoint, user, password order (given, PGPASSWORD, ~/.pgpass), tunnel and TLS mode as PostgresDriver. */
async function connectSaved({ config, secrets }: DriverOptions): Promise<{ client: pg.Client; tunnel?: SshTunnel }> {
  const host = config.host?.trim() || '127.0.0.1';
  const port = config.port ?? dialectFacts.postgres.defaultPort!;
  const user = config.user?.trim() || 'postgres';
  const database = config.database?.trim() || user;
  const password = secrets.password ?? process.env.PGPASSWORD ?? lookupPgpass({ host, port, user, database });
  const connectTimeoutMs = config.connectTimeoutMs ?? 10_000;
  const route = await routeThroughTunnel(undefined, { ssh: config.ssh, secrets, targetHost: host, targetPort: port, connectTimeoutMs }, () => undefined);
  try {
    const opened = await openWithTls(
      config.tls ?? dialectFacts.postgres.defaultTls,
      config.tlsCaFile,
      host,
      async (ssl) => {
        const client = new pg.Client({ host: route.host, port: route.port, user, database, password, ssl: ssl ?? false, connectionTimeoutMillis: connectTimeoutMs, application_name: 'Quarry sandbox' });
        client.on('error', () => undefined);
        try {
          await client.connect();
        } catch (error) {
          await client.end().catch(() => undefined);
          throw error;
        }
        return client;
      },
      (error) => (error instanceof Error ? error : new Error(String(error))),
    );
    return { client: opened.session, tunnel: route.tunnel };
  } catch (error) {
    await route.tunnel?.dispose();
    throw error;
  }
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
