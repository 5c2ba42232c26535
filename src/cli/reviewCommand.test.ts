import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { sarifValidator } from '../main/review/report/sarifValidator';
import { reviewCommand, type ReviewCommandOptions } from './reviewCommand';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function flywayFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'quarry-review-cli-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'db'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'db', name), text);
  return join(dir, 'db');
}

async function review(options: Omit<ReviewCommandOptions, 'out'>): Promise<{ code: number; text: string }> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  const code = await reviewCommand({ ...options, out });
  return { code, text };
}

describe('quarry review', () => {
  const migrations = {
    'V1__orders.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(12,2));\n',
    'V2__index.sql': '-- a comment first\nCREATE INDEX orders_total_idx ON orders (total);\n',
  };

  it('points each finding at its file, line and column, and fails only at --fail-on', async () => {
    const path = flywayFolder(migrations);
    const warning = await review({ path, dialect: 'postgres', format: 'text', failOn: 'warning' });
    expect(warning.text).toMatch(/^V2__index\.sql:2:1 {2}warning {2}require-concurrent-index-creation {2}/m);
    expect(warning.text).toMatch(/^2 migrations \(flyway\) reviewed: 0 errors, \d+ warnings?, 0 info\.$/m);
    expect(warning.code).toBe(1);
    expect((await review({ path, dialect: 'postgres', format: 'text', failOn: 'error' })).code).toBe(0);
  });

  it('honours -- quarry-ignore on the line before the statement', async () => {
    const path = flywayFolder({ ...migrations, 'V2__index.sql': '-- quarry-ignore require-concurrent-index-creation, missing-lock-timeout\nCREATE INDEX orders_total_idx ON orders (total);\n' });
    const result = await review({ path, dialect: 'postgres', format: 'json', failOn: 'warning' });
    expect(JSON.parse(result.text)).toMatchObject({ format: 'flyway', migrations: 2, findings: [] });
    expect(result.code).toBe(0);
  });

  it('reports a syntax error as an error finding with its position', async () => {
    const path = flywayFolder({ ...migrations, 'V3__broken.sql': 'ALTER TABLE orders ADD COLUMN note text\n  DEFALT 1;\n' });
    const result = await review({ path, dialect: 'postgres', format: 'json', failOn: 'error' });
    const findings = JSON.parse(result.text).findings as { ruleId: string; location: { file: string; line: number } }[];
    expect(findings).toContainEqual(expect.objectContaining({ ruleId: 'syntax-error', location: expect.objectContaining({ file: 'V3__broken.sql', line: 2 }) }));
    expect(result.code).toBe(1);
  });

  it('writes a markdown report with a table per file', async () => {
    const path = flywayFolder(migrations);
    const result = await review({ path, dialect: 'postgres', format: 'markdown', failOn: 'error' });
    expect(result.text).toMatch(/^## Quarry migration review$/m);
    expect(result.text).toMatch(/^\*\*2 migrations\*\* \(flyway\) reviewed: 🛑 0 errors · ⚠️ \d+ warnings? · ℹ️ \d+ info$/m);
    expect(result.text).toContain('### `V2__index.sql`');
    expect(result.text).toMatch(/^\| 2:1 \| ⚠️ warning \| `require-concurrent-index-creation` \| /m);
    expect(result.text).toContain('<details><summary><code>require-concurrent-index-creation</code></summary>');
    expect(result.code).toBe(0);
  });

  it('writes SARIF with paths relative to the source root, and still exits by --fail-on', async () => {
    const path = flywayFolder({ ...migrations, 'V3__broken.sql': 'ALTER TABLE orders ADD COLUMN note text\n  DEFALT 1;\n' });
    const result = await review({ path, dialect: 'postgres', format: 'sarif', failOn: 'error', srcRoot: join(path, '..') });
    const log = JSON.parse(result.text) as {
      version: string;
      runs: { tool: { driver: { name: string; version: string; rules: { id: string }[] } }; results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[];
    };
    expect(sarifValidator()(log)).toEqual([]);
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe('Quarry');
    expect(run.tool.driver.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(run.tool.driver.rules.map((r) => r.id)).toContain('require-concurrent-index-creation');
    expect(run.results).toContainEqual(
      expect.objectContaining({
        ruleId: 'syntax-error',
        level: 'error',
        locations: [expect.objectContaining({ physicalLocation: expect.objectContaining({ artifactLocation: expect.objectContaining({ uri: 'db/V3__broken.sql' }), region: expect.objectContaining({ startLine: 2 }) }) })],
      }),
    );
    expect(run.results).toContainEqual(expect.objectContaining({ ruleId: 'require-concurrent-index-creation', level: 'warning' }));
    expect(result.code).toBe(1);
  });

  it('writes SARIF paths relative to the reviewed folder when it lies outside the working directory', async () => {
    const path = flywayFolder(migrations);
    const result = await review({ path, dialect: 'postgres', format: 'sarif', failOn: 'error' });
    const results = (JSON.parse(result.text) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] }).runs[0]!.results;
    const index = results.filter((r) => r.ruleId === 'require-concurrent-index-creation');
    expect(index.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri)).toEqual(['V2__index.sql']);
    for (const r of results) expect(r.locations[0]!.physicalLocation.artifactLocation.uri).toMatch(/^V\d__\w+\.sql$/);
  });
});

describe('quarry review --connection (SQLite file)', () => {
  function shop(): { folder: string; db: string } {
    const dir = mkdtempSync(join(tmpdir(), 'quarry-review-cli-conn-'));
    dirs.push(dir);
    const db = join(dir, 'shop.db');
    const sqlite = new Database(db);
    sqlite.exec("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO items (name) VALUES ('a'), (NULL), (NULL);");
    sqlite.close();
    const folder = join(dir, 'migrations');
    mkdirSync(folder);
    writeFileSync(join(folder, '000001_drop_name.up.sql'), 'ALTER TABLE items DROP COLUMN name;\n');
    writeFileSync(join(folder, '000001_drop_name.down.sql'), 'ALTER TABLE items ADD COLUMN name TEXT;\n');
    return { folder, db };
  }

  it('takes the dialect from the connection and prints the impact on its data, leaving the file as it was', async () => {
    const { folder, db } = shop();
    const before = readFileSync(db);
    const { text } = await review({ path: folder, format: 'text', failOn: 'error', connection: db, prove: true });
    expect(text).toContain(`Impact on ${db} (server 3.`);
    expect(text).toMatch(/^ {2}000001_drop_name\.up\.sql:1:1 {2}(main\.)?items \(3 rows, /m);
    expect(text).toMatch(/^ {6}AT RISK: values in items\.name: 1 row holds a value that is lost$/m);
    const json = JSON.parse((await review({ path: folder, format: 'json', failOn: 'error', connection: db, prove: true })).text) as { dialect: string; proof: { status: string }[]; impact: { statements: { table?: { name: string } }[] } };
    expect(json.dialect).toBe('sqlite');
    // The schema comes back; the data does not, which is what impact is for.
    expect(json.proof.map((p) => p.status)).toEqual(['reversible']);
    expect(json.impact.statements.map((s) => s.table?.name)).toEqual(['items']);
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('refuses, as a usage error, a connection that is neither a URL, a file nor a saved name', async () => {
    const { folder } = shop();
    const dataDir = mkdtempSync(join(tmpdir(), 'quarry-review-cli-data-'));
    dirs.push(dataDir);
    await expect(review({ path: folder, format: 'text', failOn: 'error', connection: 'no-such-connection', dataDir })).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/neither a connection URL, an existing file, nor a saved connection/) });
  });
});
