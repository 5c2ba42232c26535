import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { migration as benchMigration } from '../../../bench/review';
import type { Dialect } from '../../shared/domain/connection';
import type { Migration, MigrationSet } from '../../shared/domain/review';
import { offsetToPosition } from '../../shared/sql/offsetToPosition';
import { splitStatements } from '../../shared/sql/splitStatements';
import { loadReviewConfig } from './config/loadReviewConfig';
import { runningParseWorkers } from './parse/parseInWorkers';
import { readMigrationSources } from './readers/readMigrations';
import { reviewMigrations } from './reviewMigrations';

/** The bench's generated migrations, in memory: ten statements each, some flagged, one syntax error in every 97th. */
function generatedSet(count: number): { set: MigrationSet; sources: Map<string, string> } {
  const sources = new Map<string, string>();
  const migrations: Migration[] = [];
  for (let n = 1; n <= count; n++) {
    const file = `V${n}__step_${n}.sql`;
    const text = n % 97 === 0 ? `${benchMigration(n)}\nALTER TABLE t${n} ADD COLUM oops int;\n` : `${benchMigration(n)}\n`;
    sources.set(file, text);
    const up = splitStatements(text, 'postgres').map((s) => ({ sql: s.text, location: { file, ...offsetToPosition(text, s.start) } }));
    migrations.push({ id: file, version: String(n), description: file, format: 'flyway', file, up, down: n % 5 === 0 ? [{ sql: `DROP TABLE t${n}`, location: { file, line: 1, column: 1 } }] : undefined });
  }
  return { set: { root: '/generated', format: 'flyway', migrations, problems: [] }, sources };
}

const FIXTURES = path.resolve('test/fixtures/review');

/** Every fixture folder a reader reads as a set of migrations, with the dialect it is reviewed as. */
function fixtureFolders(): { dir: string; dialect: Dialect }[] {
  const readers = path.join(FIXTURES, 'readers');
  return [
    { dir: path.join(FIXTURES, 'rules/shop-postgres'), dialect: 'postgres' },
    { dir: path.join(FIXTURES, 'rules/shop-mysql'), dialect: 'mysql' },
    ...readdirSync(readers, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .flatMap((e) => (['postgres', 'mysql', 'sqlite'] as const).map((dialect) => ({ dir: path.join(readers, e.name), dialect }))),
  ];
}

/** Warnings the pool gave: one means a worker never answered and its statements were parsed on this thread. */
const warnings: string[] = [];
const onWarning = (w: Error & { code?: string }): void => {
  if (w.code === 'QUARRY_PARSE_WORKER') warnings.push(w.message);
};
beforeAll(() => void process.on('warning', onWarning));
afterAll(() => void process.off('warning', onWarning));
beforeEach(() => {
  warnings.length = 0;
});

describe('reviewMigrations with parsing in worker threads', () => {
  it.each(fixtureFolders())('finds exactly what it finds in one thread: $dir as $dialect', async ({ dir, dialect }) => {
    const { set, sources } = await readMigrationSources(dir, { dialect });
    const { config } = loadReviewConfig(dir);
    const options = { dialect, config: config ? { ...config, dialect } : undefined, sources };
    const inThread = await reviewMigrations(set, { ...options, parseWorkers: 0 });
    const inWorkers = await reviewMigrations(set, { ...options, parseWorkers: 2 });
    expect(inWorkers).toEqual(inThread);
    expect(warnings).toEqual([]);
  });

  it('finds exactly what it finds in one thread on 300 generated migrations, up and down, with syntax errors', async () => {
    const { set, sources } = generatedSet(300);
    const inThread = await reviewMigrations(set, { dialect: 'postgres', sources, parseWorkers: 0 });
    const inWorkers = await reviewMigrations(set, { dialect: 'postgres', sources, parseWorkers: 3 });
    expect(inWorkers).toEqual(inThread);
    expect(warnings).toEqual([]);
    expect(new Set(inThread.map((f) => f.ruleId))).toContain('syntax-error');
    expect(inThread.length).toBeGreaterThan(300);
  });

  it.each([2, 0])('leaves the event loop turning while it reviews 20,000 statements (%i parse workers), and stops its workers after', async (parseWorkers) => {
    const { set, sources } = generatedSet(2000);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    // The tick count each time a migration is done: ticks that land between migrations prove the loop was free then.
    const seen: number[] = [];
    try {
      await reviewMigrations(set, { dialect: 'postgres', sources, parseWorkers, onProgress: () => seen.push(ticks) });
    } finally {
      clearInterval(timer);
    }
    expect(seen).toHaveLength(2000);
    // Timers ran in at least 20 separate places during the review, not only before or after it.
    const changes = seen.filter((t, i) => i > 0 && t !== seen[i - 1]).length;
    expect(changes).toBeGreaterThanOrEqual(20);
    await vi.waitFor(() => expect(runningParseWorkers()).toBe(0));
    expect(warnings).toEqual([]);
  });

  it('QUARRY_PARSE_WORKERS sets the default, and a malformed one is refused', async () => {
    const { set } = generatedSet(3);
    vi.stubEnv('QUARRY_PARSE_WORKERS', 'many');
    try {
      await expect(reviewMigrations(set, { dialect: 'postgres' })).rejects.toThrow(/QUARRY_PARSE_WORKERS must be a whole number/);
      vi.stubEnv('QUARRY_PARSE_WORKERS', '1');
      expect(await reviewMigrations(set, { dialect: 'postgres' })).toEqual(await reviewMigrations(set, { dialect: 'postgres', parseWorkers: 0 }));
      expect(warnings).toEqual([]);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('a progress callback that throws (a cancelled review) ends it with that error and stops the workers', async () => {
    const { set, sources } = generatedSet(400);
    const cancelled = new Error('cancelled');
    await expect(
      reviewMigrations(set, {
        dialect: 'postgres',
        sources,
        parseWorkers: 2,
        onProgress: (done) => {
          if (done === 10) throw cancelled;
        },
      }),
    ).rejects.toBe(cancelled);
    await vi.waitFor(() => expect(runningParseWorkers()).toBe(0));
  });
});
