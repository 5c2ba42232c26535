import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewCommand, type ReviewCommandOptions } from '../../../src/cli/reviewCommand';
import { ConnectionService } from '../../../src/main/db/ConnectionService';
import { createDriver } from '../../../src/main/db/createDriver';
import { sarifValidator } from '../../../src/main/review/report/sarifValidator';
import { KeyFileSecretBox } from '../../../src/main/secrets/KeyFileSecretBox';
import { AppStore } from '../../../src/main/store/AppStore';
import { parseConnectionUrl } from '../../../src/shared/domain/connectionUrl';
import { testPgUrl } from '../testEnv';

const schema = `review_cli_${randomBytes(4).toString('hex')}`;

async function review(options: Omit<ReviewCommandOptions, 'out'>): Promise<{ code: number; text: string }> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  const code = await reviewCommand({ ...options, out });
  return { code, text };
}

describe('quarry review --connection', () => {
  let admin: pg.Client;
  let dir: string;
  let folder: string;
  let dataDir: string;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: testPgUrl() });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(`CREATE TABLE ${schema}.accounts (id bigint PRIMARY KEY, email text)`);
    await admin.query(`INSERT INTO ${schema}.accounts SELECT g, CASE WHEN g <= 7 THEN NULL ELSE 'u' || g || '@x' END FROM generate_series(1, 120) g`);
    await admin.query(`ANALYZE ${schema}.accounts`);
    dir = mkdtempSync(join(tmpdir(), 'quarry-review-cli-db-'));
    folder = join(dir, 'db');
    mkdirSync(folder);
    writeFileSync(join(folder, 'V1__email_required.sql'), `SET lock_timeout = '2s';\nALTER TABLE ${schema}.accounts ALTER COLUMN email SET NOT NULL;\n`);
    // A saved connection, as the desktop app would have stored it, in a data dir of the test's own.
    dataDir = join(dir, 'data');
    const store = new AppStore({ dataDir });
    const connections = new ConnectionService({ store, secretBox: new KeyFileSecretBox(join(dataDir, 'secret.key')), createDriver, emitStatus: () => undefined });
    const { config, secrets } = parseConnectionUrl(testPgUrl());
    connections.save({ config: { ...config, name: 'Accounts DB', allowWrites: false }, secrets });
    await connections.dispose();
    store.dispose();
  });

  afterAll(async () => {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the impact after the findings, the dialect taken from the connection', async () => {
    const { code, text } = await review({ path: folder, format: 'text', failOn: 'error', connection: testPgUrl() });
    expect(text).toMatch(/^V1__email_required\.sql:2:1 {2}error {2}impact-statement-fails {2}/m);
    expect(text).toMatch(/^Impact on quarry@127\.0\.0\.1:\d+\/quarry \(server 15[.\d]*\):$/m);
    expect(text).toMatch(new RegExp(`^ {2}V1__email_required\\.sql:2:1 {2}${schema}\\.accounts \\(120 rows, [\\d.]+ \\w+\\) {2}work: scan {2}lock: ACCESS EXCLUSIVE`, 'm'));
    expect(text).toMatch(/^ {6}AT RISK: .*email.*: 7 rows/m);
    expect(text).not.toContain(':quarry@');
    expect(code).toBe(1);
  });

  it('puts the impact in json, markdown, and as SARIF results', async () => {
    const json = JSON.parse((await review({ path: folder, format: 'json', failOn: 'error', connection: testPgUrl() })).text) as {
      dialect: string;
      impact: { statements: { table?: { name: string; rows: number } }[] };
      findings: { ruleId: string }[];
    };
    expect(json.dialect).toBe('postgres');
    expect(json.impact.statements.map((s) => s.table && [s.table.name, s.table.rows])).toContainEqual(['accounts', 120]);

    const markdown = (await review({ path: folder, format: 'markdown', failOn: 'error', connection: testPgUrl() })).text;
    expect(markdown).toMatch(/^### Impact on `quarry@127\.0\.0\.1:\d+\/quarry`/m);
    expect(markdown).toMatch(new RegExp(`^\\| \`V1__email_required\\.sql:2\` \\| ${schema}\\.accounts: 120 rows, .* \\| scan \\| ACCESS EXCLUSIVE .*🛑`, 'm'));

    const sarif = JSON.parse((await review({ path: folder, format: 'sarif', failOn: 'error', connection: testPgUrl() })).text) as { runs: { results: { ruleId: string; level: string }[] }[] };
    expect(sarifValidator()(sarif)).toEqual([]);
    expect(sarif.runs[0]!.results).toContainEqual(expect.objectContaining({ ruleId: 'impact-statement-fails', level: 'error' }));
  });

  it('takes a saved connection by name, which refuses --prove when it does not allow writes', async () => {
    const { text } = await review({ path: folder, format: 'text', failOn: 'error', connection: 'accounts db', dataDir });
    expect(text).toMatch(/^Impact on Accounts DB \(quarry@127\.0\.0\.1:\d+\/quarry\) \(server 15/m);
    await expect(review({ path: folder, format: 'text', failOn: 'error', connection: 'Accounts DB', dataDir, prove: true })).rejects.toThrow(/does not allow writes/);
  });

  it('fails as a connection error when the server cannot be reached', async () => {
    await expect(review({ path: folder, format: 'text', failOn: 'error', connection: 'postgres://quarry:secret@127.0.0.1:1/quarry?connect_timeout=2' })).rejects.toMatchObject({ code: 'CONNECTION_FAILED' });
  });
});
