import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ReviewEvent, ReviewReport } from '../../../src/shared/domain/review';
import { parseConnectionUrl } from '../../../src/shared/domain/connectionUrl';
import { ConnectionService } from '../../../src/main/db/ConnectionService';
import { createDriver } from '../../../src/main/db/createDriver';
import { ReviewService } from '../../../src/main/review/ReviewService';
import { KeyFileSecretBox } from '../../../src/main/secrets/KeyFileSecretBox';
import { AppStore } from '../../../src/main/store/AppStore';
import mysql from 'mysql2/promise';
import { testMysqlUrl, testPgUrl } from '../testEnv';

/** A schema of its own, so the proof's CREATE/ALTER cannot meet other tests' tables. */
const schema = `review_service_${randomBytes(4).toString('hex')}`;

describe('ReviewService with a saved PostgreSQL connection', () => {
  let admin: pg.Client;
  let dir: string;
  let store: AppStore;
  let connections: ConnectionService;
  let service: ReviewService;
  let ends: Map<string, (e: ReviewEvent) => void>;
  let seen: Map<string, ReviewEvent[]>;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: testPgUrl() });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(`CREATE TABLE ${schema}.customers (id bigint PRIMARY KEY, name text NOT NULL)`);
    await admin.query(`CREATE TABLE ${schema}.orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES ${schema}.customers (id), shipped_at timestamptz)`);
    await admin.query(`INSERT INTO ${schema}.customers SELECT g, 'c' || g FROM generate_series(1, 10) g`);
    await admin.query(`INSERT INTO ${schema}.orders SELECT g, 1 + g % 10, CASE WHEN g % 4 = 0 THEN NULL ELSE now() END FROM generate_series(1, 200) g`);
    await admin.query(`ANALYZE ${schema}.orders`);
  });

  afterAll(async () => {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'quarry-review-service-db-'));
    store = new AppStore({ dataDir: join(dir, 'data') });
    connections = new ConnectionService({ store, secretBox: new KeyFileSecretBox(join(dir, 'data', 'secret.key')), createDriver, emitStatus: () => undefined });
    ends = new Map();
    seen = new Map();
    service = new ReviewService({
      dataDir: join(dir, 'data'),
      connections,
      emit: (id, event) => {
        seen.set(id, [...(seen.get(id) ?? []), event]);
        if (event.type !== 'progress') ends.get(id)?.(event);
      },
    });
  });

  afterEach(async () => {
    await service.dispose();
    await connections.dispose();
    store.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const migrations = (): string => {
    const folder = join(dir, 'migrations');
    mkdirSync(folder);
    writeFileSync(join(folder, '000001_note.up.sql'), `ALTER TABLE ${schema}.orders ADD COLUMN note text;\n`);
    writeFileSync(join(folder, '000001_note.down.sql'), `ALTER TABLE ${schema}.orders DROP COLUMN note;\n`);
    writeFileSync(join(folder, '000002_shipped.up.sql'), `ALTER TABLE ${schema}.orders ALTER COLUMN shipped_at SET NOT NULL;\n`);
    writeFileSync(join(folder, '000002_shipped.down.sql'), `ALTER TABLE ${schema}.orders ALTER COLUMN shipped_at DROP NOT NULL;\n`);
    return folder;
  };

  const save = (allowWrites: boolean) => {
    const { config, secrets } = parseConnectionUrl(testPgUrl());
    return connections.save({ config: { ...config, name: allowWrites ? 'Scratch PG' : 'Prod PG', allowWrites }, secrets });
  };

  const ended = (reviewId: string): Promise<ReviewEvent> =>
    new Promise<ReviewEvent>((resolve) => {
      const already = seen.get(reviewId)?.find((e) => e.type !== 'progress');
      if (already) resolve(already);
      else ends.set(reviewId, resolve);
    });

  const review = async (input: Parameters<ReviewService['start']>[0]): Promise<{ report: ReviewReport; events: ReviewEvent[] }> => {
    const { reviewId } = await service.start(input);
    const end = await ended(reviewId);
    if (end.type !== 'done') throw new Error(`review ended with ${JSON.stringify(end)}`);
    return { report: end.report, events: seen.get(reviewId)! };
  };

  it('gives the impact on the live data and the proof on that server, commits nothing, and never shows the password', async () => {
    const saved = save(true);
    const { report, events } = await review({ source: { kind: 'path', path: migrations() }, connectionId: saved.id, prove: true });

    expect(report.dialect).toBe('postgres');
    expect(events.filter((e) => e.type === 'progress').map((e) => (e as { phase: string }).phase)).toEqual(expect.arrayContaining(['reading', 'parsing', 'proving', 'impact']));
    // The NULLs on the server make the up of 2 fail in the proof, and impact says why before anyone runs it.
    expect(report.proof?.map((r) => [r.migrationId, r.status])).toEqual([
      ['1', 'reversible'],
      ['2', 'up-failed'],
    ]);
    expect(report.impact?.connection).toMatch(/^Scratch PG \(quarry@127\.0\.0\.1:\d+\/quarry\)$/);
    expect(report.impact?.serverVersion).toMatch(/^15/);
    const setNotNull = report.impact?.statements.find((s) => s.migrationId === '2');
    expect(setNotNull?.table).toMatchObject({ name: 'orders', schema, rows: 200 });
    expect(setNotNull?.blastRadius).toContain(`${schema}.customers`);
    expect(setNotNull?.dataChecks).toContainEqual(expect.objectContaining({ atRisk: true, result: expect.stringMatching(/\b50\b/) }));
    expect(report.findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['up-fails', 'impact-statement-fails']));
    expect(report.findings.filter((f) => f.ruleId === 'impact-failed')).toEqual([]);
    expect(JSON.stringify(report)).not.toContain(':quarry@');

    const columns = await admin.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'orders' ORDER BY 1`, [schema]);
    expect(columns.rows.map((r: { column_name: string }) => r.column_name)).toEqual(['customer_id', 'id', 'shipped_at']);
  });

  it('on a connection that does not allow writes: impact still, the proof refused in the report with the reason', async () => {
    const saved = save(false);
    const { report } = await review({ source: { kind: 'path', path: migrations() }, connectionId: saved.id, prove: true });
    expect(report.impact?.statements.length).toBeGreaterThan(0);
    expect(report.proof?.map((r) => r.status)).toEqual(['skipped', 'skipped']);
    expect(report.findings).toContainEqual(expect.objectContaining({ ruleId: 'proof-not-run', message: expect.stringMatching(/does not allow writes/) }));
  });

  it('refuses migrations of another dialect than the connection, saying both', async () => {
    const saved = save(false);
    const { reviewId } = await service.start({ source: { kind: 'path', path: migrations() }, connectionId: saved.id, dialect: 'mysql' });
    const end = await ended(reviewId);
    expect(end).toMatchObject({ type: 'error', code: 'BAD_INPUT', message: expect.stringMatching(/reviewed as mysql, but the connection Prod PG .* is postgres/) });
  });

  it('proves on a saved MariaDB connection (allowing writes) in a throwaway database it drops afterwards', async () => {
    const observer = await mysql.createConnection({ uri: testMysqlUrl() });
    try {
      const databases = async (): Promise<string[]> => ((await observer.query('show databases'))[0] as Record<string, string>[]).map((r) => Object.values(r)[0]!).sort();
      const before = await databases();
      const { config, secrets } = parseConnectionUrl(testMysqlUrl());
      const saved = connections.save({ config: { ...config, name: 'Scratch MariaDB', allowWrites: true }, secrets });
      const shop = new URL('../../fixtures/review/sandbox/mysql-shop', import.meta.url).pathname;
      const { report } = await review({ source: { kind: 'path', path: shop }, connectionId: saved.id, prove: true });
      expect(report.dialect).toBe('mysql');
      expect(report.proof?.map((r) => [r.migrationId, r.status])).toEqual([
        ['1', 'reversible'],
        ['2', 'not-reversible'],
        ['3', 'down-failed'],
        ['4', 'no-down'],
        ['5', 'up-failed'],
        ['6', 'skipped'],
      ]);
      expect(report.impact?.connection).toMatch(/^Scratch MariaDB \(quarry@127\.0\.0\.1:\d+\/quarry\)$/);
      expect(await databases()).toEqual(before);
    } finally {
      await observer.end();
    }
  });
});
