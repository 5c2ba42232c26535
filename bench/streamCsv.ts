/**
 * Stream 1,000,000 rows × 6 columns from PostgreSQL to CSV, against psql's `\copy … to stdout csv`, best of 3:
 * - Quarry's CSV export path (createDriver → driver.copyCsv, the server's COPY … TO STDOUT → /dev/null), which
 *   `quarry query --format csv` uses for queries on PostgreSQL;
 * - the same through the whole `quarry query` command, process start included, as psql's figure includes it;
 * - the row path (driver.stream → createRowWriter('csv')), which the grid's spool, JSON and the other dialects use.
 *
 * Each Quarry side runs in a child process (this file with --child) so its peak RSS is its own: RSS is sampled at
 * 25/50/75/100 % of the rows to show it stays flat.
 *
 * Alone: node --import tsx bench/streamCsv.ts <pgUrl>
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Transform } from 'node:stream';
import pg from 'pg';
import { connectionConfigSchema } from '../src/shared/domain/connection';
import { parseConnectionUrl } from '../src/shared/domain/connectionUrl';
import { createDriver } from '../src/main/db/createDriver';
import type { Driver } from '../src/main/db/Driver';
import { createRowWriter, type RowWriter } from '../src/main/query/createRowWriter';
import type { BenchResult } from './BenchResult';

const ROWS = 1_000_000;
const TABLE = 'bench_stream_csv';
const SELECT = `select i, b, t, n, ts, flag from ${TABLE}`;
const RUNS = 3;

interface ChildReport {
  firstRowMs: number;
  totalMs: number;
  rows: number;
  bytes: number;
  /** RSS in MiB at 25, 50, 75 and 100 % of the rows. */
  rssMiB: number[];
  maxRssMiB: number;
}

export async function benchStreamCsv(pgUrl: string): Promise<BenchResult[]> {
  await prepareTable(pgUrl);

  const psqlConnectMs = bestOf(RUNS, () => runPsql(pgUrl, 'select 1'));
  let psqlMs = Infinity;

  // Interleaved with psql, so load from other processes hits every contender alike.
  const rowPath: ChildReport[] = [];
  const copy: ChildReport[] = [];
  let cliMs = Infinity;
  for (let i = 0; i < RUNS; i++) {
    psqlMs = Math.min(psqlMs, runPsql(pgUrl, `\\copy (${SELECT}) to stdout csv`));
    copy.push(await runChild(pgUrl, 'copy'));
    cliMs = Math.min(cliMs, runCli(pgUrl));
    rowPath.push(await runChild(pgUrl, 'rows'));
  }

  const best = rowPath.reduce((a, b) => (b.totalMs < a.totalMs ? b : a));
  const bestCopy = copy.reduce((a, b) => (b.totalMs < a.totalMs ? b : a));
  for (const r of [...rowPath, ...copy]) {
    if (r.rows !== ROWS) throw new Error(`expected ${ROWS} rows, the child streamed ${r.rows}`);
  }
  const psql = { name: 'psql \\copy to stdout csv (best of 3, includes psql start and connect)', value: psqlMs };
  const quarryStartMs = bestOf(RUNS, () => runQuarry(['--version']));
  return [
    { name: 'Quarry CSV export (driver.copyCsv), total', value: bestCopy.totalMs, unit: 'ms', baseline: psql, ratio: bestCopy.totalMs / psqlMs, target: '≤ 1.2× psql' },
    { name: 'Quarry CSV export, time to first row', value: Math.min(...copy.map((r) => r.firstRowMs)), unit: 'ms', target: '≤ 100 ms' },
    { name: 'Quarry CSV export, RSS at 25/50/75/100% of rows', value: Math.max(...bestCopy.rssMiB), unit: 'MiB', detail: bestCopy.rssMiB.map((v) => v.toFixed(0)).join(' / ') },
    { name: 'Quarry CSV export, peak RSS (maxRSS)', value: bestCopy.maxRssMiB, unit: 'MiB' },
    { name: '`quarry query --format csv` command, process start included', value: cliMs, unit: 'ms', baseline: psql, ratio: cliMs / psqlMs },
    { name: '`quarry --version` (process start of the command, part of the figure above)', value: quarryStartMs, unit: 'ms' },
    { name: 'psql start + connect + select 1 (part of the psql figure)', value: psqlConnectMs, unit: 'ms' },
    { name: 'Row path (driver.stream → CSV writer), total', value: best.totalMs, unit: 'ms', baseline: psql, ratio: best.totalMs / psqlMs },
    { name: 'Row path, time to first row', value: Math.min(...rowPath.map((r) => r.firstRowMs)), unit: 'ms', target: '≤ 100 ms' },
    { name: 'Row path, RSS at 25/50/75/100% of rows', value: Math.max(...best.rssMiB), unit: 'MiB', detail: best.rssMiB.map((v) => v.toFixed(0)).join(' / ') },
    { name: 'Row path, peak RSS (maxRSS)', value: best.maxRssMiB, unit: 'MiB' },
  ];
}

/** TLS off on both sides: loopback, and the comparison is about rows and CSV, not ciphers. */
function plainUrl(pgUrl: string): URL {
  const u = new URL(pgUrl);
  u.searchParams.set('sslmode', 'disable');
  return u;
}

async function prepareTable(pgUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: plainUrl(pgUrl).toString(), ssl: false });
  await client.connect();
  try {
    const exists = await client.query(`select count(*)::int as n from pg_class where relname = $1 and relkind = 'r'`, [TABLE]);
    if (exists.rows[0].n === 1) {
      const count = await client.query(`select count(*)::int as n from ${TABLE}`);
      if (count.rows[0].n === ROWS) return;
      await client.query(`drop table ${TABLE}`);
    }
    await client.query(`create table ${TABLE} as
      select g::int as i,
             g::bigint * 9007199 as b,
             md5(g::text) as t,
             (g / 7.0)::numeric(14, 4) as n,
             timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second' as ts,
             g % 3 = 0 as flag
      from generate_series(1, ${ROWS}) g`);
    await client.query(`vacuum analyze ${TABLE}`);
  } finally {
    await client.end();
  }
}

function runPsql(pgUrl: string, command: string): number {
  const u = plainUrl(pgUrl);
  const password = decodeURIComponent(u.password);
  u.password = '';
  const t0 = performance.now();
  const r = spawnSync('psql', [u.toString(), '-X', '-q', '-c', command], {
    env: { ...process.env, PGPASSWORD: password },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`psql failed (${r.status}): ${r.stderr.toString().trim()}`);
  return ms;
}

const quarryBin = fileURLToPath(new URL('../bin/quarry.mjs', import.meta.url));

function runQuarry(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [quarryBin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`quarry ${args[0]} failed (${r.status}): ${r.stderr.toString().trim()}`);
  return ms;
}

function runCli(pgUrl: string): number {
  return runQuarry(['query', plainUrl(pgUrl).toString(), SELECT, '--format', 'csv']);
}

/** Best of n: the run least disturbed by whatever else the machine was doing. */
function bestOf(n: number, f: () => number): number {
  let best = Infinity;
  for (let i = 0; i < n; i++) best = Math.min(best, f());
  return best;
}

async function runChild(pgUrl: string, mode: 'rows' | 'copy'): Promise<ChildReport> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', mode, pgUrl], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`bench child (${mode}) exited with ${code}: ${err.trim().slice(-2000)}`);
  const last = out.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as ChildReport;
}

// ---------------------------------------------------------------- child

const mib = (bytes: number): number => bytes / 1024 / 1024;

async function openDriver(pgUrl: string): Promise<Driver> {
  const { config, secrets } = parseConnectionUrl(plainUrl(pgUrl).toString());
  return createDriver({ config: connectionConfigSchema.parse({ ...config, name: 'bench' }), secrets });
}

async function child(mode: string, pgUrl: string): Promise<ChildReport> {
  const out = createWriteStream('/dev/null');
  await once(out, 'open');
  const checkpoints = [0.25, 0.5, 0.75, 1].map((f) => Math.round(ROWS * f));
  const rss: number[] = [];
  const sample = (rows: number): void => {
    while (rss.length < checkpoints.length && rows >= checkpoints[rss.length]!) rss.push(mib(process.memoryUsage().rss));
  };
  let rows = 0;
  let firstRowMs = -1;
  let bytes = 0;
  const driver = await openDriver(pgUrl);
  const t0 = performance.now();

  if (mode === 'copy') {
    // Counts lines as they pass (no value in this table holds a newline; the first line is the header).
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        if (firstRowMs < 0) firstRowMs = performance.now() - t0;
        for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) rows++;
        sample(rows - 1);
        done(null, chunk);
      },
    });
    counter.pipe(out, { end: false });
    const copied = await driver.copyCsv!(SELECT, counter);
    bytes = copied.bytes;
    rows = copied.rowCount;
  } else {
    let writer: RowWriter | undefined;
    await driver.stream(SELECT, {
      onColumns: (columns) => {
        writer = createRowWriter('csv', out, columns);
      },
      onRows: async (batch) => {
        if (firstRowMs < 0) firstRowMs = performance.now() - t0;
        await writer!.writeRows(batch);
        rows += batch.length;
        sample(rows);
      },
    });
    bytes = (await writer!.end()).bytes;
  }
  const totalMs = performance.now() - t0;
  sample(ROWS);
  await driver.dispose();
  out.end();
  await once(out, 'finish');
  return { firstRowMs, totalMs, rows, bytes, rssMiB: rss, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    child(args[1]!, args[2]!).then(
      (r) => console.log(JSON.stringify(r)),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  } else {
    const url = args[0] ?? process.env.QUARRY_TEST_PG_URL;
    if (!url) {
      console.error('usage: node --import tsx bench/streamCsv.ts <pgUrl>');
      process.exit(2);
    }
    benchStreamCsv(url).then(
      (results) => {
        for (const r of results) {
          const base = r.baseline ? `  (baseline ${r.baseline.name}: ${r.baseline.value.toFixed(1)} ms, ratio ${r.ratio!.toFixed(2)}×)` : '';
          console.log(`${r.name}: ${r.value.toFixed(1)} ${r.unit}${base}${r.target ? `  target ${r.target}` : ''}`);
        }
      },
      (e: unknown) => {
        console.error(e instanceof Error ? e.message : e);
        process.exit(1);
      },
    );
  }
}
