/**
 * Introspect 2,000 tables / 30,000 columns / 3,000 foreign keys (plus an index per foreign key) with
 * introspectPostgres, against `pg_dump --schema-only` of the same database to /dev/null. Both best of 3,
 * interleaved, introspection after one warm-up on its session (pg_dump gets none: each run is a new process,
 * as in real use). Also reported: introspection on a fresh session, whose first catalog reads are colder.
 * The bench creates a fresh database on the server and drops it afterwards.
 *
 * Alone: node --import tsx bench/introspection.ts <pgUrl>
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { introspectPostgres } from '../src/main/db/introspect/introspectPostgres';
import type { Queryable } from '../src/main/db/introspect/Queryable';
import type { SchemaModel } from '../src/shared/domain/SchemaModel';
import type { BenchResult } from './BenchResult';

const TABLES = 2_000;
const COLUMNS_PER_TABLE = 15;
const RUNS = 3;
const PG_DUMP = '/usr/lib/postgresql/15/bin/pg_dump';

/** Column definitions after id and the foreign key columns, varied so format_type and defaults do real work. */
const extraColumns = [
  'name varchar(120) not null',
  "status text not null default 'new'",
  'amount numeric(12,2)',
  'quantity integer not null default 0',
  'created_at timestamptz not null default now()',
  'updated_at timestamptz',
  'active boolean not null default true',
  'payload jsonb',
  'code char(8)',
  'ratio double precision',
  'notes text',
  'external_id uuid',
  'tags text[]',
];

export async function benchIntrospection(pgUrl: string): Promise<BenchResult[]> {
  const database = `quarry_bench_introspect_${process.pid}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  const url = new URL(pgUrl);
  url.pathname = `/${database}`;
  let client: pg.Client | undefined;
  try {
    await admin.query(`drop database if exists ${database}`);
    await admin.query(`create database ${database}`);
    client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    const generated = await createIntrospectionBenchSchema(client);
    const c = client;
    const q: Queryable = { query: async (sql, params) => ({ rows: (await c.query(sql, params as unknown[])).rows }) };
    const version = String((await client.query('show server_version')).rows[0].server_version);

    let model = await introspectPostgres(q, database, version); // warm-up: plans, catalog caches, JIT of our code
    check(model, generated);
    // Interleaved, so that a burst of load on a shared machine falls on both sides alike.
    const times: number[] = [];
    const freshTimes: number[] = [];
    const dumpTimes: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      model = await introspectPostgres(q, database, version);
      times.push(performance.now() - started);
      dumpTimes.push(runPgDump(url.toString()));
      freshTimes.push(await introspectFresh(url.toString(), database, version));
    }
    check(model, generated);

    const ours = Math.min(...times);
    const fresh = Math.min(...freshTimes);
    const dump = Math.min(...dumpTimes);
    return [
      {
        name: `introspectPostgres (${generated.tables} tables, ${generated.columns} columns, ${generated.foreignKeys} FKs, ${generated.indexes} indexes)`,
        value: ours,
        unit: 'ms',
        baseline: { name: 'pg_dump --schema-only', value: dump },
        ratio: ours / dump,
        target: '≤ 0.5× pg_dump --schema-only',
      },
      {
        name: 'introspectPostgres on a fresh session, connect included',
        value: fresh,
        unit: 'ms',
        baseline: { name: 'pg_dump --schema-only', value: dump },
        ratio: fresh / dump,
      },
    ];
  } finally {
    await client?.end().catch(() => undefined);
    await admin.query(`drop database if exists ${database} with (force)`).catch(() => undefined);
    await admin.end();
  }
}

export interface Generated {
  tables: number;
  columns: number;
  foreignKeys: number;
  indexes: number;
}

/**
 * Table i (1-based) references table i-1 (every table but the first), and every odd table and the last one
 * also reference table ⌈i/2⌉: 1,999 + 1,001 = 3,000 foreign keys, each with its index, and 15 columns a table.
 */
export async function createIntrospectionBenchSchema(client: pg.Client): Promise<Generated> {
  const name = (i: number): string => `bench_t${String(i).padStart(4, '0')}`;
  let foreignKeys = 0;
  let indexes = 0;
  let columns = 0;
  const statements: string[] = [];
  for (let i = 1; i <= TABLES; i++) {
    const defs = ['id bigint generated always as identity primary key'];
    const fks: string[] = [];
    if (i > 1) {
      defs.push('prev_id bigint');
      fks.push(`constraint ${name(i)}_prev_fk foreign key (prev_id) references ${name(i - 1)} (id) on delete cascade`);
    }
    const half = i % 2 === 1 || i === TABLES;
    if (half) {
      defs.push('half_id bigint');
      fks.push(`constraint ${name(i)}_half_fk foreign key (half_id) references ${name(Math.ceil(i / 2))} (id) on delete set null`);
    }
    defs.push(...extraColumns.slice(0, COLUMNS_PER_TABLE - defs.length));
    columns += defs.length;
    foreignKeys += fks.length;
    statements.push(`create table ${name(i)} (${[...defs, ...fks, `constraint ${name(i)}_amount_check check (amount >= 0)`].join(', ')});`);
    if (i > 1) statements.push(`create index ${name(i)}_prev_idx on ${name(i)} (prev_id);`);
    if (half) statements.push(`create index ${name(i)}_half_idx on ${name(i)} (half_id);`);
    indexes += 1 + fks.length; // primary key + one per FK
    statements.push(`comment on table ${name(i)} is 'Bench table ${i}';`);
  }
  // A multi-statement query is one transaction; batches keep each under max_locks_per_transaction.
  for (let i = 0; i < statements.length; i += 200) await client.query(statements.slice(i, i + 200).join('\n'));
  await client.query('analyze');
  return { tables: TABLES, columns, foreignKeys, indexes };
}

/** A wrong model would make any timing meaningless, so the bench refuses to report one. */
function check(model: SchemaModel, expected: Generated): void {
  const tables = model.schemas.flatMap((s) => s.tables);
  const columns = tables.reduce((n, t) => n + t.columns.length, 0);
  const foreignKeys = tables.reduce((n, t) => n + t.foreignKeys.length, 0);
  const indexes = tables.reduce((n, t) => n + t.indexes.length, 0);
  const got = { tables: tables.length, columns, foreignKeys, indexes };
  if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`introspection returned ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
}

/** Like opening the schema tree right after connecting: a new session whose catalog caches are empty. */
async function introspectFresh(url: string, database: string, version: string): Promise<number> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await introspectPostgres({ query: async (sql, params) => ({ rows: (await client.query(sql, params as unknown[])).rows }) }, database, version);
    return performance.now() - started;
  } finally {
    await client.end();
  }
}

function runPgDump(url: string): number {
  const started = performance.now();
  const result = spawnSync(PG_DUMP, ['--schema-only', '--no-password', '-f', '/dev/null', '-d', url], { encoding: 'utf8' });
  const elapsed = performance.now() - started;
  if (result.error) throw new Error(`pg_dump could not start (${PG_DUMP}): ${result.error.message}`);
  if (result.status !== 0) throw new Error(`pg_dump exited with ${result.status}: ${result.stderr.trim()}`);
  return elapsed;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const pgUrl = process.argv[2] ?? process.env.QUARRY_TEST_PG_URL;
  if (!pgUrl) {
    console.error('usage: node --import tsx bench/introspection.ts <postgres://user:password@127.0.0.1:port/db>');
    process.exitCode = 2;
  } else {
    try {
      for (const r of await benchIntrospection(pgUrl)) {
        const baseline = r.baseline ? `; ${r.baseline.name}: ${r.baseline.value.toFixed(1)} ${r.unit}; ratio ${r.ratio?.toFixed(3)}` : '';
        console.log(`${r.name}: ${r.value.toFixed(1)} ${r.unit}${baseline}${r.target ? ` (target ${r.target})` : ''}`);
      }
    } catch (error) {
      console.error(`bench failed: ${(error as Error).message}`);
      process.exitCode = 1;
    }
  }
}
