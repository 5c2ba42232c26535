import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReviewEvent, ReviewReport } from '../../shared/domain/review';
import { ConnectionService } from '../db/ConnectionService';
import { createDriver } from '../db/createDriver';
import { KeyFileSecretBox } from '../secrets/KeyFileSecretBox';
import { AppStore } from '../store/AppStore';
import { rules } from './rules/registry';
import { ReviewService, type ReviewServiceDeps } from './ReviewService';

const fixtures = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'review');
const sqliteShop = join(fixtures, 'sandbox', 'sqlite-shop');
const flyway = join(fixtures, 'readers', 'flyway', 'src', 'main', 'resources', 'db', 'migration');
const hasZip = (() => {
  try {
    execFileSync('zip', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Every file under `dir` as the browser door uploads it: the path relative to the folder, the bytes in base64. */
function uploadOf(dir: string): { path: string; base64: string }[] {
  const out: { path: string; base64: string }[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d)) {
      const full = join(d, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out.push({ path: relative(dir, full).split(sep).join('/'), base64: readFileSync(full).toString('base64') });
    }
  };
  walk(dir);
  return out;
}

describe('ReviewService', () => {
  let dir: string;
  let dataDir: string;
  let store: AppStore;
  let connections: ConnectionService;
  let service: ReviewService;
  let events: { id: string; event: ReviewEvent }[];
  let waiters: { id: string; resolve: (e: ReviewEvent) => void }[];

  const make = (options: Partial<ReviewServiceDeps> = {}): ReviewService =>
    new ReviewService({
      dataDir,
      connections,
      emit: (id, event) => {
        events.push({ id, event });
        options.emit?.(id, event);
        if (event.type !== 'progress') for (const w of waiters.filter((w) => w.id === id)) w.resolve(event);
      },
      ...(options.maxReports !== undefined ? { maxReports: options.maxReports } : {}),
      ...(options.maxUploadBytes !== undefined ? { maxUploadBytes: options.maxUploadBytes } : {}),
    });

  /** The done or error event of a review; registered before it can arrive, since start() answers first. */
  const ended = (id: string): Promise<ReviewEvent> => {
    const already = events.find((e) => e.id === id && e.event.type !== 'progress');
    if (already) return Promise.resolve(already.event);
    return new Promise((resolve) => waiters.push({ id, resolve }));
  };
  const reportOf = async (id: string): Promise<ReviewReport> => {
    const event = await ended(id);
    if (event.type !== 'done') throw new Error(`review ${id} ended with ${JSON.stringify(event)}`);
    return event.report;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'quarry-review-service-'));
    dataDir = join(dir, 'data');
    store = new AppStore({ dataDir });
    connections = new ConnectionService({ store, secretBox: new KeyFileSecretBox(join(dataDir, 'secret.key')), createDriver, emitStatus: () => undefined });
    events = [];
    waiters = [];
    service = make();
  });

  afterEach(async () => {
    await service.dispose();
    await connections.dispose();
    store.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reviews a folder by path: progress by phase in order, then the report with the proof, files relative to the root', async () => {
    const { reviewId } = await service.start({ source: { kind: 'path', path: sqliteShop }, dialect: 'sqlite', prove: true });
    const report = await reportOf(reviewId);
    const mine = events.filter((e) => e.id === reviewId).map((e) => e.event);
    const progress = mine.filter((e) => e.type === 'progress').map((e) => `${e.phase} ${e.done}/${e.total}`);
    expect(progress).toEqual(['reading 0/1', 'reading 1/1', 'parsing 0/4', 'parsing 1/4', 'parsing 2/4', 'parsing 3/4', 'parsing 4/4', 'proving 0/4', 'proving 4/4']);
    expect(mine.at(-1)?.type).toBe('done');
    expect(report).toMatchObject({ reviewId, root: sqliteShop, format: 'golang-migrate', dialect: 'sqlite' });
    expect(report.files).toEqual(readdirSync(sqliteShop).sort());
    expect(report.migrations.map((m) => m.id)).toEqual(['1', '2', '3', '4']);
    expect(report.proof?.map((r) => r.status)).toEqual(['reversible', 'not-reversible', 'down-failed', 'no-down']);
    expect(report.findings.map((f) => [f.ruleId, f.migrationId]).filter(([id]) => id === 'irreversible-migration' || id === 'down-fails')).toEqual([
      ['irreversible-migration', '2'],
      ['down-fails', '3'],
    ]);
    const keys = report.findings.map((f) => [f.location.file, f.location.line, f.location.column] as const);
    expect(keys).toEqual([...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || a[2] - b[2])));
    expect(report.impact).toBeUndefined();

    expect(service.source(reviewId, '000003_add_nickname.up.sql').text).toBe(readFileSync(join(sqliteShop, '000003_add_nickname.up.sql'), 'utf8'));
    expect(() => service.source(reviewId, '../secret.key')).toThrow(/no such file/);
    expect(() => service.source('nope', 'x.sql')).toThrow(/No review with id nope/);
  });

  it('reviews an upload as a folder under the data dir, and removes it on dispose', async () => {
    const { reviewId } = await service.start({ source: { kind: 'files', name: 'migration', files: uploadOf(flyway) }, dialect: 'postgres' });
    const report = await reportOf(reviewId);
    expect(report).toMatchObject({ root: 'migration', format: 'flyway', dialect: 'postgres' });
    expect(report.files).toEqual(readdirSync(flyway).sort());
    expect(report.migrations.length).toBeGreaterThan(3);
    expect(report.findings.every((f) => !f.location.file.startsWith('/'))).toBe(true);
    expect(service.source(reviewId, 'V1__create_customers.sql').text).toBe(readFileSync(join(flyway, 'V1__create_customers.sql'), 'utf8'));
    const inbox = join(dataDir, 'review-inbox', reviewId, 'migration');
    expect(readdirSync(inbox).sort()).toEqual(readdirSync(flyway).sort());
    await service.dispose();
    expect(existsSync(join(dataDir, 'review-inbox'))).toBe(false);
  });

  it('refuses hostile or malformed uploads with a clear error, writing nothing', async () => {
    const ok = { path: 'V1__a.sql', base64: Buffer.from('select 1;').toString('base64') };
    const start = (name: string, files: { path: string; base64: string }[]) => service.start({ source: { kind: 'files', name, files }, dialect: 'postgres' });
    await expect(start('m', [ok, { path: '../escape.sql', base64: ok.base64 }])).rejects.toThrow(/files\[1\] \("\.\.\/escape\.sql"\): paths must stay inside the dropped folder; "\.\." is not allowed/);
    await expect(start('m', [{ path: 'a/../../escape.sql', base64: ok.base64 }])).rejects.toThrow(/"\.\." is not allowed/);
    await expect(start('m', [{ path: '..\\escape.sql', base64: ok.base64 }])).rejects.toThrow(/"\.\." is not allowed/);
    await expect(start('m', [{ path: '/etc/escape.sql', base64: ok.base64 }])).rejects.toThrow(/not absolute/);
    await expect(start('m', [{ path: 'C:\\escape.sql', base64: ok.base64 }])).rejects.toThrow(/not absolute/);
    await expect(start('m', [{ path: 'a\0.sql', base64: ok.base64 }])).rejects.toThrow(/NUL/);
    await expect(start('m', [ok, { path: './V1__a.sql', base64: ok.base64 }])).rejects.toThrow(/files\[1\].*holds this path twice/);
    await expect(start('m', [{ path: 'V2.sql', base64: 'not base64!' }])).rejects.toThrow(/files\[0\].*not base64/);
    await expect(start('../m', [ok])).rejects.toThrow(/plain file or folder name/);
    expect(existsSync(join(dir, 'escape.sql'))).toBe(false);
    expect(existsSync(join(dataDir, 'escape.sql'))).toBe(false);
    const inbox = join(dataDir, 'review-inbox');
    expect(existsSync(inbox) ? readdirSync(inbox, { recursive: true }) : []).toEqual([]);
    expect(events).toEqual([]);
  });

  it('states the upload limit when an upload is over it', async () => {
    const small = make({ maxUploadBytes: 1000 });
    try {
      const files = [{ path: 'V1__big.sql', base64: Buffer.alloc(2000, 'x').toString('base64') }];
      await expect(small.start({ source: { kind: 'files', name: 'big', files }, dialect: 'postgres' })).rejects.toThrow(/over 1000 bytes \(the limit for files dropped on the browser door\).*quarry review <path>/);
    } finally {
      await small.dispose();
    }
  });

  it.skipIf(!hasZip)('reviews one dropped .zip as the zip', async () => {
    const zip = join(dir, 'shop.zip');
    execFileSync('zip', ['-q', '-j', zip, ...readdirSync(sqliteShop).map((f) => join(sqliteShop, f))]);
    const { reviewId } = await service.start({ source: { kind: 'files', name: 'shop.zip', files: [{ path: 'shop.zip', base64: readFileSync(zip).toString('base64') }] }, dialect: 'sqlite' });
    const report = await reportOf(reviewId);
    expect(report).toMatchObject({ root: 'shop.zip', format: 'golang-migrate' });
    expect(report.files).toEqual(readdirSync(sqliteShop).sort());
    expect(service.source(reviewId, '000001_create_users.up.sql').text).toContain('CREATE TABLE users');
  });

  it('ends with an error event saying how to choose when no dialect is known', async () => {
    const { reviewId } = await service.start({ source: { kind: 'path', path: sqliteShop } });
    expect(await ended(reviewId)).toMatchObject({ type: 'error', code: 'BAD_INPUT', message: expect.stringMatching(/choose PostgreSQL, MySQL or SQLite, or pick the connection/) });
  });

  it('ends with an error event for a path that does not exist', async () => {
    const { reviewId } = await service.start({ source: { kind: 'path', path: join(dir, 'missing') }, dialect: 'postgres' });
    expect(await ended(reviewId)).toMatchObject({ type: 'error', code: 'IO_ERROR', message: expect.stringMatching(/no such file or folder/) });
  });

  it('says in the report, not as a crash, that PostgreSQL proofs need a connection', async () => {
    const { reviewId } = await service.start({ source: { kind: 'path', path: sqliteShop }, dialect: 'postgres', prove: true });
    const report = await reportOf(reviewId);
    expect(report.proof?.map((r) => r.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
    expect(report.findings).toContainEqual(expect.objectContaining({ ruleId: 'proof-not-run', severity: 'warning', message: expect.stringMatching(/needs a server.*pick a connection/) }));
  });

  it('cancels a running review between migrations', async () => {
    let id = '';
    const cancelling = make({
      emit: (reviewId, event) => {
        if (event.type === 'progress' && event.phase === 'parsing' && event.done === 1) cancelling.cancel(reviewId);
      },
    });
    try {
      ({ reviewId: id } = await cancelling.start({ source: { kind: 'path', path: sqliteShop }, dialect: 'sqlite', prove: true }));
      expect(await ended(id)).toEqual({ type: 'error', code: 'CANCELLED', message: 'The review was cancelled.' });
      const phases = events.filter((e) => e.id === id && e.event.type === 'progress').map((e) => (e.event as { phase: string }).phase);
      expect(phases).not.toContain('proving');
      expect(() => cancelling.source(id, '000001_create_users.up.sql')).toThrow(/No review with id/);
    } finally {
      await cancelling.dispose();
    }
  });

  it('cancels a proof between migrations, rolling the sandbox back', async () => {
    const cancelling = make({
      emit: (reviewId, event) => {
        if (event.type === 'progress' && event.phase === 'proving' && event.done === 0) cancelling.cancel(reviewId);
      },
    });
    try {
      const { reviewId } = await cancelling.start({ source: { kind: 'path', path: sqliteShop }, dialect: 'sqlite', prove: true });
      expect(await ended(reviewId)).toEqual({ type: 'error', code: 'CANCELLED', message: 'The review was cancelled.' });
    } finally {
      await cancelling.dispose();
    }
  });

  it('keeps only the last maxReports reports, removing the evicted upload', async () => {
    const one = make({ maxReports: 1 });
    try {
      const first = await one.start({ source: { kind: 'files', name: 'a', files: uploadOf(sqliteShop) }, dialect: 'sqlite' });
      await reportOf(first.reviewId);
      const second = await one.start({ source: { kind: 'path', path: sqliteShop }, dialect: 'sqlite' });
      await reportOf(second.reviewId);
      expect(() => one.source(first.reviewId, '000001_create_users.up.sql')).toThrow(/only the last 1 reviews are kept/);
      expect(one.source(second.reviewId, '000001_create_users.up.sql').text).toContain('CREATE TABLE users');
      await expect.poll(() => existsSync(join(dataDir, 'review-inbox', first.reviewId))).toBe(false);
    } finally {
      await one.dispose();
    }
  });

  it('lists every registered rule with its docs', () => {
    const docs = service.rules();
    expect(docs.map((d) => d.id)).toEqual(rules.map((r) => r.id));
    for (const d of docs) {
      expect(d.docs.problem.length).toBeGreaterThan(0);
      expect(d.dialects.length).toBeGreaterThan(0);
    }
  });

  it('with a saved SQLite connection: its dialect, impact on its data, and the proof on a copy of its file', async () => {
    const file = join(dir, 'shop.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL); INSERT INTO users (email) VALUES (\'a@x\'), (\'b@x\');');
    db.close();
    const before = readFileSync(file);
    const saved = connections.save({ config: { name: 'Shop', dialect: 'sqlite', database: file } });
    const { reviewId } = await service.start({ source: { kind: 'files', name: 'm', files: [{ path: '000001_nick.up.sql', base64: Buffer.from('ALTER TABLE users ADD COLUMN nickname TEXT;\n').toString('base64') }, { path: '000001_nick.down.sql', base64: Buffer.from('ALTER TABLE users DROP COLUMN nickname;\n').toString('base64') }] }, connectionId: saved.id, prove: true });
    const report = await reportOf(reviewId);
    expect(report.dialect).toBe('sqlite');
    expect(report.proof?.map((r) => r.status)).toEqual(['reversible']);
    expect(report.findings.filter((f) => f.ruleId === 'impact-failed')).toEqual([]);
    expect(report.impact?.connection).toBe(`Shop (${file})`);
    expect(report.impact?.statements.map((s) => s.table?.name)).toEqual(['users']);
    expect(events.filter((e) => e.id === reviewId && e.event.type === 'progress').map((e) => (e.event as { phase: string }).phase)).toContain('impact');
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});
