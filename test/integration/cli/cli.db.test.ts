import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ConnectionService } from '../../../src/main/db/ConnectionService';
import { createDriver } from '../../../src/main/db/createDriver';
import { KeyFileSecretBox } from '../../../src/main/secrets/KeyFileSecretBox';
import { AppStore } from '../../../src/main/store/AppStore';
import { parseConnectionUrl } from '../../../src/shared/domain/connectionUrl';
import { testMysqlUrl, testPgUrl } from '../testEnv';

const root = join(import.meta.dirname, '..', '..', '..');
const bin = join(root, 'bin', 'quarry.mjs');

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function quarry(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, QUARRY_DEBUG: '', ...env }, stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (stdin !== undefined) child.stdin!.end(stdin);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** One clear line on stderr, never a stack trace. */
function expectOneLineError(r: CliResult, pattern: RegExp): void {
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^quarry: /);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('the quarry CLI', () => {
  let dir: string;
  let dbFile: string;
  let dataDir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'quarry-cli-'));
    dbFile = join(dir, 'shop.sqlite');
    dataDir = join(dir, 'data');
    const db = new Database(dbFile);
    db.exec(`CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price REAL);
             INSERT INTO items (name, price) VALUES ('apple', 1.5), ('pear, green', NULL), ('"quoted"', 3);`);
    db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints help and version, and rejects bad usage with exit code 2', async () => {
    const help = await quarry(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/quarry query <target>/);
    const version = await quarry(['--version']);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version);
    for (const args of [['frobnicate'], ['query', dbFile], ['query', dbFile, 'select 1', '--format', 'xml'], ['query', '--bogus'], ['serve', '--port', 'abc'], ['review', join(root, 'no-such-folder')], ['review', root, '--dialect', 'oracle'], ['review', root, '--fail-on', 'fatal']]) {
      const r = await quarry(args);
      expect(r.code, args.join(' ')).toBe(2);
      expectOneLineError(r, /./);
    }
  });

  it('streams rows from a SQLite file as CSV, JSON and a table', async () => {
    const sql = 'SELECT id, name, price FROM items ORDER BY id';
    const csv = await quarry(['query', dbFile, sql, '--format', 'csv']);
    expect(csv.code).toBe(0);
    expect(csv.stdout.split(/\r?\n/)).toEqual(['id,name,price', '1,apple,1.5', '2,"pear, green",', '3,"""quoted""",3', '']);
    expect(csv.stderr).toMatch(/3 rows/);

    const json = await quarry(['query', dbFile, sql, '--format', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      { id: 1, name: 'apple', price: 1.5 },
      { id: 2, name: 'pear, green', price: null },
      { id: 3, name: '"quoted"', price: 3 },
    ]);

    const table = await quarry(['query', dbFile, sql, '--format', 'table']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id \| name +\| price$/);
    expect(lines).toHaveLength(5);
    expect(lines[3]).toMatch(/pear, green \| +NULL$/);
  });

  it('runs several statements in order', async () => {
    const r = await quarry(['query', dbFile, "SELECT 1 AS a; SELECT 'x' AS b, 2 AS c", '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout.split(/\r?\n/)).toEqual(['a', '1', 'b,c', 'x,2', '']);
    const piped = await quarry(['query', dbFile, '-', '--format', 'csv'], {}, "-- a script\nSELECT 3 AS d;\nSELECT 'semi;colon' AS e;\n");
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout.split(/\r?\n/)).toEqual(['d', '3', 'e', 'semi;colon', '']);
  });

  it('needs --allow-writes for writes and --yes for destructive statements', async () => {
    const readOnly = await quarry(['query', dbFile, "INSERT INTO items (name) VALUES ('kiwi')"]);
    expect(readOnly.code).toBe(1);
    expectOneLineError(readOnly, /read.?only|readonly/i);

    const unconfirmed = await quarry(['query', dbFile, 'DELETE FROM items', '--allow-writes']);
    expect(unconfirmed.code).toBe(2);
    expectOneLineError(unconfirmed, /--yes/);
    const count = (): number => {
      const db = new Database(dbFile, { readonly: true });
      const n = (db.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n;
      db.close();
      return n;
    };
    expect(count()).toBe(3);

    const write = await quarry(['query', dbFile, "INSERT INTO items (name) VALUES ('kiwi')", '--allow-writes']);
    expect(write.code).toBe(0);
    expect(write.stderr).toMatch(/1 row affected/);
    expect(count()).toBe(4);
    const confirmed = await quarry(['query', dbFile, "DELETE FROM items WHERE name = 'kiwi'; DROP TABLE IF EXISTS nothing_here", '--allow-writes', '--yes']);
    expect(confirmed.code).toBe(0);
    expect(count()).toBe(3);
  });

  it('reports query errors with exit code 1 and connection errors with 2', async () => {
    const syntax = await quarry(['query', dbFile, 'SELEC 1']);
    expect(syntax.code).toBe(1);
    expectOneLineError(syntax, /syntax|SELEC/i);
    const missingTable = await quarry(['query', dbFile, 'SELECT * FROM no_such_table']);
    expect(missingTable.code).toBe(1);
    expectOneLineError(missingTable, /no_such_table/);
    const noFile = await quarry(['query', join(dir, 'missing', 'x.sqlite'), 'SELECT 1']);
    expect(noFile.code).toBe(2);
    expectOneLineError(noFile, /./);
    const unknownName = await quarry(['query', 'no-such-connection', 'SELECT 1', '--data-dir', dataDir]);
    expect(unknownName.code).toBe(2);
    expectOneLineError(unknownName, /no-such-connection/);
    const badPassword = await quarry(['query', testPgUrl().replace(/:[^:@/]+@/, ':wrong-password@'), 'SELECT 1']);
    expect(badPassword.code).toBe(2);
    expectOneLineError(badPassword, /./);
    expect(badPassword.stderr).not.toContain('wrong-password');
  });

  it('queries PostgreSQL and MariaDB by URL', async () => {
    const pgOut = await quarry(['query', testPgUrl(), "SELECT 9007199254740993::int8 AS big, 'ü' AS t, NULL::text AS n", '--format', 'json']);
    expect(pgOut.code, pgOut.stderr).toBe(0);
    expect(JSON.parse(pgOut.stdout)).toEqual([{ big: '9007199254740993', t: 'ü', n: null }]);
    const my = await quarry(['query', testMysqlUrl(), "SELECT 2 AS n, 'x' AS s", '--format', 'csv']);
    expect(my.code, my.stderr).toBe(0);
    expect(my.stdout.split(/\r?\n/)).toEqual(['n,s', '2,x', '']);
  });

  it('cancels the statement on the server on Ctrl-C', async () => {
    const child = spawn(process.execPath, [bin, 'query', testPgUrl(), "SELECT 'quarry-cli-sleep' AS tag, pg_sleep(60)"], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const admin = new pg.Client({ connectionString: testPgUrl() });
    await admin.connect();
    const running = async (): Promise<number> =>
      Number((await admin.query("SELECT count(*) AS n FROM pg_stat_activity WHERE query LIKE '%quarry-cli-sleep%' AND state = 'active' AND pid <> pg_backend_pid()")).rows[0].n);
    while ((await running()) === 0) await new Promise((r) => setTimeout(r, 100));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exit).toBe(1);
    expect(stderr.trim()).toMatch(/^quarry: .*cancel/i);
    expect(await running()).toBe(0);
    await admin.end();
  });

  it('stops quietly when the reader goes away', async () => {
    const child = spawn(process.execPath, [bin, 'query', testPgUrl(), 'SELECT g, repeat(\'x\', 100) FROM generate_series(1, 5000000) g', '--format', 'csv'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('uses saved connections by name, secrets included', async () => {
    const store = new AppStore({ dataDir });
    const service = new ConnectionService({ store, secretBox: new KeyFileSecretBox(join(dataDir, 'secret.key')), createDriver, emitStatus: () => undefined });
    // A password of its own: the test servers' default one is also their user and database name.
    const secrets = { password: 'cli-test-S3cret-71ad' };
    const admin = new pg.Client({ connectionString: testPgUrl() });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS quarry_cli_test; CREATE ROLE quarry_cli_test LOGIN PASSWORD '${secrets.password}'`);
    await admin.end();
    const config = { ...parseConnectionUrl(testPgUrl()).config, user: 'quarry_cli_test' };
    service.save({ config: { ...config, name: 'Test PG' }, secrets });
    service.save({ config: { name: 'Shop', dialect: 'sqlite', database: dbFile } });
    await service.dispose();
    store.dispose();

    const list = await quarry(['connections', 'list', '--data-dir', dataDir]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^Test PG\tpostgres\t/m);
    expect(list.stdout).toMatch(/^Shop\tsqlite\t/m);
    expect(list.stdout).not.toContain(secrets.password);
    const pgOut = await quarry(['query', 'test pg', 'SELECT current_user AS u', '--format', 'csv', '--data-dir', dataDir]);
    expect(pgOut.code, pgOut.stderr).toBe(0);
    expect(pgOut.stdout.split(/\r?\n/)[1]).toBe('quarry_cli_test');
    const shop = await quarry(['query', 'Shop', 'SELECT count(*) AS n FROM items', '--format', 'csv'], { QUARRY_DATA_DIR: dataDir });
    expect(shop.stdout.split(/\r?\n/)[1]).toBe('3');
  });

  it('prints the schema as JSON and text', async () => {
    const json = await quarry(['schema', dbFile, '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const model = JSON.parse(json.stdout) as { dialect: string; schemas: { tables: { name: string; columns: { name: string }[] }[] }[] };
    expect(model.dialect).toBe('sqlite');
    expect(model.schemas[0]!.tables.find((t) => t.name === 'items')?.columns.map((c) => c.name)).toEqual(['id', 'name', 'price']);
    const text = await quarry(['schema', dbFile]);
    expect(text.stdout).toMatch(/table items/);
    expect(text.stdout).toMatch(/^\s+price REAL/m);
  });

  it('serves the browser door until SIGTERM', async () => {
    const child = spawn(process.execPath, [bin, 'serve', '--data-dir', join(dir, 'serve-data')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /Quarry is serving on (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([\w-]+))\n/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    });
    const { port, searchParams } = new URL(url);
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${searchParams.get('token')}`, { origin: `http://127.0.0.1:${port}` });
    const reply = await new Promise<unknown>((resolve, reject) => {
      ws.once('open', () => ws.send(JSON.stringify({ type: 'call', id: 1, method: 'connections.list', input: {} })));
      ws.once('message', (d) => resolve(JSON.parse(d.toString())));
      ws.once('error', reject);
    });
    expect(reply).toMatchObject({ type: 'result', id: 1, result: [expect.objectContaining({ builtin: true })] });
    ws.close();
    const exitCode = await new Promise<number | null>((resolve) => {
      child.removeAllListeners('exit');
      child.on('exit', (code) => resolve(code));
      child.kill('SIGTERM');
    });
    expect(exitCode).toBe(0);
  });
});
