import { PassThrough } from 'node:stream';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionConfigSchema, type ConnectionConfig, type ConnectionConfigInput, type ConnectionSecrets, type Dialect } from '../../../src/shared/domain/connection';
import type { CellValue, ColumnMeta } from '../../../src/shared/domain/query';
import { createDriver } from '../../../src/main/db/createDriver';
import type { Driver, DriverOptions, StreamSummary } from '../../../src/main/db/Driver';
import type { DriverError } from '../../../src/main/db/DriverError';
import { startSshd, type SshServer } from '../../../scripts/testServers';

/**
 * The one driver suite (ARCHITECTURE.md, convention 2). Every case is the same for every dialect; what differs
 * (column types, literals, expected server text, how to make a long query) is data in the DriverTarget.
 */

/** The value round-trips every dialect must pass. */
export const valueCases = [
  'null_text',
  'empty_text',
  'unicode',
  'binary',
  'json',
  'date',
  'time',
  'timestamp_with_zone',
  'small_int',
  'bigint_beyond_53',
  'negative_bigint',
  'numeric_precision',
  'boolean',
  'float',
] as const;
export type ValueCase = (typeof valueCases)[number];

export interface ValueSpec {
  /** Column type in CREATE TABLE. */
  type: string;
  /** SQL literal inserted into the column. */
  literal: string;
  /** The CellValue that must come back. */
  expected: CellValue;
  /** ColumnMeta.kind that must come back. */
  kind: ColumnMeta['kind'];
  /** Compare as parsed JSON (servers may re-format JSON text). Defaults to exact comparison. */
  compareAsJson?: boolean;
}

export interface BadConnection {
  name: string;
  /** Changes to the good connection (config) and its secrets. */
  config?: Partial<ConnectionConfigInput>;
  secrets?: ConnectionSecrets;
  code: DriverError['code'];
  message: RegExp;
  /** Runs before connecting (e.g. take a lock); returns the cleanup. */
  arrange?: () => Promise<() => Promise<void>>;
}

export interface SuiteHelpers {
  /** A loopback port nothing listens on. */
  refusedPort: number;
  /** A loopback port that accepts TCP and never answers. */
  silentPort: number;
}

export interface DriverTarget {
  dialect: Dialect;
  /** The good connection (writes not allowed unless a case says so). */
  config(): ConnectionConfigInput;
  secrets(): ConnectionSecrets;
  /** Runs once before everything (e.g. create the SQLite file); returns the cleanup. */
  setup?(): Promise<() => Promise<void>>;
  /** Server version text as the driver must report it. */
  versionPattern: RegExp;
  values: Record<ValueCase, ValueSpec>;
  /** Statements run on the reading session before the round-trip SELECT (e.g. fix the time zone). */
  sessionSetup: string[];
  /** Type for a column holding 50 MB of text. */
  bigTextType: string;
  /** INSERT INTO quarry_suite_big (id, body) VALUES (<p1>, <p2>) with the dialect's placeholders. */
  insertBigSql: string;
  /** A SELECT of `count` rows with columns n (1..count) and label. */
  generateRowsSql(count: number): string;
  /** A statement that runs far longer than any test (30 s or forever) and is cancelled. */
  longQuery: string;
  /** A statement with a syntax error, and the token the error must point at. */
  syntaxError: { sql: string; badToken: string };
  badConnections(helpers: SuiteHelpers): BadConnection[];
  /** Restarts the server under an open session; undefined when the servers cannot be restarted from here. */
  restart?: { run(): Promise<void>; dropsSession: boolean; skipReason?: undefined } | { skipReason: string };
  /** Where the database listens, for a tunnel through the local sshd; a reason when tunnelling does not apply. */
  tunnel: { targetHost: string; targetPort: number } | { skipReason: string };
  /**
   * TLS checks; a reason when TLS does not apply. `plainServer` starts a server of the dialect without TLS (for
   * the require-but-none and prefer-falls-back cases) and says on which port.
   */
  tls: { caFile: string; plainServer(): Promise<{ port: number; stop(): Promise<void> }> } | { skipReason: string };
}

/** Column names get a prefix: several case names (binary, date, time, json) are reserved words somewhere. */
const column = (name: ValueCase) => `v_${name}`;
const valueColumns = valueCases.map(column);

const BIG_TEXT_CHARS = 50 * 1024 * 1024;
const STREAM_ROWS = 200_000;
const BATCH = 1_000;

function options(target: DriverTarget, config: Partial<ConnectionConfigInput> = {}, secrets: ConnectionSecrets = target.secrets()): DriverOptions {
  return { config: connectionConfigSchema.parse({ ...target.config(), ...config }) as ConnectionConfig, secrets };
}

async function rejection(promise: Promise<unknown>): Promise<DriverError> {
  try {
    await promise;
  } catch (error) {
    return error as DriverError;
  }
  throw new Error('expected the promise to reject, and it resolved');
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export function runDriverSuite(target: DriverTarget): void {
  describe(`${target.dialect} driver`, () => {
    let writer: Driver;
    let cleanup: (() => Promise<void>) | undefined;
    const open: Driver[] = [];
    const connect = async (config: Partial<ConnectionConfigInput> = {}, secrets?: ConnectionSecrets): Promise<Driver> => {
      const driver = await createDriver(options(target, config, secrets));
      open.push(driver);
      return driver;
    };

    beforeAll(async () => {
      cleanup = await target.setup?.();
      writer = await connect({ allowWrites: true });
      for (const table of ['quarry_suite_values', 'quarry_suite_rw', 'quarry_suite_big']) await writer.query(`DROP TABLE IF EXISTS ${table}`);
      const columns = valueCases.map((c) => `${column(c)} ${target.values[c].type}`).join(', ');
      await writer.query(`CREATE TABLE quarry_suite_values (id INT, ${columns})`);
      await writer.query(`INSERT INTO quarry_suite_values (id, ${valueColumns.join(', ')}) VALUES (1, ${valueCases.map((c) => target.values[c].literal).join(', ')})`);
      await writer.query('CREATE TABLE quarry_suite_rw (id INT)');
      await writer.query(`CREATE TABLE quarry_suite_big (id INT, body ${target.bigTextType})`);
    });

    afterAll(async () => {
      // The restart case leaves the writer's session dropped.
      await writer?.query('SELECT 1').catch(() => writer.reconnect().catch(() => undefined));
      for (const table of ['quarry_suite_values', 'quarry_suite_rw', 'quarry_suite_big']) await writer?.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
      await Promise.all(open.map((d) => d.dispose().catch(() => undefined)));
      await cleanup?.();
    });

    it('connects and reports the server version', async () => {
      const driver = await connect();
      expect(driver.dialect).toBe(target.dialect);
      expect(driver.serverVersion).toMatch(target.versionPattern);
      expect(driver.readOnly).toBe(true);
      expect(driver.isAlive()).toBe(true);
      await driver.dispose();
      expect(driver.isAlive()).toBe(false);
      await driver.dispose();
    });

    it('round-trips values exactly: NULL vs empty, unicode, binary, JSON, dates and zones, big integers, numerics', async () => {
      const driver = await connect();
      for (const sql of target.sessionSetup) await driver.query(sql);
      const result = await driver.query(`SELECT ${valueColumns.join(', ')} FROM quarry_suite_values WHERE id = 1`);
      expect(result.columns.map((c) => c.name)).toEqual(valueColumns);
      expect(result.rows).toHaveLength(1);
      const row = result.rows[0]!;
      valueCases.forEach((name, i) => {
        const spec = target.values[name];
        const got = row[i];
        if (spec.compareAsJson) {
          expect(typeof got, name).toBe('string');
          expect(JSON.parse(got as string), name).toEqual(JSON.parse(spec.expected as string));
        } else {
          expect(got, name).toEqual(spec.expected);
        }
        expect(result.columns[i]!.kind, `${name} kind`).toBe(spec.kind);
      });
      // The same values through stream(), which reads through a cursor on the servers that have one.
      let streamed: CellValue[][] = [];
      await driver.stream(`SELECT ${valueColumns.join(', ')} FROM quarry_suite_values WHERE id = 1`, { onColumns: () => undefined, onRows: (rows) => void (streamed = streamed.concat(rows)) });
      expect(streamed).toEqual(result.rows);
    });

    it(`streams ${STREAM_ROWS} generated rows in batches`, async () => {
      const driver = await connect();
      const events: string[] = [];
      let columns: ColumnMeta[] = [];
      let rows = 0;
      let sum = 0;
      let first: CellValue | undefined;
      let largestBatch = 0;
      const summary: StreamSummary = await driver.stream(
        target.generateRowsSql(STREAM_ROWS),
        {
          onColumns: (c) => {
            events.push('columns');
            columns = c;
          },
          onRows: async (batch) => {
            events.push('rows');
            first ??= batch[0]?.[0];
            largestBatch = Math.max(largestBatch, batch.length);
            rows += batch.length;
            for (const r of batch) sum += Number(r[0]);
            // Back-pressure: the driver must wait for this before the next batch.
            await new Promise((resolve) => setImmediate(resolve));
          },
        },
        { batchSize: BATCH },
      );
      expect(summary).toMatchObject({ rowCount: STREAM_ROWS, hasResultSet: true });
      expect(events[0]).toBe('columns');
      expect(events.filter((e) => e === 'columns')).toHaveLength(1);
      expect(events.filter((e) => e === 'rows').length).toBeGreaterThanOrEqual(STREAM_ROWS / BATCH);
      expect(largestBatch).toBeLessThanOrEqual(BATCH);
      expect(columns.map((c) => c.name)).toEqual(['n', 'label']);
      expect(rows).toBe(STREAM_ROWS);
      expect(first).toBe(1);
      expect(sum).toBe((STREAM_ROWS * (STREAM_ROWS + 1)) / 2);
    });

    it('cancels a long query with CANCELLED and keeps the session usable', async () => {
      const driver = await connect();
      let cancelled = false;
      const cancel = () => {
        if (cancelled) return;
        cancelled = true;
        void driver.cancel();
      };
      const running = driver.stream(target.longQuery, { onColumns: () => undefined, onRows: () => cancel() });
      // A query that returns no rows until it ends is cancelled once it has had time to reach the server.
      const timer = setTimeout(cancel, 300);
      const error = await rejection(running);
      clearTimeout(timer);
      expect(error.code).toBe('CANCELLED');
      expect(driver.isAlive()).toBe(true);
      expect((await driver.query('SELECT 1 AS one')).rows).toEqual([[1]]);
    });

    it('cancels a stream between two batches with CANCELLED and keeps the session usable', async () => {
      const driver = await connect();
      let batches = 0;
      const error = await rejection(
        driver.stream(target.generateRowsSql(STREAM_ROWS), {
          onColumns: () => undefined,
          onRows: async () => {
            batches++;
            if (batches === 2) await driver.cancel();
          },
        }, { batchSize: BATCH }),
      );
      expect(error.code).toBe('CANCELLED');
      expect(batches).toBeLessThan(STREAM_ROWS / BATCH);
      expect((await driver.query('SELECT 9 AS nine')).rows).toEqual([[9]]);
    });

    it('stops a stream whose consumer fails, with the consumer\'s own error, and keeps the session usable', async () => {
      const driver = await connect();
      const failure = new Error('the spool disk is full');
      let batches = 0;
      const error = await rejection(
        driver.stream(target.generateRowsSql(20_000), {
          onColumns: () => undefined,
          onRows: () => {
            batches++;
            if (batches === 2) throw failure;
          },
        }, { batchSize: 1_000 }),
      );
      expect(error).toBe(failure);
      expect(batches).toBe(2);
      expect((await driver.query('SELECT 8 AS eight')).rows).toEqual([[8]]);
    });

    it('refuses writes with READ_ONLY unless the connection allows writes', async () => {
      const reader = await connect();
      expect(reader.readOnly).toBe(true);
      const error = await rejection(reader.query('INSERT INTO quarry_suite_rw (id) VALUES (1)'));
      expect(error.code).toBe('READ_ONLY');
      expect(error.message).toMatch(/read[- ]?only/i);
      const writes = await connect({ allowWrites: true });
      expect(writes.readOnly).toBe(false);
      const summary = await writes.stream('INSERT INTO quarry_suite_rw (id) VALUES (2)', { onColumns: () => undefined, onRows: () => undefined });
      expect(summary).toMatchObject({ hasResultSet: false, affectedRows: 1, rowCount: 0 });
      expect((await reader.query('SELECT id FROM quarry_suite_rw')).rows).toEqual([[2]]);
    });

    it('reports a syntax error with SYNTAX_ERROR and the offset of the bad token', async () => {
      const driver = await connect();
      const { sql, badToken } = target.syntaxError;
      const error = await rejection(driver.query(sql));
      expect(error.code).toBe('SYNTAX_ERROR');
      expect(error.offset).toBe(sql.indexOf(badToken));
      expect((await driver.query('SELECT 2 AS two')).rows).toEqual([[2]]);
    });

    it('exports a query as server-made CSV where the dialect can (copyCsv): header, NULL vs empty, errors, cancel', async (ctx) => {
      const driver = await connect();
      if (!driver.copyCsv) return ctx.skip(`${target.dialect} has no server-side CSV export; its CSV comes from the row path`);
      const sink = new PassThrough();
      const chunks: Buffer[] = [];
      sink.on('data', (c: Buffer) => chunks.push(c));
      const copied = await driver.copyCsv(`SELECT n, label FROM (${target.generateRowsSql(3)}) AS g ORDER BY n -- a trailing comment`, sink);
      expect(copied.rowCount).toBe(3);
      const csv = Buffer.concat(chunks).toString('utf8');
      expect(copied.bytes).toBe(Buffer.byteLength(csv));
      expect(csv.split('\n').slice(0, 2)).toEqual(['n,label', expect.stringMatching(/^1,/)]);

      chunks.length = 0;
      await driver.copyCsv(`SELECT ${target.values.null_text.literal} AS a, ${target.values.empty_text.literal} AS b`, sink);
      expect(Buffer.concat(chunks).toString('utf8')).toBe('a,b\n,""\n');

      const { sql, badToken } = target.syntaxError;
      const error = await rejection(driver.copyCsv(sql, sink));
      expect(error.code).toBe('SYNTAX_ERROR');
      expect(error.offset).toBe(sql.indexOf(badToken));

      const running = driver.copyCsv(target.longQuery, sink);
      setTimeout(() => void driver.cancel(), 300);
      expect((await rejection(running)).code).toBe('CANCELLED');
      expect((await driver.query('SELECT 3 AS three')).rows).toEqual([[3]]);
    });

    describe('connection failures give clear errors', () => {
      let refused: Server;
      let silent: Server;
      const sockets = new Set<Socket>();
      let helpers: SuiteHelpers;
      beforeAll(async () => {
        refused = createServer();
        const refusedPort = await listen(refused);
        await new Promise((resolve) => refused.close(resolve));
        silent = createServer((socket) => {
          sockets.add(socket);
          socket.on('error', () => undefined);
        });
        helpers = { refusedPort, silentPort: await listen(silent) };
      });
      afterAll(async () => {
        for (const s of sockets) s.destroy();
        await new Promise((resolve) => silent.close(resolve));
      });

      it('for every way this dialect can fail to connect', async () => {
        const cases = target.badConnections(helpers);
        expect(cases.length).toBeGreaterThan(0);
        for (const bad of cases) {
          const undo = await bad.arrange?.();
          try {
            const error = await rejection(createDriver(options(target, bad.config, { ...target.secrets(), ...bad.secrets })));
            expect(error.code, bad.name).toBe(bad.code);
            expect(error.message, bad.name).toMatch(bad.message);
          } finally {
            await undo?.();
          }
        }
      });
    });

    describe('SSH tunnel', () => {
      let sshd: SshServer | undefined;
      const tunnel = target.tunnel;
      const skip = 'skipReason' in tunnel ? tunnel.skipReason : process.getuid?.() !== 0 ? 'the throwaway sshd needs root to switch users' : undefined;
      beforeAll(async () => {
        if (!skip) sshd = await startSshd();
      });
      afterAll(async () => {
        await sshd?.stop();
      });

      it('connects through a tunnel with a password, and with an encrypted key and its passphrase', async (ctx) => {
        if (skip || !sshd || 'skipReason' in tunnel) return ctx.skip(skip);
        const base = { host: tunnel.targetHost, port: tunnel.targetPort };
        const viaPassword = await connect({ ...base, ssh: { host: sshd.host, port: sshd.port, user: sshd.user, auth: 'password' } }, { ...target.secrets(), sshPassword: sshd.password });
        expect((await viaPassword.query('SELECT 4 AS four')).rows).toEqual([[4]]);
        await viaPassword.dispose();
        expect(viaPassword.isAlive()).toBe(false);
        const viaKey = await connect(
          { ...base, ssh: { host: sshd.host, port: sshd.port, user: sshd.user, auth: 'key', privateKeyPath: sshd.encryptedKeyPath } },
          { ...target.secrets(), sshPassphrase: sshd.passphrase },
        );
        const rows: CellValue[][] = [];
        await viaKey.stream(target.generateRowsSql(5_000), { onColumns: () => undefined, onRows: (r) => void rows.push(...r) });
        expect(rows).toHaveLength(5_000);
        await viaKey.dispose();
      });

      it('names the SSH host when SSH login fails', async (ctx) => {
        if (skip || !sshd || 'skipReason' in tunnel) return ctx.skip(skip);
        const error = await rejection(
          createDriver(options(target, { host: tunnel.targetHost, port: tunnel.targetPort, ssh: { host: sshd.host, port: sshd.port, user: sshd.user, auth: 'password' } }, { ...target.secrets(), sshPassword: 'wrong' })),
        );
        expect(error.code).toBe('CONNECTION_FAILED');
        expect(error.message).toContain(`${sshd.user}@127.0.0.1:${sshd.port}`);
        expect(error.message).toMatch(/SSH authentication failed/);
      });
    });

    it('checks TLS certificates: verify-full accepts the server, and rejects a host the certificate does not name', async (ctx) => {
      const tls = target.tls;
      if ('skipReason' in tls) return ctx.skip(tls.skipReason);
      const good = await connect({ tls: 'verify-full', tlsCaFile: tls.caFile });
      expect((await good.query('SELECT 5 AS five')).rows).toEqual([[5]]);
      // The test certificate names IP 127.0.0.1 only: "localhost" reaches the same server but is not its name.
      const wrongName = await rejection(createDriver(options(target, { host: 'localhost', tls: 'verify-full', tlsCaFile: tls.caFile })));
      expect(wrongName.code).toBe('CONNECTION_FAILED');
      expect(wrongName.message).toMatch(/TLS verification of localhost:\d+ failed/);
      const sameNameCaOnly = await connect({ host: 'localhost', tls: 'verify-ca', tlsCaFile: tls.caFile });
      expect(sameNameCaOnly.isAlive()).toBe(true);
      const unknownCa = await rejection(createDriver(options(target, { tls: 'verify-ca' })));
      expect(unknownCa.code).toBe('CONNECTION_FAILED');
      expect(unknownCa.message).toMatch(/TLS verification/);
    });

    it('speaks plain text to a server without TLS under prefer, and refuses it under require', async (ctx) => {
      const tls = target.tls;
      if ('skipReason' in tls) return ctx.skip(tls.skipReason);
      const plain = await tls.plainServer();
      try {
        const preferred = await connect({ port: plain.port, tls: 'prefer' });
        expect((await preferred.query('SELECT 6 AS six')).rows).toEqual([[6]]);
        await preferred.dispose();
        const required = await rejection(createDriver(options(target, { port: plain.port, tls: 'require' })));
        expect(required.code).toBe('CONNECTION_FAILED');
        expect(required.message).toBe(`127.0.0.1:${plain.port} does not accept TLS, but the connection requires it (TLS mode require).`);
      } finally {
        await plain.stop();
      }
    });

    it('stops a statement at the statement timeout with TIMEOUT', async () => {
      const driver = await connect({ statementTimeoutMs: 300 });
      const error = await rejection(driver.stream(target.longQuery, { onColumns: () => undefined, onRows: () => undefined }));
      expect(error.code).toBe('TIMEOUT');
      expect(error.message).toMatch(/timeout/i);
      expect((await driver.query('SELECT 7 AS seven')).rows).toEqual([[7]]);
    });

    it('round-trips a 50 MB text value', async () => {
      const unit = 'Quarry ✓ 50 MB — 日本語 😀 ';
      const body = unit.repeat(Math.ceil(BIG_TEXT_CHARS / unit.length)).slice(0, BIG_TEXT_CHARS);
      const result = await writer.query(target.insertBigSql, [1, body]);
      expect(result.affectedRows).toBe(1);
      const reader = await connect();
      const read = await reader.query('SELECT body FROM quarry_suite_big WHERE id = 1');
      const got = read.rows[0]?.[0];
      expect(typeof got).toBe('string');
      expect((got as string).length).toBe(body.length);
      expect(got === body).toBe(true);
      await writer.query('DELETE FROM quarry_suite_big');
    });

    it('introspects the fixture tables into the SchemaModel', async () => {
      const driver = await connect();
      const model = await driver.introspect();
      expect(model.dialect).toBe(target.dialect);
      const tables = model.schemas.flatMap((s) => s.tables.map((t) => t.name));
      expect(tables).toContain('quarry_suite_values');
      const values = model.schemas.flatMap((s) => s.tables).find((t) => t.name === 'quarry_suite_values')!;
      expect(values.columns.map((c) => c.name)).toEqual(['id', ...valueColumns]);
    });

    // Last: it restarts the server under every session, the writer's too.
    it('reconnects after the server restarts', async (ctx) => {
      const restart = target.restart;
      if (!restart || restart.skipReason !== undefined) return ctx.skip(restart?.skipReason ?? 'no restart for this target');
      const driver = await connect();
      const lost: Error[] = [];
      driver.onLost((error) => lost.push(error));
      await restart.run();
      if (restart.dropsSession) {
        // The drop is noticed when the server closes the socket; a query finds it at the latest.
        await driver.query('SELECT 1').catch(() => undefined);
        await expect.poll(() => lost.length, { timeout: 10_000 }).toBeGreaterThan(0);
        expect(lost[0]!.message).toMatch(/lost|closed|terminat/i);
        expect(driver.isAlive()).toBe(false);
      }
      await driver.reconnect();
      expect(driver.isAlive()).toBe(true);
      expect(driver.readOnly).toBe(true);
      expect((await driver.query('SELECT 3 AS three')).rows).toEqual([[3]]);
      expect((await rejection(driver.query('INSERT INTO quarry_suite_rw (id) VALUES (9)'))).code).toBe('READ_ONLY');
    });
  });
}
