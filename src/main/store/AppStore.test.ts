import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppStore } from './AppStore';
import { migrations } from './migrations';

describe('AppStore', () => {
  let dir: string;
  let store: AppStore | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'quarry-store-'));
  });
  afterEach(() => {
    store?.dispose();
    store = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the schema in WAL mode and keeps data across reopening', () => {
    store = new AppStore({ dataDir: join(dir, 'data') });
    expect(store.schemaVersion).toBe(migrations.length);
    store.setSetting('theme', { mode: 'dark' });
    store.setSetting('fontSize', 14);
    store.putSavedQuery({ id: 'q1', name: 'Top', sql: 'select 1', updatedAt: '2026-01-01T00:00:00Z' });
    store.replaceTabs([
      { id: 't2', title: 'B', sql: 'select 2', position: 1, dirty: true, connectionId: 'c1' },
      { id: 't1', title: 'A', sql: 'select 1', position: 0, dirty: false, savedQueryId: 'q1' },
    ]);
    store.putConnection({
      id: 'c1', config: { name: 'x', dialect: 'sqlite' }, secrets: Buffer.from([1, 2, 3]), hasPassword: true,
      hasSshPassword: false, builtin: false, createdAt: 'a', updatedAt: 'b',
    });
    store.dispose();

    const raw = new Database(join(dir, 'data', 'quarry.db'), { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();

    store = new AppStore({ dataDir: join(dir, 'data') });
    expect(store.getAllSettings()).toEqual({ fontSize: 14, theme: { mode: 'dark' } });
    store.setSetting('fontSize', undefined);
    expect(store.getSetting('fontSize')).toBeUndefined();
    expect(store.listSavedQueries()).toEqual([{ id: 'q1', name: 'Top', sql: 'select 1', updatedAt: '2026-01-01T00:00:00Z' }]);
    expect(store.listTabs().map((t) => t.id)).toEqual(['t1', 't2']);
    expect(store.listTabs()[1]).toEqual({ id: 't2', title: 'B', sql: 'select 2', position: 1, dirty: true, connectionId: 'c1' });
    const c = store.getConnection('c1')!;
    expect(c.secrets).toEqual(Buffer.from([1, 2, 3]));
    expect(c.hasPassword).toBe(true);
    expect(store.deleteConnection('c1')).toBe(true);
    expect(store.deleteConnection('c1')).toBe(false);
  });

  it('searches history by substring, filters by connection, and caps its size', () => {
    store = new AppStore({ dataDir: dir, historyLimit: 3 });
    for (const [i, sql] of ['SELECT * FROM users', 'select count(*) from orders', 'UPDATE users SET a_b = 1', 'select 100% off'].entries()) {
      store.addHistory({ connectionId: i % 2 ? 'b' : 'a', sql, startedAt: `2026-01-0${i + 1}T00:00:00Z`, durationMs: i, ...(i === 3 && { error: 'boom' }) });
    }
    // Capped at 3: the oldest is gone.
    expect(store.listHistory().map((h) => h.sql)).toEqual(['select 100% off', 'UPDATE users SET a_b = 1', 'select count(*) from orders']);
    expect(store.listHistory({ search: 'USERS' }).map((h) => h.sql)).toEqual(['UPDATE users SET a_b = 1']);
    // LIKE wildcards in the search are literal.
    expect(store.listHistory({ search: '%' }).map((h) => h.sql)).toEqual(['select 100% off']);
    expect(store.listHistory({ search: 'a_b' })).toHaveLength(1);
    expect(store.listHistory({ search: 'ab' })).toHaveLength(0);
    expect(store.listHistory({ connectionId: 'b' }).map((h) => h.sql)).toEqual(['select 100% off', 'select count(*) from orders']);
    expect(store.listHistory({ limit: 1 })[0]).toMatchObject({ sql: 'select 100% off', error: 'boom', durationMs: 3 });
    store.clearHistory();
    expect(store.listHistory({ search: 'select' })).toEqual([]);
  });

  it('migrates a version-1 database, keeping its history searchable', () => {
    const raw = new Database(join(dir, 'quarry.db'));
    migrations[0]!(raw);
    raw.pragma('user_version = 1');
    raw.prepare("INSERT INTO history (connection_id, sql, started_at) VALUES ('c', 'select * from legacy_table', 'now')").run();
    raw.close();

    store = new AppStore({ dataDir: dir });
    expect(store.schemaVersion).toBe(migrations.length);
    expect(store.listHistory({ search: 'legacy' }).map((h) => h.sql)).toEqual(['select * from legacy_table']);
  });

  it('refuses a database written by a newer Quarry', () => {
    const raw = new Database(join(dir, 'quarry.db'));
    raw.pragma(`user_version = ${migrations.length + 1}`);
    raw.close();
    expect(() => new AppStore({ dataDir: dir })).toThrow(/newer Quarry/);
  });
});
