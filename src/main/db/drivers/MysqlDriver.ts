import { checkServerIdentity, type ConnectionOptions as TlsConnectionOptions, type TLSSocket } from 'node:tls';
import mysql from 'mysql2';
import type { ConnectionConfig, ConnectionSecrets, TlsMode } from '../../../shared/domain/connection';
import type { CellValue, ColumnMeta } from '../../../shared/domain/query';
import type { SchemaModel } from '../../../shared/domain/SchemaModel';
import type { Driver, DriverOptions, QueryResult, StreamHandlers, StreamOptions, StreamSummary } from '../Driver';
import { DriverError } from '../DriverError';
import { introspectMysql } from '../introspect/introspectMysql';
import type { Queryable } from '../introspect/Queryable';
import { integerCell, normalizeCell } from '../normalizeCell';
import { describeEndpoint, routeThroughTunnel, type SshTunnel } from '../sshTunnel';
import { ConsumerError } from './ConsumerError';
import { LostListeners } from './LostListeners';
import { mysqlSyntaxErrorOffset } from './mysqlSyntaxErrorOffset';
import { StatementRunner } from './StatementRunner';
import { describeTlsError, openWithTls, tlsOptions } from './tlsOptions';
import { dialectFacts } from '../../../shared/dialect/dialectFacts';

const DEFAULT_PORT = dialectFacts.mysql.defaultPort!;
const DEFAULT_BATCH_SIZE = 1_000;
/** MySQL's charset number for binary strings: BLOB/VARBINARY rather than TEXT/VARCHAR. */
const BINARY_CHARSET = 63;

type Field = mysql.FieldPacket;
type TypeCastField = Parameters<Extract<mysql.TypeCast, (...args: never[]) => unknown>>[0];

/** JSON stays text, BIT becomes its integer, geometry stays bytes: the CellValue rules, applied in mysql2's parser. */
function typeCast(field: TypeCastField, next: () => unknown): unknown {
  switch (field.type) {
    case 'JSON':
      return field.string('utf8');
    case 'BIT': {
      const bytes = field.buffer();
      if (!bytes) return null;
      let value = 0n;
      for (const b of bytes) value = (value << 8n) | BigInt(b);
      return integerCell(value);
    }
    case 'GEOMETRY':
      return field.buffer();
    default:
      return next();
  }
}

const TYPE_NAMES: Record<number, [string, ColumnMeta['kind']]> = {
  0: ['DECIMAL', 'number'],
  1: ['TINYINT', 'number'],
  2: ['SMALLINT', 'number'],
  3: ['INT', 'number'],
  4: ['FLOAT', 'number'],
  5: ['DOUBLE', 'number'],
  6: ['NULL', 'other'],
  7: ['TIMESTAMP', 'datetime'],
  8: ['BIGINT', 'number'],
  9: ['MEDIUMINT', 'number'],
  10: ['DATE', 'datetime'],
  11: ['TIME', 'datetime'],
  12: ['DATETIME', 'datetime'],
  13: ['YEAR', 'number'],
  14: ['DATE', 'datetime'],
  15: ['VARCHAR', 'text'],
  16: ['BIT', 'number'],
  245: ['JSON', 'json'],
  246: ['DECIMAL', 'number'],
  247: ['ENUM', 'text'],
  248: ['SET', 'text'],
  249: ['TINYBLOB', 'text'],
  250: ['MEDIUMBLOB', 'text'],
  251: ['LONGBLOB', 'text'],
  252: ['BLOB', 'text'],
  253: ['VARCHAR', 'text'],
  254: ['CHAR', 'text'],
  255: ['GEOMETRY', 'binary'],
};

function columnMeta(field: Field): ColumnMeta {
  const code = field.columnType ?? field.type ?? -1;
  const [name, kind] = TYPE_NAMES[code] ?? [field.typeName ?? 'UNKNOWN', 'other'];
  const binary = (field.characterSet ?? field.charsetNr) === BINARY_CHARSET;
  const extended = field as Field & { extendedFormat?: string; extendedTypeName?: string };
  if (extended.extendedFormat === 'json') return { name: field.name, type: 'JSON', kind: 'json' };
  if (extended.extendedTypeName) return { name: field.name, type: extended.extendedTypeName.toUpperCase(), kind: 'text' };
  if (kind === 'text' && binary) {
    const binaryName = code === 253 ? 'VARBINARY' : code === 254 ? 'BINARY' : name;
    return { name: field.name, type: binaryName, kind: 'binary' };
  }
  if (code >= 249 && code <= 252) return { name: field.name, type: name.replace('BLOB', 'TEXT'), kind };
  return { name: field.name, type: name, kind };
}

/** One MySQL/MariaDB session through a mysql2 connection; rows stream from the server with pause/resume. */
export class MysqlDriver implements Driver {
  readonly dialect = 'mysql' as const;
  /** Read-only because the connection does not allow writes. */
  readOnly: boolean;
  serverVersion = '';

  readonly #config: ConnectionConfig;
  readonly #secrets: ConnectionSecrets;
  readonly #host: string;
  readonly #port: number;
  #conn: mysql.Connection | undefined;
  #alive = false;
  #tunnel: SshTunnel | undefined;
  #tlsMode: TlsMode;
  #disposed = false;
  readonly #statements = new StatementRunner();
  readonly #lost = new LostListeners();

  private constructor(config: ConnectionConfig, secrets: ConnectionSecrets) {
    this.#config = config;
    this.#secrets = secrets;
    this.readOnly = !config.allowWrites;
    this.#host = config.host?.trim() || '127.0.0.1';
    this.#port = config.port ?? DEFAULT_PORT;
    this.#tlsMode = config.tls ?? dialectFacts.mysql.defaultTls;
  }

  static async open({ config, secrets }: DriverOptions): Promise<MysqlDriver> {
    const driver = new MysqlDriver(config, secrets);
    try {
      await driver.#connect();
    } catch (error) {
      await driver.dispose();
      throw error;
    }
    return driver;
  }

  get #where(): string {
    return describeEndpoint(this.#host, this.#port, this.#config.ssh);
  }

  get #isMariadb(): boolean {
    return /mariadb/i.test(this.serverVersion);
  }

  async #connect(): Promise<void> {
    const timeoutMs = this.#config.connectTimeoutMs ?? 10_000;
    const route = await routeThroughTunnel(
      this.#tunnel,
      { ssh: this.#config.ssh, secrets: this.#secrets, targetHost: this.#host, targetPort: this.#port, connectTimeoutMs: timeoutMs },
      (error) => this.#lost.fire(this.#conn, error),
    );
    this.#tunnel = route.tunnel;
    const { host, port } = route;
    const opened = await openWithTls(
      this.#config.tls ?? dialectFacts.mysql.defaultTls,
      this.#config.tlsCaFile,
      this.#host,
      (tls) => this.#openConnection(host, port, tls, timeoutMs),
      (error) => this.#connectError(error, timeoutMs),
    );
    const conn = opened.session;
    this.#tlsMode = opened.mode;
    try {
      const [rows] = await run<mysql.RowDataPacket[]>(conn, { sql: 'SELECT VERSION() AS v' });
      this.serverVersion = String(rows[0]?.v ?? '');
      if (!this.#config.allowWrites) await run(conn, { sql: 'SET SESSION TRANSACTION READ ONLY' });
      this.readOnly = !this.#config.allowWrites;
      const timeout = this.#config.statementTimeoutMs ?? 0;
      if (timeout > 0) {
        // MariaDB counts seconds and stops any statement; MySQL counts milliseconds and stops only SELECTs.
        await run(conn, { sql: this.#isMariadb ? `SET SESSION max_statement_time = ${timeout / 1000}` : `SET SESSION max_execution_time = ${Math.trunc(timeout)}` });
      }
    } catch (error) {
      conn.destroy();
      throw toDriverError(error, '', this.#where);
    }
    this.#conn = conn;
    this.#alive = true;
    const lost = (error: Error) => {
      if (this.#conn !== conn || this.#disposed) return;
      this.#alive = false;
      this.#lost.fire(conn, new DriverError('CONNECTION_LOST', `The connection to ${this.#where} was lost: ${error.message}`));
    };
    conn.on('error', (error: Error & { fatal?: boolean }) => {
      if (error.fatal) lost(error);
    });
    conn.on('end', () => lost(new Error('the server closed the connection')));
  }

  #openConnection(host: string, port: number, tls: TlsConnectionOptions | undefined, timeoutMs: number): Promise<mysql.Connection> {
    const verify = tls?.rejectUnauthorized === true;
    const conn = mysql.createConnection({
      host,
      port,
      user: this.#config.user?.trim() || 'root',
      password: this.#secrets.password ?? '',
      database: this.#config.database?.trim() || undefined,
      connectTimeout: timeoutMs,
      charset: 'utf8mb4',
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: false,
      decimalNumbers: false,
      multipleStatements: false,
      enableKeepAlive: true,
      typeCast,
      // mysql2 checks the host name against the socket's host (the tunnel's 127.0.0.1); we check the real one below.
      ...(tls ? { ssl: { ...(tls.ca ? { ca: tls.ca as Buffer } : {}), rejectUnauthorized: verify, verifyIdentity: false } } : {}),
    });
    return new Promise<mysql.Connection>((resolve, reject) => {
      const timer = setTimeout(() => {
        conn.destroy();
        reject(new Error('connect ETIMEDOUT'));
      }, timeoutMs + 250);
      conn.once('error', (error) => {
        clearTimeout(timer);
        conn.destroy();
        reject(error);
      });
      conn.connect((error) => {
        clearTimeout(timer);
        if (error) {
          conn.destroy();
          reject(error);
          return;
        }
        if (tls && this.#config.tls === 'verify-full') {
          const socket = (conn as unknown as { stream?: TLSSocket }).stream;
          const cert = socket?.getPeerCertificate?.();
          const mismatch = cert ? checkServerIdentity(this.#host, cert) : new Error('no server certificate');
          if (mismatch) {
            conn.destroy();
            reject(Object.assign(new Error(mismatch.message), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }));
            return;
          }
        }
        conn.removeAllListeners('error');
        resolve(conn);
      });
    });
  }

  #connectError(error: unknown, timeoutMs: number): DriverError {
    if (error instanceof DriverError) return error;
    const e = error as { message?: string; code?: string; errno?: number };
    const message = e.message ?? String(error);
    const tls = describeTlsError(error, this.#config.tls ?? dialectFacts.mysql.defaultTls, this.#where);
    if (tls) return tls;
    if (e.code === 'ETIMEDOUT' || /ETIMEDOUT|timeout/i.test(message)) {
      return new DriverError('TIMEOUT', `could not connect to ${this.#where}: timed out after ${timeoutMs} ms`);
    }
    if (e.code === 'ECONNREFUSED') return new DriverError('CONNECTION_FAILED', `could not connect to ${this.#where}: connection refused`, e.code);
    if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return new DriverError('CONNECTION_FAILED', `could not resolve host "${this.#host}"`, e.code);
    if (e.errno === 1045 || e.errno === 1044 || e.errno === 1049 || e.errno === 1698 || e.errno === 1130) {
      return new DriverError('CONNECTION_FAILED', `${message} (${this.#where})`, e.code);
    }
    if (e.code === 'PROTOCOL_CONNECTION_LOST' || e.code === 'ECONNRESET') {
      return new DriverError('CONNECTION_FAILED', `could not connect to ${this.#where}: the server closed the connection during login`, e.code);
    }
    return new DriverError('CONNECTION_FAILED', `could not connect to ${this.#where}: ${message}`, e.code);
  }

  #session(): mysql.Connection {
    if (this.#disposed) throw new DriverError('CONNECTION_LOST', 'The connection was closed.');
    if (!this.#conn || !this.#alive) throw new DriverError('CONNECTION_LOST', `The connection to ${this.#where} is not open; reconnect first.`);
    return this.#conn;
  }

  #track<T>(task: () => Promise<T>): Promise<T> {
    return this.#statements.run(task);
  }

  async query(sql: string, params: readonly unknown[] = []): Promise<QueryResult> {
    const conn = this.#session();
    return this.#track(async () => {
      try {
        const [result, fields] = await run<unknown>(conn, { sql, values: params as unknown[], rowsAsArray: true });
        if (!Array.isArray(result)) {
          const header = result as mysql.ResultSetHeader;
          return { columns: [], rows: [], affectedRows: header.affectedRows };
        }
        const columns = (fields ?? []).map(columnMeta);
        return { columns, rows: (result as unknown[][]).map((row) => row.map(normalizeCell)) };
      } catch (error) {
        throw this.#queryError(error, sql);
      }
    });
  }

  async stream(sql: string, handlers: StreamHandlers, options: StreamOptions = {}): Promise<StreamSummary> {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new DriverError('BAD_INPUT', `batchSize must be a positive integer, got ${batchSize}.`);
    const conn = this.#session();
    return this.#track(
      () =>
        new Promise<StreamSummary>((resolve, reject) => {
          let batch: CellValue[][] = [];
          let rowCount = 0;
          let hasResultSet = false;
          let affectedRows: number | undefined;
          let failure: unknown;
          let discard = false;
          // Handlers run one after another on this chain; the socket is paused while a full batch is handled.
          let chain: Promise<void> = Promise.resolve();
          const enqueue = (step: () => void | Promise<void>) => {
            chain = chain.then(async () => {
              if (discard) return;
              try {
                await step();
              } catch (error) {
                failure ??= new ConsumerError(error);
                discard = true;
              }
            });
          };
          const flush = () => {
            if (batch.length === 0) return;
            const rows = batch;
            batch = [];
            rowCount += rows.length;
            enqueue(() => handlers.onRows(rows));
          };
          const query = conn.query({ sql, rowsAsArray: true });
          query.on('fields', (fields: Field[] | undefined) => {
            // mysql2 announces fields for DML too, as undefined.
            if (!fields) return;
            hasResultSet = true;
            try {
              const columns = fields.map(columnMeta);
              enqueue(() => handlers.onColumns(columns));
            } catch (error) {
              failure ??= error;
              discard = true;
            }
          });
          query.on('result', (row: unknown) => {
            if (!Array.isArray(row)) {
              affectedRows = (row as mysql.ResultSetHeader).affectedRows;
              return;
            }
            if (discard) return;
            try {
              batch.push(row.map(normalizeCell));
            } catch (error) {
              failure ??= error;
              discard = true;
              return;
            }
            if (batch.length >= batchSize) {
              flush();
              conn.pause();
              void chain.then(() => {
                // A cancel that lands after the server sent its last row has nothing to kill; the rest is drained.
                if (this.#statements.cancelRequested) discard = true;
                conn.resume();
              });
            }
          });
          let finished = false;
          const finish = () => {
            if (finished) return;
            finished = true;
            if (!discard && failure === undefined) flush();
            void chain.then(() => {
              if (failure instanceof ConsumerError) reject(failure.error);
              else if (failure !== undefined) reject(this.#queryError(failure, sql));
              else if (this.#statements.cancelRequested || discard) reject(new DriverError('CANCELLED', 'The query was cancelled.'));
              else resolve({ rowCount, hasResultSet, ...(affectedRows !== undefined && !hasResultSet ? { affectedRows } : {}) });
            });
          };
          query.on('error', (error: Error) => {
            failure ??= error;
            discard = true;
            // A paused socket would never deliver the end of a failed statement.
            conn.resume();
            finish();
          });
          query.on('end', finish);
        }),
    );
  }

  #queryError(error: unknown, sql: string): DriverError {
    if (error instanceof DriverError) return error;
    const mapped = toDriverError(error, sql, this.#where);
    if (mapped.code === 'CANCELLED' || (this.#statements.cancelRequested && mapped.code === 'QUERY_FAILED' && mapped.serverCode === 'ER_QUERY_INTERRUPTED')) {
      return new DriverError('CANCELLED', 'The query was cancelled.', mapped.serverCode);
    }
    return mapped;
  }

  /** Queryable for introspection: object rows with mysql2's values (JSON as text, dates as text). */
  async queryObjects(sql: string, params: readonly unknown[] = []): Promise<{ rows: Record<string, unknown>[] }> {
    const conn = this.#session();
    return this.#track(async () => {
      try {
        const [rows] = await run<unknown>(conn, { sql, values: params as unknown[] });
        return { rows: Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [] };
      } catch (error) {
        throw this.#queryError(error, sql);
      }
    });
  }

  get queryable(): Queryable {
    return { query: (sql, params) => this.queryObjects(sql, params) };
  }

  /** KILL QUERY from a second short session, repeated while the statement still runs (a kill can arrive early). */
  async cancel(): Promise<void> {
    const threadId = this.#conn?.threadId;
    if (!threadId) return;
    await this.#statements.cancel(async () => {
      let helper: mysql.Connection | undefined;
      try {
        helper = await this.#openConnection(
          this.#tunnel?.localHost ?? this.#host,
          this.#tunnel?.localPort ?? this.#port,
          this.#tlsMode === 'disable' ? undefined : await tlsOptions(this.#tlsMode, this.#config.tlsCaFile, this.#host),
          this.#config.connectTimeoutMs ?? 10_000,
        );
        await run(helper, { sql: `KILL QUERY ${Number(threadId)}` });
      } catch (error) {
        throw new DriverError('QUERY_FAILED', `Could not cancel the query on ${this.#where}: ${(error as Error).message}`);
      } finally {
        helper?.destroy();
      }
    });
  }

  async reconnect(): Promise<void> {
    if (this.#disposed) throw new DriverError('CONNECTION_FAILED', 'The connection was closed.');
    const old = this.#conn;
    this.#conn = undefined;
    this.#alive = false;
    if (old) {
      old.removeAllListeners();
      old.on('error', () => undefined);
      old.destroy();
    }
    await this.#connect();
  }

  isAlive(): boolean {
    return this.#alive && !this.#disposed && (this.#tunnel === undefined || this.#tunnel.isOpen());
  }

  async introspect(): Promise<SchemaModel> {
    const database = this.#config.database?.trim();
    if (!database) throw new DriverError('BAD_INPUT', 'Introspection needs a database name in the connection settings.');
    return introspectMysql(this.queryable, database, this.serverVersion);
  }

  onLost(listener: (error: Error) => void): () => void {
    return this.#lost.add(listener);
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#alive = false;
    const conn = this.#conn;
    this.#conn = undefined;
    if (conn) {
      conn.removeAllListeners();
      conn.on('error', () => undefined);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          conn.destroy();
          resolve();
        }, 2_000);
        conn.end(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await this.#tunnel?.dispose();
    this.#tunnel = undefined;
    this.#lost.clear();
  }
}

function run<T>(conn: mysql.Connection, options: mysql.QueryOptions): Promise<[T, Field[] | undefined]> {
  return new Promise((resolve, reject) => {
    conn.query(options, (error: unknown, result: unknown, fields: unknown) => (error ? reject(error) : resolve([result as T, fields as Field[] | undefined])));
  });
}

/** A mysql2 error in the API's codes; syntax errors get the offset of their near-text. */
export function toDriverError(error: unknown, sql: string, where: string): DriverError {
  if (error instanceof DriverError) return error;
  const e = error as { message?: string; code?: string; errno?: number; fatal?: boolean; sqlMessage?: string };
  const message = e.sqlMessage ?? e.message ?? String(error);
  const code = e.code;
  switch (e.errno) {
    case 1064:
    case 1149:
      return new DriverError('SYNTAX_ERROR', message, code, mysqlSyntaxErrorOffset(sql, message));
    case 1792:
    case 1290:
      return new DriverError('READ_ONLY', `${message} (the connection is read-only; allow writes in its settings to change data)`, code);
    case 1317:
      return new DriverError('CANCELLED', 'The query was cancelled.', code);
    case 1969:
    case 3024:
      return new DriverError('TIMEOUT', `${message} (statement timeout)`, code);
    default:
      break;
  }
  if (e.fatal || code === 'PROTOCOL_CONNECTION_LOST' || code === 'ECONNRESET' || /closed state|Can't add new command/i.test(message)) {
    return new DriverError('CONNECTION_LOST', `The connection to ${where} was lost: ${message}`, code);
  }
  return new DriverError('QUERY_FAILED', message, code);
}
