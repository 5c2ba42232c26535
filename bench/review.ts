/**
 * Review 2,000 generated PostgreSQL migrations (about 20,000 statements) cold, with no connection: a fresh
 * `quarry review` process against a fresh `squawk` process on the same files, best of 3 each, wall time, CPU time
 * (user + system, all threads) and peak RSS (GNU time's maximum resident set size). Then the same for a folder of
 * one statement: start-up. Quarry runs as `npm install` leaves it, from the CLI bundle (rebuilt first).
 *
 * Alone: node --import tsx bench/review.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './BenchResult';

const MIGRATIONS = 2_000;
const RUNS = 5;
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
  cpuMs: number;
  rssMiB: number;
}

/** Runs a command under GNU time; findings make both tools exit 1, which is not a failure here. */
function timed(command: string, args: string[]): Run {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', command, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t0;
  const stderr = r.stderr.toString();
  if (r.status !== 0 && r.status !== 1) throw new Error(`${command} exited with ${r.status}: ${stderr.trim().slice(-500)}`);
  const [kib, user, system] = (stderr.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  return { ms, cpuMs: ((user ?? NaN) + (system ?? NaN)) * 1000, rssMiB: (kib ?? NaN) / 1024 };
}

/** Builds the CLI bundle, as `npm install` does, so bin/quarry.mjs runs it rather than the sources through tsx. */
function bundleCli(): void {
  const r = spawnSync(process.execPath, [join(root, 'scripts/buildCli.mjs'), '--quiet'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error('could not bundle the CLI (node scripts/buildCli.mjs)');
}

/** bin/quarry.mjs's own check: false when a source changed since the bundle was built, so quarry ran through tsx. */
function bundleIsCurrent(): boolean {
  try {
    const { inputs } = JSON.parse(readFileSync(join(root, 'out/cli/inputs.json'), 'utf8')) as { inputs: Record<string, [number, number]> };
    return Object.entries(inputs).every(([file, [size, mtimeMs]]) => {
      const s = statSync(join(root, file), { throwIfNoEntry: false });
      return s?.size === size && s.mtimeMs === mtimeMs;
    });
  } catch {
    return false;
  }
}

function best(runs: Run[]): Run {
  return runs.reduce((a, b) => (b.ms < a.ms ? b : a));
}

export async function benchReview(): Promise<BenchResult[]> {
  bundleCli();
  const dir = generate();
  const one = join(dir, '..', 'one');
  mkdirSync(one);
  writeFileSync(join(one, 'V1__one.sql'), 'ALTER TABLE t ADD COLUMN note text;\n');
  try {
    const files = readdirSync(dir).map((f) => join(dir, f));
    const quarry = (folder: string): Run => timed(process.execPath, [join(root, 'bin/quarry.mjs'), 'review', folder, '--dialect', 'postgres', '--format', 'json']);
    const squawk = (paths: string[]): Run => timed(join(root, 'node_modules/.bin/squawk'), paths);
    const runs = { quarry: [] as Run[], squawk: [] as Run[], quarryOne: [] as Run[], squawkOne: [] as Run[] };
    for (let i = 0; i < RUNS; i++) {
      runs.quarry.push(quarry(dir));
      runs.squawk.push(squawk(files));
      runs.quarryOne.push(quarry(one));
      runs.squawkOne.push(squawk([join(one, 'V1__one.sql')]));
    }
    // Another engineer's edit during the run sends bin/quarry.mjs to the sources; the figures would then be tsx's.
    const how = bundleIsCurrent() ? 'bundled CLI' : 'SOURCES CHANGED DURING THE RUN: ran through tsx, rerun';
    const q = best(runs.quarry);
    const s = best(runs.squawk);
    const q1 = best(runs.quarryOne);
    const s1 = best(runs.squawkOne);
    const cpu = (r: Run): string => `CPU ${r.cpuMs.toFixed(0)} ms`;
    return [
      {
        name: `quarry review, ${MIGRATIONS} migrations / ${MIGRATIONS * 10} statements, cold (best of ${RUNS})`,
        value: q.ms,
        unit: 'ms',
        detail: `${how}; ${cpu(q)}, squawk ${cpu(s)}`,
        baseline: { name: `squawk ${MIGRATIONS} files (best of ${RUNS})`, value: s.ms },
        ratio: q.ms / s.ms,
        target: '≤ 1.0× squawk',
      },
      { name: 'quarry review, peak RSS', value: q.rssMiB, unit: 'MiB', baseline: { name: 'squawk peak RSS', value: s.rssMiB }, ratio: q.rssMiB / s.rssMiB },
      {
        name: `quarry review, one statement: start-up (best of ${RUNS})`,
        value: q1.ms,
        unit: 'ms',
        detail: `${cpu(q1)}, squawk ${cpu(s1)}`,
        baseline: { name: 'squawk, one statement', value: s1.ms },
        ratio: q1.ms / s1.ms,
      },
    ];
  } finally {
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  benchReview().then(
    (results) => {
      for (const r of results) console.log(`${r.name}: ${r.value.toFixed(1)} ${r.unit}${r.detail ? ` [${r.detail}]` : ''}${r.ratio !== undefined ? `  ratio ${r.ratio.toFixed(2)}×` : ''}`);
    },
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
