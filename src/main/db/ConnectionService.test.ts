import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '../../shared/domain/connection';
import { ApiError } from '../../shared/api/errors';
import { KeyFileSecretBox } from '../secrets/KeyFileSecretBox';
import { AppStore } from '../store/AppStore';
import { ConnectionService } from './ConnectionService';
import { createDriver } from './createDriver';

const PASSWORD = 'correct-horse-battery-staple-42';

describe('ConnectionService', () => {
  let dir: string;
  let store: AppStore;
  let service: ConnectionService;
  let statuses: ConnectionStatus[];
  let dbFile: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'quarry-connections-'));
    store = new AppStore({ dataDir: join(dir, 'data') });
    statuses = [];
    service = new ConnectionService({
      store,
      secretBox: new KeyFileSecretBox(join(dir, 'data', 'secret.key')),
      createDriver,
      emitStatus: (s) => statuses.push(s),
    });
    dbFile = join(dir, 'shop.sqlite');
    const db = new Database(dbFile);
    db.exec("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL); INSERT INTO items (name) VALUES ('apple'), ('pear');");
    db.close();
  });

  afterEach(async () => {
    await service.dispose();
    store.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores secrets encrypted, never returns them, keeps them on undefined and clears them on empty', () => {
    const saved = service.save({ config: { name: 'Prod', dialect: 'postgres', host: '127.0.0.1', user: 'app' }, secrets: { password: PASSWORD, sshPassphrase: 'pp' } });
    expect(saved).toMatchObject({ hasPassword: true, hasSshPassword: false, builtin: false, config: { name: 'Prod', allowWrites: false, connectTimeoutMs: 10_000 } });
    expect(JSON.stringify(service.list())).not.toContain(PASSWORD);
    expect(service.resolve(saved.id).secrets).toEqual({ password: PASSWORD, sshPassphrase: 'pp' });

    // Checkpoint so the WAL is folded in too; neither file may hold the plaintext.
    store.dispose();
    const files = readdirSync(join(dir, 'data')).filter((f) => f.startsWith('quarry.db'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(readFileSync(join(dir, 'data', f)).includes(Buffer.from(PASSWORD))).toBe(false);
    store = new AppStore({ dataDir: join(dir, 'data') });
    service = new ConnectionService({ store, secretBox: new KeyFileSecretBox(join(dir, 'data', 'secret.key')), createDriver, emitStatus: () => undefined });

    service.save({ id: saved.id, config: { name: 'Prod 2', dialect: 'postgres', host: '127.0.0.1' } });
    expect(service.resolve(saved.id).secrets.password).toBe(PASSWORD);
    service.save({ id: saved.id, config: { name: 'Prod 2', dialect: 'postgres' }, secrets: { password: '' } });
    expect(service.resolve(saved.id).secrets).toEqual({ sshPassphrase: 'pp' });
    expect(service.get(saved.id).hasPassword).toBe(false);
  });

  it('validates configs and reports unknown ids', async () => {
    expect(() => service.save({ config: { name: '', dialect: 'sqlite' } })).toThrow(ApiError);
    expect(() => service.save({ config: { name: 'x', dialect: 'oracle' as 'sqlite' } })).toThrow(/dialect/);
    expect(() => service.save({ id: 'nope', config: { name: 'x', dialect: 'sqlite' } })).toThrow(/No saved connection/);
    await expect(service.getDriver('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('adds the demo connection once, generating the database when none ships', async () => {
    service.ensureDemoConnection({ resourcesDir: join(dir, 'none'), dataDir: join(dir, 'data'), generateDemoDb: (path) => new Database(path).close() });
    service.ensureDemoConnection({ resourcesDir: join(dir, 'none'), dataDir: join(dir, 'data'), generateDemoDb: () => { throw new Error('not again'); } });
    const demos = service.list().filter((c) => c.builtin);
    expect(demos).toHaveLength(1);
    expect(demos[0]!.config).toMatchObject({ dialect: 'sqlite', database: join(dir, 'data', 'demo.sqlite'), allowWrites: false });
    expect(existsSync(join(dir, 'data', 'demo.sqlite'))).toBe(true);

    // Deleted by the user: it stays deleted.
    await service.delete(demos[0]!.id);
    service.ensureDemoConnection({ resourcesDir: join(dir, 'none'), dataDir: join(dir, 'data'), generateDemoDb: (path) => new Database(path).close() });
    expect(service.list().filter((c) => c.builtin)).toHaveLength(0);
  });

  it('uses a shipped demo database in place', () => {
    const resources = join(dir, 'resources');
    mkdirSync(resources);
    new Database(join(resources, 'demo.sqlite')).close();
    service.ensureDemoConnection({ resourcesDir: resources, dataDir: join(dir, 'data'), generateDemoDb: () => { throw new Error('must not generate'); } });
    expect(service.list()[0]).toMatchObject({ builtin: true, config: { name: 'Demo (SQLite)', database: join(resources, 'demo.sqlite') } });
  });

  it('tests a config without keeping a session', async () => {
    const result = await service.test({ config: { name: 'shop', dialect: 'sqlite', database: dbFile } });
    expect(result).toMatchObject({ ok: true, readOnly: true });
    expect(result.serverVersion).toMatch(/^3\.\d+/);
    expect(service.statuses()).toEqual([]);
    await expect(service.test({ config: { name: 'gone', dialect: 'sqlite', database: join(dir, 'missing', 'x.sqlite') } })).rejects.toBeInstanceOf(ApiError);
  });

  it('connects lazily, once, reports status, caches the schema and disconnects', async () => {
    const { id } = service.save({ config: { name: 'shop', dialect: 'sqlite', database: dbFile } });
    expect(service.status(id).state).toBe('disconnected');
    const [a, b] = await Promise.all([service.getDriver(id), service.getDriver(id)]);
    expect(a).toBe(b);
    expect(await service.getDriver(id)).toBe(a);
    expect(statuses.map((s) => s.state)).toEqual(['connecting', 'connected']);
    expect(service.statuses()).toEqual([expect.objectContaining({ connectionId: id, state: 'connected', readOnly: true })]);

    const schema = await service.getSchema(id);
    expect(schema.schemas[0]?.tables.map((t) => t.name)).toContain('items');
    expect(await service.getSchema(id)).toBe(schema);
    expect(await service.getSchema(id, true)).not.toBe(schema);

    await service.disconnect(id);
    expect(a.isAlive()).toBe(false);
    expect(service.status(id).state).toBe('disconnected');
    const again = await service.getDriver(id);
    expect(again).not.toBe(a);
    expect((await again.query('SELECT count(*) AS n FROM items')).rows).toEqual([[2]]);

    await service.delete(id);
    expect(again.isAlive()).toBe(false);
    expect(() => service.get(id)).toThrow(/No saved connection/);
  });

  it('reports a failed connect as an error status', async () => {
    const { id } = service.save({ config: { name: 'gone', dialect: 'sqlite', database: join(dir, 'missing', 'x.sqlite') } });
    await expect(service.getDriver(id)).rejects.toBeInstanceOf(ApiError);
    expect(service.status(id)).toMatchObject({ state: 'error', error: { code: expect.any(String), message: expect.any(String) } });
  });
});
