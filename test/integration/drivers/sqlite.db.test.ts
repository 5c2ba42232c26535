import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runDriverSuite, type DriverTarget } from './driverSuite';

const dir = mkdtempSync(join(tmpdir(), 'quarry-sqlite-suite-'));
const file = join(dir, 'suite.db');
const notADatabase = join(dir, 'notes.txt');

const sqlite: DriverTarget = {
  dialect: 'sqlite',
  config: () => ({ name: 'suite sqlite', dialect: 'sqlite', database: file }),
  secrets: () => ({}),
  setup: async () => {
    new Database(file).close();
    writeFileSync(notADatabase, 'These are notes, long enough to fill a SQLite header and then some more text.\n'.repeat(20));
    return async () => rmSync(dir, { recursive: true, force: true });
  },
  versionPattern: /^3\.\d+\.\d+$/,
  sessionSetup: [],
  values: {
    null_text: { type: 'TEXT', literal: 'NULL', expected: null, kind: 'text' },
    empty_text: { type: 'TEXT', literal: "''", expected: '', kind: 'text' },
    unicode: { type: 'TEXT', literal: "'héllo 😀 日本語 ✓'", expected: 'héllo 😀 日本語 ✓', kind: 'text' },
    binary: { type: 'BLOB', literal: "x'00ff10'", expected: { $binary: true, length: 3, hexPreview: '00ff10' }, kind: 'binary' },
    json: { type: 'JSON', literal: `'{"a": [1, 2, "ü"], "b": null}'`, expected: '{"a":[1,2,"ü"],"b":null}', kind: 'json', compareAsJson: true },
    date: { type: 'DATE', literal: "'2024-02-29'", expected: '2024-02-29', kind: 'datetime' },
    time: { type: 'TIME', literal: "'13:45:30.5'", expected: '13:45:30.5', kind: 'datetime' },
    // SQLite keeps dates as the text it was given, zone included.
    timestamp_with_zone: { type: 'TIMESTAMP', literal: "'2024-02-29T13:45:00.123+02:00'", expected: '2024-02-29T13:45:00.123+02:00', kind: 'datetime' },
    small_int: { type: 'INTEGER', literal: '42', expected: 42, kind: 'number' },
    bigint_beyond_53: { type: 'INTEGER', literal: '9007199254740993', expected: '9007199254740993', kind: 'number' },
    negative_bigint: { type: 'INTEGER', literal: '-9007199254740993', expected: '-9007199254740993', kind: 'number' },
    // SQLite has no exact decimal: NUMERIC affinity would round to a double, so exact decimals live in TEXT.
    numeric_precision: { type: 'TEXT', literal: "'12345678901234567890.123456789'", expected: '12345678901234567890.123456789', kind: 'text' },
    boolean: { type: 'BOOLEAN', literal: 'TRUE', expected: true, kind: 'boolean' },
    float: { type: 'REAL', literal: '1.5', expected: 1.5, kind: 'number' },
  },
  bigTextType: 'TEXT',
  insertBigSql: 'INSERT INTO quarry_suite_big (id, body) VALUES (?, ?)',
  generateRowsSql: (count) => `WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < ${count}) SELECT n, 'row ' || n AS label FROM c`,
  // One endless step that returns no row: only stopping the worker thread can end it.
  longQuery: 'WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT count(*) FROM c',
  syntaxError: { sql: 'SELECT *\n  FORM quarry_suite_values\n WHERE id = 1', badToken: 'FORM' },
  badConnections: () => [
    { name: 'not a database', config: { database: notADatabase }, code: 'CONNECTION_FAILED', message: new RegExp(`^${notADatabase.replace(/[.\\]/g, '\\$&')} is not a SQLite database\\.$`) },
    { name: 'missing file', config: { database: join(dir, 'missing.db') }, code: 'CONNECTION_FAILED', message: /missing\.db does not exist/ },
    { name: 'a directory', config: { database: dir }, code: 'CONNECTION_FAILED', message: /is a directory, not a SQLite database/ },
    {
      name: 'locked by another writer',
      code: 'CONNECTION_FAILED',
      message: /suite\.db: database is locked/,
      arrange: async () => {
        const other = new Database(file);
        other.exec('BEGIN EXCLUSIVE');
        return async () => {
          other.exec('ROLLBACK');
          other.close();
        };
      },
    },
  ],
  // Nothing to restart: reconnect reopens the file.
  restart: { run: async () => undefined, dropsSession: false },
  tunnel: { skipReason: 'not applicable: SQLite is a local file, there is no server to reach through SSH' },
  tls: { skipReason: 'not applicable: SQLite is a local file, there is no connection to encrypt' },
};

runDriverSuite(sqlite);
