import { parseConnectionUrl } from '../../../src/shared/domain/connectionUrl';
import { testCaFile, testMysqlUrl, testServers } from '../testEnv';
import { plainServer } from './plainServer';
import { runDriverSuite, type DriverTarget } from './driverSuite';

const parsed = () => parseConnectionUrl(testMysqlUrl());
const servers = testServers();
const caFile = testCaFile();
const digits = '(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)';

const mysql: DriverTarget = {
  dialect: 'mysql',
  config: () => ({ ...parsed().config, name: 'suite mysql' }),
  secrets: () => parsed().secrets,
  versionPattern: /^\d+\.\d+\.\d+/,
  sessionSetup: [],
  values: {
    null_text: { type: 'TEXT', literal: 'NULL', expected: null, kind: 'text' },
    empty_text: { type: 'TEXT', literal: "''", expected: '', kind: 'text' },
    unicode: { type: 'TEXT', literal: "'héllo 😀 日本語 ✓'", expected: 'héllo 😀 日本語 ✓', kind: 'text' },
    binary: { type: 'VARBINARY(16)', literal: "x'00ff10'", expected: { $binary: true, length: 3, hexPreview: '00ff10' }, kind: 'binary' },
    json: { type: 'JSON', literal: `'{"a": [1, 2, "ü"], "b": null}'`, expected: '{"a":[1,2,"ü"],"b":null}', kind: 'json', compareAsJson: true },
    date: { type: 'DATE', literal: "'2024-02-29'", expected: '2024-02-29', kind: 'datetime' },
    time: { type: 'TIME(1)', literal: "'13:45:30.5'", expected: '13:45:30.5', kind: 'datetime' },
    // MySQL has no type that keeps a zone; DATETIME keeps the wall time exactly as written, unshifted.
    timestamp_with_zone: { type: 'DATETIME(3)', literal: "'2024-02-29 13:45:00.123'", expected: '2024-02-29 13:45:00.123', kind: 'datetime' },
    small_int: { type: 'INT', literal: '42', expected: 42, kind: 'number' },
    bigint_beyond_53: { type: 'BIGINT', literal: '9007199254740993', expected: '9007199254740993', kind: 'number' },
    negative_bigint: { type: 'BIGINT', literal: '-9007199254740993', expected: '-9007199254740993', kind: 'number' },
    numeric_precision: { type: 'DECIMAL(38, 9)', literal: '12345678901234567890.123456789', expected: '12345678901234567890.123456789', kind: 'number' },
    // BOOLEAN is TINYINT(1) in MySQL: the server holds a number, and that is what comes back.
    boolean: { type: 'BOOLEAN', literal: 'TRUE', expected: 1, kind: 'number' },
    float: { type: 'DOUBLE', literal: '1.5', expected: 1.5, kind: 'number' },
  },
  bigTextType: 'LONGTEXT',
  insertBigSql: 'INSERT INTO quarry_suite_big (id, body) VALUES (?, ?)',
  // Recursive CTEs stop at 1000 rows by default on MariaDB; a cross join of digits has no such limit.
  generateRowsSql: (count) =>
    `SELECT n, CONCAT('row ', n) AS label FROM (SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d + 100000 * g.d + 1 AS n ` +
    `FROM ${digits} a CROSS JOIN ${digits} b CROSS JOIN ${digits} c CROSS JOIN ${digits} e CROSS JOIN ${digits} f CROSS JOIN ${digits} g) t ` +
    `WHERE n <= ${count} ORDER BY n`,
  longQuery: 'SELECT SLEEP(30)',
  syntaxError: { sql: 'SELECT *\n  FORM quarry_suite_values\n WHERE id = 1', badToken: 'FORM' },
  badConnections: ({ refusedPort, silentPort }) => [
    { name: 'wrong password', secrets: { password: 'wrong' }, code: 'CONNECTION_FAILED', message: /^Access denied for user 'quarry'@'127\.0\.0\.1' \(using password: YES\) \(127\.0\.0\.1:\d+\)$/ },
    { name: 'unknown database', config: { database: 'no_such_db' }, code: 'CONNECTION_FAILED', message: /Unknown database 'no_such_db' \(127\.0\.0\.1:\d+\)/ },
    { name: 'nothing listening', config: { port: refusedPort }, code: 'CONNECTION_FAILED', message: new RegExp(`^could not connect to 127\\.0\\.0\\.1:${refusedPort}: connection refused$`) },
    { name: 'server never answers', config: { port: silentPort, connectTimeoutMs: 500 }, code: 'TIMEOUT', message: new RegExp(`^could not connect to 127\\.0\\.0\\.1:${silentPort}: timed out after 500 ms$`) },
  ],
  restart: servers ? { run: () => servers.restartMysql(), dropsSession: true } : { skipReason: 'the servers were started outside this run without QUARRY_TEST_SERVERS_STATE' },
  tunnel: { targetHost: '127.0.0.1', targetPort: parsed().config.port ?? 3306 },
  tls: caFile ? { caFile, plainServer: () => plainServer('mysqlUrl') } : { skipReason: 'the test servers run without TLS' },
};

runDriverSuite(mysql);
