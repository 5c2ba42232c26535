import pg from 'pg';
import Cursor from 'pg-cursor';
import { to as copyTo } from 'pg-copy-streams';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ConnectionConfig, ConnectionSecrets, TlsMode } from '../../../shared/domain/connection';
import type { ColumnMeta } from '../../../shared/domain/query';
import type { SchemaModel } from '../../../shared/domain/SchemaModel';
import type { Driver, DriverOptions, QueryResult, StreamHandlers, StreamOptions, StreamSummary } from '../Driver';
import { DriverError } from '../DriverError';
import { introspectPostgres } from '../introspect/introspectPostgres';
import type { Queryable } from '../introspect/Queryable';
import { integerCell, normalizeCell } from '../normalizeCell';
import { lookupPgpass } from '../pgpass';
import { describeEndpoint, routeThroughTunnel, type SshTunnel } from '../sshTunnel';
import { ConsumerError, deliver } from './ConsumerError';
import { LostListeners } from './LostListeners';
import { StatementRunner } from './StatementRunner';
import { describeTlsError, openWithTls, tlsOptions } from './tlsOptions';
import { dialectFacts } from '../../../shared/dialect/dialectFacts';

const DEFAULT_PORT = dialectFacts.postgres.defaultPort!;
const DEFAULT_BATCH_SIZE = 1_000;

/** OIDs of the built-in types whose text needs parsing; every other type stays the server's text. */
const OID = { bool: 16, bytea: 17, int8: 20, int2: 21, int4: 23, oid: 26, float4: 700, float8: 701 } as const;

const byteaParser = pg.types.getTypeParser(OID.bytea, 'text') as (text: string) => Buffer;

/**
 * Text parsers for CellValues: exact types (int8 beyond 2^53, numeric, dates, times, json) stay the server's text,
 * so nothing is rounded or shifted into the local time zone.
 */
const cellTypes = {
  getTypeParser(oid: number, format?: string): (value: string) => unknown {
    if (format === 'binary') return (value) => value;
    switch (oid) {
      case OID.bool:
        return (value) => value === 't';
      case OID.int8:
        return (value) => integerCell(value);
      case OID.int2:
      case OID.int4:
      case OID.oid:
      case OID.float4:
      case OID.float8:
        return (value) => Number(value);
      case OID.bytea:
        return byteaParser;
      default:
        return (value) => value;
    }
  },
};

interface TypeInfo {
  name: string;
  kind: ColumnMeta['kind'];
}

interface Target {
  host: string;
  port: number;
  database: string;
  user: string;
}

/** One PostgreSQL session through pg.Client; rows stream from a pg-cursor portal. */
export class PostgresDriver implements Driver {
  readonly dialect = 'postgres' as const;
  /** Read-only because the connection does not allow writes, or because the server is a standby. */
  readOnly: boolean;
  serverVersion = '';

  readonly #config: ConnectionConfig;
  readonly #secrets: ConnectionSecrets;
  readonly #target: Target;
  readonly #password: string | undefined;
  #client: pg.Client | undefined;
  #alive = false;
  #tunnel: SshTunnel | undefined;
  #types = new Map<number, TypeInfo>();
  #typesStale = false;
  #disposed = false;
  /** Whether the server spoke TLS on the last connect (for `prefer`, whether we fell back). */
  #tlsMode: TlsMode;
  readonly #lost = new LostListeners();
  readonly #statements = new StatementRunner();

  private constructor(config: ConnectionConfig, secrets: ConnectionSecrets) {
    this.#config = config;
    this.#secrets = secrets;
    this.readOnly = !config.allowWrites;
    this.#tlsMode = config.tls ?? dialectFacts.postgres.defaultTls;
    const host = config.host?.trim() || '127.0.0.1';
    const port = config.port ?? DEFAULT_PORT;
    const user = config.user?.trim() || 'postgres';
    this.#target = { host, port, user, database: config.database?.trim() || user };
    // libpq's order: the given password, PGPASSWORD, then the password file.
    this.#password = secrets.password ?? process.env.PGPASSWORD ?? lookupPgpass(this.#target);
  }

  static async open({ config, secrets }: DriverOptions): Promise<PostgresDriver> {
    const driver = new PostgresDriver(config, secrets);
    try {
      await driver.#connect();
    } catch (error) {
      await driver.dispose();
      throw error;
    }
    return driver;
  }

  get #where(): string {
    return describeEndpoint(this.#target.host, this.#target.port, this.#config.ssh);
  }

  async #connect(): Promise<void> {
    const timeoutMs = this.#config.connectTimeoutMs ?? 10_000;
    const route = await routeThroughTunnel(
      this.#tunnel,
      { ssh: this.#config.ssh, secrets: this.#secrets, targetHost: this.#target.host, targetPort: this.#target.port, connectTimeoutMs: timeoutMs },
      (error) => this.#lost.fire(this.#client, error),
    );
    this.#tunnel = route.tunnel;
    const { host, port } = route;
    const opened = await openWithTls(
      this.#config.tls ?? dialectFacts.postgres.defaultTls,
      this.#config.tlsCaFile,
      this.#target.host,
      (ssl) => this.#openClient(host, port, ssl, timeoutMs),
      (error) => this.#connectError(error, timeoutMs),
    );
    const client = opened.session;
    this.#tlsMode = opened.mode;
    try {
      if (!this.#config.allowWrites) await client.query('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY');
      const recovery = await client.query<{ standby: boolean }>({ text: 'SELECT pg_is_in_recovery() AS standby', types: pg.types });
      this.readOnly = !this.#config.allowWrites || recovery.rows[0]?.standby === true;
      if (this.#config.statementTimeoutMs) await client.query(`SET statement_timeout = ${Math.trunc(this.#config.statementTimeoutMs)}`);
      const version = await client.query<{ server_version: string }>({ text: 'SHOW server_version', types: pg.types });
      this.serverVersion = (version.rows[0]?.server_version ?? '').split(' ')[0] ?? '';
      await this.#loadTypes(client);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw toDriverError(error, '', this.#where);
    }
    this.#client = client;
    this.#alive = true;
    const lost = (error: Error) => {
      if (this.#client !== client || this.#disposed) return;
      this.#alive = false;
      this.#lost.fire(client, new DriverError('CONNECTION_LOST', `The connection to ${this.#where} was lost: ${error.message}`));
    };
    client.on('error', lost);
    client.on('end', () => lost(new Error('the server closed the connection')));
  }

  async #openClient(host: string, port: number, ssl: pg.ClientConfig['ssl'] | undefined, timeoutMs: number): Promise<pg.Client> {
    const client = new pg.Client({
      host,
      port,
      user: this.#target.user,
      database: this.#target.database,
      // A function, so pg asks only when the server wants a password, and never falls back to its own pgpass reader.
      password: this.#password ?? (() => Promise.reject(this.#noPassword())),
      ssl: ssl ?? false,
      connectionTimeoutMillis: timeoutMs,
      application_name: 'Quarry',
      keepAlive: true,
      types: cellTypes,
    });
    // Until connect settles, errors belong to connect(); an unhandled 'error' event would crash the process.
    const swallow = () => undefined;
    client.on('error', swallow);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.connect(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('Connection terminated due to connection timeout')), timeoutMs + 250);
        }),
      ]);
    } catch (error) {
      client.end().catch(() => undefined);
      throw error;
    } finally {
      clearTimeout(timer);
      client.removeListener('error', swallow);
    }
    return client;
  }

  #noPassword(): DriverError {
    return new DriverError(
      'CONNECTION_FAILED',
      `the server asks for a password for user "${this.#target.user}" and none was given, in PGPASSWORD or in ~/.pgpass (${this.#where})`,
    );
  }

  #connectError(error: unknown, timeoutMs: number): DriverError {
    if (error instanceof DriverError) return error;
    const e = error as { message?: string; code?: string };
    const message = e.message ?? String(error);
    const mode = this.#config.tls ?? dialectFacts.postgres.defaultTls;
    const tls = describeTlsError(error, mode, this.#where);
    if (tls) return tls;
    if (/timeout/i.test(message) || e.code === 'ETIMEDOUT') {
      return new DriverError('TIMEOUT', `could not connect to ${this.#where}: timed out after ${timeoutMs} ms`);
    }
    if (e.code === 'ECONNREFUSED') return new DriverError('CONNECTION_FAILED', `could not connect to ${this.#where}: connection refused`, e.code);
    if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return new DriverError('CONNECTION_FAILED', `could not resolve host "${this.#target.host}"`, e.code);
    if (/client password must be a string/i.test(message)) {
      return new DriverError('CONNECTION_FAILED', `the server asks for a password for user "${this.#target.user}" and none was given (${this.#where})`);
    }
    if (e.code === '28P01' || e.code === '28000' || e.code === '3D000' || e.code === '53300') {
      return new DriverError('CONNECTION_FAILED', `${message} (${this.#where})`, e.code);
    }
    if (/terminated unexpectedly|ECONNRESET/i.test(message)) {
      return new DriverError('CONNECTION_FAILED', `could not connect to ${this.#where}: the server closed the connection during login`, e.code);
    }
    return new DriverError('CONNECTION_FAILED', `could not connect to ${this.#where}: ${message}`, e.code);
  }

  /** Type names and kinds for column metadata; composite row types of tables are left out (there can be thousands). */
  async #loadTypes(client: pg.Client): Promise<void> {
    const result = await client.query<{ oid: number; name: string; typname: string; typcategory: string }>({
      text: `SELECT t.oid::int4 AS oid, format_type(t.oid, NULL) AS name, t.typname, t.typcategory::text AS typcategory
               FROM pg_type t WHERE t.typrelid = 0`,
      types: pg.types,
    });
    const types = new Map<number, TypeInfo>();
    for (const row of result.rows) types.set(row.oid, { name: row.name, kind: kindOf(row.typname, row.typcategory) });
    this.#types = types;
    this.#typesStale = false;
  }

  #columns(fields: readonly { name: string; dataTypeID: number }[]): ColumnMeta[] {
    return fields.map((f) => {
      const info = this.#types.get(f.dataTypeID);
      if (!info) this.#typesStale = true;
      return { name: f.name, type: info?.name ?? `oid ${f.dataTypeID}`, kind: info?.kind ?? 'other' };
    });
  }

  #session(): pg.Client {
    if (this.#disposed) throw new DriverError('CONNECTION_LOST', 'The connection was closed.');
    if (!this.#client || !this.#alive) throw new DriverError('CONNECTION_LOST', `The connection to ${this.#where} is not open; reconnect first.`);
    return this.#client;
  }

  /** Runs `task` as the session's one running statement, so cancel() knows when there is something to stop. */
  #track<T>(client: pg.Client, task: () => Promise<T>): Promise<T> {
    return this.#statements.run(async () => {
      // A type created since connect (enum, domain) gets its name on the next statement, not mid-cursor.
      if (this.#typesStale) await this.#loadTypes(client).catch(() => undefined);
      return task();
    });
  }

  async query(sql: string, params: readonly unknown[] = []): Promise<QueryResult> {
    const client = this.#session();
    return this.#track(client, async () => {
      try {
        // The extended protocol runs exactly one statement: `SELECT 1; DROP …` is refused, not run in two.
        const config = { text: sql, values: params as unknown[], rowMode: 'array', queryMode: 'extended' } as pg.QueryArrayConfig;
        const result = await client.query(config);
        const fields = result.fields ?? [];
        const rows = (result.rows as unknown[][]).map((row) => row.map(normalizeCell));
        return { columns: this.#columns(fields), rows, ...(fields.length === 0 && typeof result.rowCount === 'number' ? { affectedRows: result.rowCount } : {}) };
      } catch (error) {
        throw this.#queryError(error, sql);
      }
    });
  }

  async stream(sql: string, handlers: StreamHandlers, options: StreamOptions = {}): Promise<StreamSummary> {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new DriverError('BAD_INPUT', `batchSize must be a positive integer, got ${batchSize}.`);
    const client = this.#session();
    return this.#track(client, async () => {
      const cursor = client.query(new Cursor(sql, [], { rowMode: 'array', types: cellTypes }));
      let rowCount = 0;
      let columnsSent = false;
      try {
        for (;;) {
          const { rows, result } = await new Promise<{ rows: unknown[][]; result: pg.QueryResult }>((resolve, reject) => {
            cursor.read(batchSize, (error, rows, result) => (error ? reject(error) : resolve({ rows: rows as unknown[][], result: result as pg.QueryResult })));
          });
          const fields = result.fields ?? [];
          if (!columnsSent && fields.length > 0) {
            columnsSent = true;
            const columns = this.#columns(fields);
            await deliver(() => handlers.onColumns(columns));
          }
          if (rows.length > 0) {
            rowCount += rows.length;
            const cells = rows.map((row) => row.map(normalizeCell));
            await deliver(() => handlers.onRows(cells));
          }
          // The portal is idle between batches; a cancel that lands here stops it without the server's help.
          if (this.#statements.cancelRequested) throw new DriverError('CANCELLED', 'The query was cancelled.');
          if (rows.length < batchSize) {
            if (!columnsSent) {
              return { rowCount: 0, hasResultSet: false, ...(typeof result.rowCount === 'number' ? { affectedRows: result.rowCount } : {}) };
            }
            return { rowCount, hasResultSet: true };
          }
        }
      } catch (error) {
        if (error instanceof ConsumerError) throw error.error;
        throw this.#queryError(error, sql);
      } finally {
        await cursor.close().catch(() => undefined);
      }
    });
  }

  async copyCsv(sql: string, out: NodeJS.WritableStream): Promise<{ rowCount: number; bytes: number }> {
    const client = this.#session();
    // Newlines keep a trailing `-- comment` in the query from swallowing the closing parenthesis.
    const prefix = 'COPY (\n';
    const text = `${prefix}${sql.replace(/;\s*$/, '')}\n) TO STDOUT WITH (FORMAT csv, HEADER)`;
    return this.#track(client, async () => {
      const source = client.query(copyTo(text));
      let bytes = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          bytes += chunk.length;
          done(null, chunk);
        },
      });
      try {
        await pipeline(source, counter, out, { end: false });
        return { rowCount: source.rowCount, bytes };
      } catch (error) {
        const mapped = this.#queryError(error, text);
        // Positions point into the COPY wrapper; move them back into the user's query.
        const offset = mapped.offset === undefined || mapped.offset < prefix.length ? undefined : mapped.offset - prefix.length;
        throw new DriverError(mapped.code, mapped.message, mapped.serverCode, offset, mapped.detail);
      }
    });
  }

  #queryError(error: unknown, sql: string): DriverError {
    if (error instanceof DriverError) return error;
    const mapped = toDriverError(error, sql, this.#where);
    if (mapped.serverCode === '57014' && this.#statements.cancelRequested) return new DriverError('CANCELLED', 'The query was cancelled.', '57014');
    return mapped;
  }

  /** Queryable for introspection: object rows with pg's own parsed values (arrays, booleans, json). */
  async queryObjects(sql: string, params: readonly unknown[] = []): Promise<{ rows: Record<string, unknown>[] }> {
    const client = this.#session();
    return this.#track(client, async () => {
      try {
        const config = { text: sql, values: params as unknown[], types: pg.types, queryMode: 'extended' } as pg.QueryConfig;
        const result = await client.query(config);
        return { rows: result.rows as Record<string, unknown>[] };
      } catch (error) {
        throw this.#queryError(error, sql);
      }
    });
  }

  get queryable(): Queryable {
    return { query: (sql, params) => this.queryObjects(sql, params) };
  }

  /**
   * pg_cancel_backend from a second short session. A cancel that reaches the server before the statement does is
   * lost, so it is repeated while the statement still runs.
   */
  async cancel(): Promise<void> {
    const pid = (this.#client as (pg.Client & { processID?: number }) | undefined)?.processID;
    if (!pid) return;
    await this.#statements.cancel(async () => {
      let helper: pg.Client | undefined;
      try {
        helper = await this.#openClient(
          this.#tunnel?.localHost ?? this.#target.host,
          this.#tunnel?.localPort ?? this.#target.port,
          this.#tlsMode === 'disable' ? undefined : await tlsOptions(this.#tlsMode, this.#config.tlsCaFile, this.#target.host),
          this.#config.connectTimeoutMs ?? 10_000,
        );
        await helper.query('SELECT pg_cancel_backend($1)', [pid]);
      } catch (error) {
        throw new DriverError('QUERY_FAILED', `Could not cancel the query on ${this.#where}: ${(error as Error).message}`);
      } finally {
        await helper?.end().catch(() => undefined);
      }
    });
  }

  async reconnect(): Promise<void> {
    if (this.#disposed) throw new DriverError('CONNECTION_FAILED', 'The connection was closed.');
    const old = this.#client;
    this.#client = undefined;
    this.#alive = false;
    this.#statements.forget();
    if (old) {
      old.removeAllListeners('end');
      old.on('error', () => undefined);
      await old.end().catch(() => undefined);
    }
    await this.#connect();
  }

  isAlive(): boolean {
    return this.#alive && !this.#disposed && (this.#tunnel === undefined || this.#tunnel.isOpen());
  }

  async introspect(): Promise<SchemaModel> {
    return introspectPostgres(this.queryable, this.#target.database, this.serverVersion);
  }

  onLost(listener: (error: Error) => void): () => void {
    return this.#lost.add(listener);
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#alive = false;
    const client = this.#client;
    this.#client = undefined;
    if (client) {
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
    await this.#tunnel?.dispose();
    this.#tunnel = undefined;
    this.#lost.clear();
  }
}

function kindOf(typname: string, category: string): ColumnMeta['kind'] {
  if (typname === 'json' || typname === 'jsonb') return 'json';
  if (typname === 'bytea') return 'binary';
  switch (category) {
    case 'B':
      return 'boolean';
    case 'N':
      return 'number';
    case 'D':
      return 'datetime';
    case 'S':
    case 'E':
    case 'I':
    case 'V':
    case 'T':
    case 'U':
    case 'X':
      return 'text';
    default:
      return 'other';
  }
}

/** A pg error in the API's codes; `offset` is 0-based into `sql` when the server reports a position. */
export function toDriverError(error: unknown, sql: string, where: string): DriverError {
  if (error instanceof DriverError) return error;
  const e = error as { message?: string; code?: string; position?: string; detail?: string; hint?: string };
  const message = e.message ?? String(error);
  const code = e.code;
  const position = e.position ? Number(e.position) : undefined;
  // PostgreSQL counts characters 1-based; JS strings count UTF-16 units, so astral characters shift positions.
  const offset = position !== undefined && Number.isFinite(position) ? codePointOffsetToUtf16(sql, position - 1) : undefined;
  const detail = e.detail || e.hint ? { ...(e.detail ? { detail: e.detail } : {}), ...(e.hint ? { hint: e.hint } : {}) } : undefined;
  if (code === '42601' && /multiple commands/.test(message)) {
    return new DriverError('SYNTAX_ERROR', `Only one statement runs at a time; split the script into statements (${message}).`, code, undefined, detail);
  }
  if (code === '42601') return new DriverError('SYNTAX_ERROR', message, code, offset, detail);
  if (code === '25006') return new DriverError('READ_ONLY', `${message} (the connection is read-only; allow writes in its settings to change data)`, code, offset, detail);
  if (code === '57014') {
    return /statement timeout/i.test(message)
      ? new DriverError('TIMEOUT', `${message} (statement_timeout)`, code, offset, detail)
      : new DriverError('CANCELLED', 'The query was cancelled.', code, offset, detail);
  }
  // 08P01 (protocol violation: a bind with the wrong number of parameters) leaves the session usable.
  if ((code?.startsWith('08') && code !== '08P01') || code === '57P01' || code === '57P02' || code === '57P03' || /Connection terminated|not queryable|ECONNRESET/i.test(message)) {
    return new DriverError('CONNECTION_LOST', `The connection to ${where} was lost: ${message}`, code);
  }
  return new DriverError('QUERY_FAILED', message, code, offset, detail);
}

function codePointOffsetToUtf16(text: string, codePoints: number): number {
  let units = 0;
  let seen = 0;
  for (const ch of text) {
    if (seen >= codePoints) break;
    units += ch.length;
    seen++;
  }
  return units + Math.max(0, codePoints - seen);
}
