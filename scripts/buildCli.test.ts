import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migration } from '../bench/review';

const root = path.resolve(import.meta.dirname, '..');

function run(args: string[], env: NodeJS.ProcessEnv = {}, cwd = root): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the CLI bundle (scripts/buildCli.mjs)', () => {
  const name = `cli-test-${process.pid}`;
  const bundle = path.join(root, 'out', name, 'quarry.js');
  let work: string;

  beforeAll(() => {
    const built = run(['scripts/buildCli.mjs', '--quiet', '--out', `out/${name}`]);
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    work = mkdtempSync(path.join(tmpdir(), 'quarry-cli-bundle-'));
  }, 120_000);

  afterAll(() => {
    rmSync(path.join(root, 'out', name), { recursive: true, force: true });
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('reviews a big folder (on its bundled parse workers) exactly as the sources do', () => {
    const dir = path.join(work, 'migrations');
    mkdirSync(dir);
    // 150 migrations, 1,500 statements, parsed on two workers whatever the cores: the bundle's parseWorker.js must answer (stderr says when one does not).
    for (let n = 1; n <= 150; n++) writeFileSync(path.join(dir, `V${n}__step.sql`), `${migration(n)}\n${n === 77 ? 'ALTER TABLE t77 ADD COLUM x int;\n' : ''}`);
    const args = ['review', dir, '--dialect', 'postgres', '--format', 'json'];
    const fromBundle = run([bundle, ...args], { QUARRY_PARSE_WORKERS: '2' });
    const fromSources = run(['bin/quarry.mjs', ...args], { QUARRY_FROM_SOURCES: '1', QUARRY_PARSE_WORKERS: '2' });
    expect(fromBundle.stderr).toBe('');
    expect(fromSources.stderr).toBe('');
    expect(fromBundle.status).toBe(1);
    expect(fromBundle.stdout).toBe(fromSources.stdout);
    expect(fromBundle.status).toBe(fromSources.status);
    expect(fromBundle.stdout).toContain('"syntax-error"');
  }, 120_000);

  it('reads the package version and the catalog queries (inlined) as the sources do: --version, schema of a SQLite file', () => {
    expect(run([bundle, '--version']).stdout).toBe(`${(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version}\n`);
    const file = path.join(work, 'shop.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE); CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id)); CREATE INDEX orders_customer ON orders (customer_id);');
    db.close();
    const args = ['schema', file, '--format', 'json', '--data-dir', path.join(work, 'data')];
    const fromBundle = run([bundle, ...args]);
    const fromSources = run(['bin/quarry.mjs', ...args], { QUARRY_FROM_SOURCES: '1' });
    expect(fromBundle.stderr).toBe('');
    expect(fromBundle.status).toBe(0);
    const model = (text: string): unknown => ({ ...(JSON.parse(text) as object), introspectedAt: 'when' });
    expect(model(fromBundle.stdout)).toEqual(model(fromSources.stdout));
    expect(fromBundle.stdout).toContain('orders_customer');
  }, 120_000);
});

describe('bin/quarry.mjs: the bundle while it matches the sources, else the sources', () => {
  let pkg: string;
  const which = (env: NodeJS.ProcessEnv = {}): string => {
    const r = run([path.join(pkg, 'bin', 'quarry.mjs')], env, pkg);
    expect(r.stderr).toBe('');
    return r.stdout.trim();
  };
  const record = (): void => {
    const s = statSync(path.join(pkg, 'src/cli/main.ts'));
    writeFileSync(path.join(pkg, 'out/cli/inputs.json'), JSON.stringify({ inputs: { 'src/cli/main.ts': [s.size, s.mtimeMs] } }));
  };

  beforeAll(() => {
    // A package laid out like this one: the real bin/quarry.mjs, a stand-in bundle and sources that say which ran.
    pkg = mkdtempSync(path.join(tmpdir(), 'quarry-bin-'));
    mkdirSync(path.join(pkg, 'bin'));
    mkdirSync(path.join(pkg, 'src/cli'), { recursive: true });
    mkdirSync(path.join(pkg, 'out/cli'), { recursive: true });
    copyFileSync(path.join(root, 'bin/quarry.mjs'), path.join(pkg, 'bin/quarry.mjs'));
    symlinkSync(path.join(root, 'node_modules'), path.join(pkg, 'node_modules'));
    writeFileSync(path.join(pkg, 'package.json'), '{ "type": "module" }');
    writeFileSync(path.join(pkg, 'src/cli/main.ts'), "const from: string = 'sources';\nconsole.log(from);\n");
    writeFileSync(path.join(pkg, 'out/cli/quarry.js'), "console.log('bundle');\n");
  });
  afterAll(() => {
    if (pkg) rmSync(pkg, { recursive: true, force: true });
  });

  it('runs the bundle when every recorded source has its size and time', () => {
    record();
    expect(which()).toBe('bundle');
    expect(which({ QUARRY_FROM_SOURCES: '1' })).toBe('sources');
  });

  it('runs the sources when a source was touched, even to an older time', () => {
    record();
    const file = path.join(pkg, 'src/cli/main.ts');
    const old = new Date(Date.now() - 86_400_000);
    utimesSync(file, old, old);
    expect(which()).toBe('sources');
    record();
    expect(which()).toBe('bundle');
  });

  it('runs the sources when a source changed size, was removed, or nothing was recorded', () => {
    record();
    writeFileSync(path.join(pkg, 'src/cli/main.ts'), "const from: string = 'sources';\nconsole.log(from); // edited\n");
    expect(which()).toBe('sources');
    record();
    expect(which()).toBe('bundle');
    writeFileSync(path.join(pkg, 'out/cli/inputs.json'), JSON.stringify({ inputs: { 'src/cli/gone.ts': [10, 1] } }));
    expect(which()).toBe('sources');
    rmSync(path.join(pkg, 'out/cli/inputs.json'));
    expect(which()).toBe('sources');
  });
});
