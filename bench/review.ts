/**
 * Review 2,000 generated PostgreSQL migrations (about 20,000 statements) cold, with no connection: a fresh
 * `quarry review` process against a fresh `squawk` process on the same files, best of 3 each, wall time and peak
 * RSS (GNU time's maximum resident set size).
 *
 * Alone: node --import tsx bench/review.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './BenchResult';

const MIGRATIONS = 2_000;
const RUNS = 3;
const root = fileURLToPath(new URL('..', import.meta.url));

/** Ten statements per migration, of the kinds real migrations hold, some safe and some that rules flag. */
export function migration(n: number): string {
  const t = `t${n}`;
  const prev = `t${Math.max(1, n - 1)}`;
  return [
    `SET lock_timeout = '5s';`,
    `CREATE TABLE IF NOT EXISTS ${t} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());`,
    `ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS note varchar(${50 + (n % 200)});`,
    `ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS parent_id bigint;`,
    `ALTER TABLE ${t} ADD CONSTRAINT ${t}_parent_fk FOREIGN KEY (parent_id) REFERENCES ${prev} (id) NOT VALID;`,
    `ALTER TABLE ${t} VALIDATE CONSTRAINT ${t}_parent_fk;`,
    `CREATE INDEX ${n % 3 === 0 ? '' : 'CONCURRENTLY '}IF NOT EXISTS ${t}_name_idx ON ${t} (name);`,
    `COMMENT ON TABLE ${t} IS 'generated table ${n}';`,
    `UPDATE ${prev} SET name = lower(name) WHERE id < ${n * 10};`,
    `INSERT INTO ${t} (name) SELECT name FROM ${prev} WHERE created_at > now() - interval '1 day';`,
  ].join('\n');
}

export function generate(): string {
  const dir = mkdtempSync(join(tmpdir(), 'quarry-bench-review-'));
  mkdirSync(join(dir, 'migrations'));
  for (let n = 1; n <= MIGRATIONS; n++) writeFileSync(join(dir, 'migrations', `V${n}__step_${n}.sql`), `${migration(n)}\n`);
  return join(dir, 'migrations');
}

interface Run {
  ms: number;
  rssMiB: number;
}

/** Runs a command under GNU time; findings make both tools exit 1, which is not a failure here. */
function timed(command: string, args: string[]): Run {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t0;
  const stderr = r.stderr.toString();
  if (r.status !== 0 && r.status !== 1) throw new Error(`${command} exited with ${r.status}: ${stderr.trim().slice(-500)}`);
  const kib = Number(stderr.trim().split('\n').at(-1));
  return { ms, rssMiB: kib / 1024 };
}

function best(runs: Run[]): Run {
  return runs.reduce((a, b) => (b.ms < a.ms ? b : a));
}

export async function benchReview(): Promise<BenchResult[]> {
  const dir = generate();
  try {
    const files = readdirSync(dir).map((f) => join(dir, f));
    const quarry: Run[] = [];
    const squawk: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      quarry.push(timed(process.execPath, [join(root, 'bin/quarry.mjs'), 'review', dir, '--dialect', 'postgres', '--format', 'json']));
      squawk.push(timed(join(root, 'node_modules/.bin/squawk'), files));
    }
    const q = best(quarry);
    const s = best(squawk);
    const baseline = { name: `squawk ${MIGRATIONS} files (best of ${RUNS})`, value: s.ms };
    return [
      { name: `quarry review, ${MIGRATIONS} migrations / ${MIGRATIONS * 10} statements, cold (best of ${RUNS})`, value: q.ms, unit: 'ms', baseline, ratio: q.ms / s.ms, target: '≤ 1.0× squawk' },
      { name: 'quarry review, peak RSS', value: q.rssMiB, unit: 'MiB', baseline: { name: 'squawk peak RSS', value: s.rssMiB }, ratio: q.rssMiB / s.rssMiB },
    ];
  } finally {
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  benchReview().then(
    (results) => {
      for (const r of results) console.log(`${r.name}: ${r.value.toFixed(1)} ${r.unit}${r.ratio !== undefined ? `  ratio ${r.ratio.toFixed(2)}×` : ''}`);
    },
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
