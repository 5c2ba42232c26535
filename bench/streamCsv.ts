/**
 * Stream 1,000,000 rows × 6 columns from PostgreSQL to CSV: Quarry's row path (createDriver → driver.stream →
 * createRowWriter('csv') → /dev/null) against psql's `\copy … to stdout csv`, best of 3 each.
 *
 * Quarry's side runs in a child process (this file with --child) so its peak RSS is its own: RSS is sampled at
 * 25/50/75/100 % of the rows to show it stays flat. Also measured, as a reference for a possible driver
 * capability: PostgreSQL's COPY … TO STDOUT through pg-copy-streams, in the same child.
 *
 * Alone: node --import tsx bench/streamCsv.ts <pgUrl>
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
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
  const quarry: ChildReport[] = [];
  const copy: ChildReport[] = [];
  const raw: ChildReport[] = [];
  const prefetch: ChildReport[] = [];
  for (let i = 0; i < RUNS; i++) {
    psqlMs = Math.min(psqlMs, runPsql(pgUrl, `\\copy (${SELECT}) to stdout csv`));
    quarry.push(await runChild(pgUrl, 'rows'));
    copy.push(await runChild(pgUrl, 'copy'));
    raw.push(await runChild(pgUrl, 'raw'));
    prefetch.push(await runChild(pgUrl, 'prefetch'));
  }
  const fastest = (list: ChildReport[]): number => Math.min(...list.map((r) => r.totalMs));

  const best = quarry.reduce((a, b) => (b.totalMs < a.totalMs ? b : a));
  const bestCopy = copy.reduce((a, b) => (b.totalMs < a.totalMs ? b : a));
  for (const r of [...quarry, ...copy, ...raw, ...prefetch]) {
    if (r.rows !== ROWS) throw new Error(`expected ${ROWS} rows, the child streamed ${r.rows}`);
  }
  const psql = { name: 'psql \\copy to stdout csv (best of 3, includes psql start and connect)', value: psqlMs };
  return [
    { name: 'Quarry rows → CSV, total (best of 3)', value: best.totalMs, unit: 'ms', baseline: psql, ratio: best.totalMs / psqlMs, target: '≤ 1.2× psql' },
    { name: 'Quarry rows → CSV, time to first row', value: Math.min(...quarry.map((r) => r.firstRowMs)), unit: 'ms', target: '≤ 100 ms' },
    { name: 'psql start + connect + select 1 (part of the psql figure)', value: psqlConnectMs, unit: 'ms' },
    { name: 'Quarry rows → CSV, RSS at 25% of rows', value: best.rssMiB[0]!, unit: 'MiB' },
    { name: 'Quarry rows → CSV, RSS at 50% of rows', value: best.rssMiB[1]!, unit: 'MiB' },
    { name: 'Quarry rows → CSV, RSS at 75% of rows', value: best.rssMiB[2]!, unit: 'MiB' },
    { name: 'Quarry rows → CSV, RSS at 100% of rows', value: best.rssMiB[3]!, unit: 'MiB' },
    { name: 'Quarry rows → CSV, peak RSS (maxRSS)', value: best.maxRssMiB, unit: 'MiB' },
    { name: 'Quarry rows → CSV, bytes written', value: best.bytes / 1024 / 1024, unit: 'MiB' },
    {
      name: 'Reference: COPY … TO STDOUT via pg-copy-streams → /dev/null (not the row path)',
      value: bestCopy.totalMs,
      unit: 'ms',
      baseline: psql,
      ratio: bestCopy.totalMs / psqlMs,
    },
    { name: 'Reference: COPY path, time to first byte', value: Math.min(...copy.map((r) => r.firstRowMs)), unit: 'ms' },
    { name: 'Reference: COPY path, peak RSS (maxRSS)', value: bestCopy.maxRssMiB, unit: 'MiB' },
    { name: "Breakdown: pg-cursor, pg's default parsers, same CSV writer (no driver)", value: fastest(raw), unit: 'ms', baseline: psql, ratio: fastest(raw) / psqlMs },
    { name: 'Breakdown: as above, next batch requested before writing this one', value: fastest(prefetch), unit: 'ms', baseline: psql, ratio: fastest(prefetch) / psqlMs },
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

/** Best of n: the run least disturbed by whatever else the machine was doing. */
function bestOf(n: number, f: () => number): number {
  let best = Infinity;
  for (let i = 0; i < n; i++) best = Math.min(best, f());
  return best;
}

async function runChild(pgUrl: string, mode: 'rows' | 'copy' | 'raw' | 'prefetch'): Promise<ChildReport> {
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

async function child(mode: string, pgUrl: string): Promise<ChildReport> {
  const out = createWriteStream('/dev/null');
  await once(out, 'open');
  const checkpoints = [0.25, 0.5, 0.75, 1].map((f) => Math.round(ROWS * f));
  const rss: number[] = [];
  let rows = 0;
  let firstRowMs = -1;
  let t0 = 0;
  let bytes = 0;

  if (mode === 'prefetch' || mode === 'raw') {
    // Where the row path's time goes, outside the driver: pg-cursor with pg's default parsers ('raw'), and the
    // same with the next batch requested before this one is written ('prefetch'), as a driver could do.
    const { default: Cursor } = await import('pg-cursor');
    const { createRowWriter } = await import('../src/main/query/createRowWriter');
    const client = new pg.Client({ connectionString: plainUrl(pgUrl).toString(), ssl: false });
    await client.connect();
    t0 = performance.now();
    const cursor = client.query(new Cursor(SELECT, [], { rowMode: 'array' }));
    const batchSize = Number(process.env.QUARRY_BENCH_BATCH ?? 1000);
    let writer: ReturnType<typeof createRowWriter> | undefined;
    let next = cursor.read(batchSize);
    for (;;) {
      const batch = (await next) as unknown[][];
      if (batch.length === 0) break;
      if (mode === 'prefetch') next = cursor.read(batchSize);
      if (firstRowMs < 0) firstRowMs = performance.now() - t0;
      writer ??= createRowWriter('csv', out, (cursor as unknown as { _result: pg.QueryResult })._result.fields.map((f) => ({ name: f.name, type: '', kind: 'other' as const })));
      await writer.writeRows(batch.map((row) => row.map((v) => (v instanceof Date ? v.toISOString() : (v as string | number | boolean | null)))));
      rows += batch.length;
      while (rss.length < checkpoints.length && rows >= checkpoints[rss.length]!) rss.push(mib(process.memoryUsage().rss));
      if (mode === 'raw') next = cursor.read(batchSize);
      if (batch.length < batchSize) break;
    }
    bytes = (await writer!.end()).bytes;
    await cursor.close();
    await client.end();
  } else if (mode === 'copy') {
    const { to } = await import('pg-copy-streams');
    const client = new pg.Client({ connectionString: plainUrl(pgUrl).toString(), ssl: false });
    await client.connect();
    t0 = performance.now();
    const stream = client.query(to(`copy (${SELECT}) to stdout with (format csv)`));
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (firstRowMs < 0) firstRowMs = performance.now() - t0;
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) rows++;
      while (rss.length < checkpoints.length && rows >= checkpoints[rss.length]!) rss.push(mib(process.memoryUsage().rss));
      if (!out.write(chunk)) await once(out, 'drain');
    }
    await client.end();
  } else {
    const { createDriver } = await import('../src/main/db/createDriver');
    const { createRowWriter } = await import('../src/main/query/createRowWriter');
    const u = new URL(pgUrl);
    const driver = await createDriver({
      config: {
        name: 'bench',
        dialect: 'postgres',
        host: u.hostname,
        port: Number(u.port),
        user: decodeURIComponent(u.username),
        database: u.pathname.slice(1),
        tls: 'disable',
        allowWrites: false,
        statementTimeoutMs: 0,
        connectTimeoutMs: 10_000,
      },
      secrets: { password: decodeURIComponent(u.password) },
    });
    let writer: ReturnType<typeof createRowWriter> | undefined;
    t0 = performance.now();
    await driver.stream(
      SELECT,
      {
        onColumns: (columns) => {
          writer = createRowWriter('csv', out, columns);
        },
        onRows: async (batch) => {
          if (firstRowMs < 0) firstRowMs = performance.now() - t0;
          await writer!.writeRows(batch);
          rows += batch.length;
          while (rss.length < checkpoints.length && rows >= checkpoints[rss.length]!) rss.push(mib(process.memoryUsage().rss));
        },
      },
      { batchSize: Number(process.env.QUARRY_BENCH_BATCH ?? 1000) },
    );
    bytes = (await writer!.end()).bytes;
    await driver.dispose();
  }
  const totalMs = performance.now() - t0;
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
