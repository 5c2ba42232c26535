import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDriver } from '../../../src/main/db/createDriver';
import type { DriverError } from '../../../src/main/db/DriverError';
import { connectionConfigSchema } from '../../../src/shared/domain/connection';
import { parseConnectionUrl } from '../../../src/shared/domain/connectionUrl';
import { testCaFile, testPgUrl, testServers } from '../testEnv';
import { plainServer } from './plainServer';
import { runDriverSuite, type DriverTarget } from './driverSuite';

const parsed = () => parseConnectionUrl(testPgUrl());
const servers = testServers();
const caFile = testCaFile();

const postgres: DriverTarget = {
  dialect: 'postgres',
  config: () => ({ ...parsed().config, name: 'suite postgres' }),
  secrets: () => parsed().secrets,
  versionPattern: /^\d+\.\d+/,
  sessionSetup: ["SET TimeZone = 'UTC'"],
  values: {
    null_text: { type: 'text', literal: 'NULL', expected: null, kind: 'text' },
    empty_text: { type: 'text', literal: "''", expected: '', kind: 'text' },
    unicode: { type: 'text', literal: "'héllo 😀 日本語 ✓'", expected: 'héllo 😀 日本語 ✓', kind: 'text' },
    binary: { type: 'bytea', literal: "'\\x00ff10'::bytea", expected: { $binary: true, length: 3, hexPreview: '00ff10' }, kind: 'binary' },
    json: { type: 'jsonb', literal: `'{"a": [1, 2, "ü"], "b": null}'`, expected: '{"a":[1,2,"ü"],"b":null}', kind: 'json', compareAsJson: true },
    date: { type: 'date', literal: "'2024-02-29'", expected: '2024-02-29', kind: 'datetime' },
    time: { type: 'time', literal: "'13:45:30.5'", expected: '13:45:30.5', kind: 'datetime' },
    // Stored as an instant; read back as the server writes it in the session's zone (UTC here), never the client's.
    timestamp_with_zone: { type: 'timestamptz', literal: "'2024-02-29 13:45:00.123+02'", expected: '2024-02-29 11:45:00.123+00', kind: 'datetime' },
    small_int: { type: 'integer', literal: '42', expected: 42, kind: 'number' },
    bigint_beyond_53: { type: 'bigint', literal: '9007199254740993', expected: '9007199254740993', kind: 'number' },
    negative_bigint: { type: 'bigint', literal: '-9007199254740993', expected: '-9007199254740993', kind: 'number' },
    numeric_precision: { type: 'numeric(38, 9)', literal: '12345678901234567890.123456789', expected: '12345678901234567890.123456789', kind: 'number' },
    boolean: { type: 'boolean', literal: 'true', expected: true, kind: 'boolean' },
    float: { type: 'double precision', literal: '1.5', expected: 1.5, kind: 'number' },
  },
  bigTextType: 'text',
  insertBigSql: 'INSERT INTO quarry_suite_big (id, body) VALUES ($1, $2)',
  generateRowsSql: (count) => `SELECT g AS n, 'row ' || g AS label FROM generate_series(1, ${count}) AS g`,
  longQuery: 'SELECT pg_sleep(30)',
  syntaxError: { sql: 'SELECT *\n  FORM quarry_suite_values\n WHERE id = 1', badToken: 'FORM' },
  badConnections: ({ refusedPort, silentPort }) => [
    { name: 'wrong password', secrets: { password: 'wrong' }, code: 'CONNECTION_FAILED', message: /^password authentication failed for user "quarry" \(127\.0\.0\.1:\d+\)$/ },
    { name: 'unknown database', config: { database: 'no_such_db' }, code: 'CONNECTION_FAILED', message: /database "no_such_db" does not exist \(127\.0\.0\.1:\d+\)/ },
    { name: 'nothing listening', config: { port: refusedPort }, code: 'CONNECTION_FAILED', message: new RegExp(`^could not connect to 127\\.0\\.0\\.1:${refusedPort}: connection refused$`) },
    { name: 'server never answers', config: { port: silentPort, connectTimeoutMs: 500 }, code: 'TIMEOUT', message: new RegExp(`^could not connect to 127\\.0\\.0\\.1:${silentPort}: timed out after 500 ms$`) },
  ],
  restart: servers ? { run: () => servers.restartPostgres(), dropsSession: true } : { skipReason: 'the servers were started outside this run without QUARRY_TEST_SERVERS_STATE' },
  tunnel: { targetHost: '127.0.0.1', targetPort: parsed().config.port ?? 5432 },
  tls: caFile ? { caFile, plainServer: () => plainServer('pgUrl') } : { skipReason: 'the test servers run without TLS' },
};

runDriverSuite(postgres);

// libpq's password file, PostgreSQL only: the rules are unit-tested in src/main/db/pgpass.test.ts; this is the wiring.
describe('postgres driver: password file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quarry-pgpass-'));
  const file = join(dir, 'pgpass');
  const saved = { PGPASSFILE: process.env.PGPASSFILE, PGPASSWORD: process.env.PGPASSWORD };
  afterAll(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes the password from PGPASSFILE when none is given, and ignores a file others can read', async () => {
    const { config, secrets } = parsed();
    writeFileSync(file, `# quarry test\nother.host:*:*:*:nope\n127.0.0.1:${config.port}:quarry:quarry:${secrets.password}\n`);
    chmodSync(file, 0o600);
    process.env.PGPASSFILE = file;
    delete process.env.PGPASSWORD;
    const options = { config: connectionConfigSchema.parse({ ...config, name: 'pgpass' }), secrets: {} };
    const driver = await createDriver(options);
    expect((await driver.query('SELECT current_user AS u')).rows).toEqual([['quarry']]);
    await driver.dispose();

    chmodSync(file, 0o644);
    const error = await createDriver(options).then(
      () => undefined,
      (e: DriverError) => e,
    );
    expect(error?.code).toBe('CONNECTION_FAILED');
    expect(error?.message).toMatch(/^the server asks for a password for user "quarry" and none was given/);
  });
});

describe('postgres driver: a protocol violation', () => {
  it('is a failed query, not a lost connection: the session goes on', async () => {
    const driver = await createDriver({ config: connectionConfigSchema.parse(postgres.config()), secrets: postgres.secrets() });
    try {
      // The bind supplies one parameter where the statement has two: SQLSTATE 08P01.
      const error = await driver.query('SELECT $1::int + $2::int AS sum', [1]).then(
        () => undefined,
        (e: unknown) => e as DriverError,
      );
      expect(error).toMatchObject({ code: 'QUERY_FAILED', serverCode: '08P01' });
      expect(driver.isAlive()).toBe(true);
      expect((await driver.query('SELECT 2 AS two')).rows).toEqual([[2]]);
    } finally {
      await driver.dispose();
    }
  });
});
