import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StreamMessage } from '../../../src/shared/api/contract';
import { createApp, type App } from '../../../src/main/app';
import { defaultDataDir } from '../../../src/main/defaultDataDir';
import { parseConnectionUrl } from '../../../src/shared/domain/connectionUrl';
import { testPgUrl } from '../testEnv';

describe('createApp and the handlers', () => {
  let dir: string;
  let app: App;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'quarry-app-'));
    app = await createApp({ dataDir: join(dir, 'data'), resourcesDir: join(dir, 'none'), door: 'browser', version: '9.9.9' });
  });
  afterEach(async () => {
    await app.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports app info and keeps settings, saved queries, tabs and history', async () => {
    const call = (m: string, i: unknown) => app.dispatcher.call(m, i);
    expect(await call('app.info', {})).toEqual({ version: '9.9.9', door: 'browser', dataDir: join(dir, 'data'), platform: process.platform });
    await call('settings.set', { key: 'editor.fontSize', value: 15 });
    expect(await call('settings.getAll', {})).toEqual({ 'editor.fontSize': 15 });

    const saved = (await call('savedQueries.save', { name: 'Top customers', sql: 'select 1' })) as { id: string };
    await call('savedQueries.save', { id: saved.id, name: 'Top customers', sql: 'select 2' });
    expect(await call('savedQueries.list', {})).toEqual([expect.objectContaining({ id: saved.id, sql: 'select 2' })]);
    await expect(call('savedQueries.save', { id: 'nope', name: 'x', sql: '' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await call('savedQueries.delete', { id: saved.id });
    expect(await call('savedQueries.list', {})).toEqual([]);

    const tabs = [{ id: 't1', title: 'Query 1', sql: 'select 1', position: 0, dirty: true }];
    await call('tabs.save', { tabs });
    expect(await call('tabs.list', {})).toEqual(tabs);

    const demo = ((await call('connections.list', {})) as { id: string; builtin: boolean }[]).find((c) => c.builtin)!;
    const { queryId } = (await call('query.run', { connectionId: demo.id, sql: 'SELECT 42 AS answer' })) as { queryId: string };
    await new Promise<void>((resolve) => {
      const off = app.dispatcher.subscribe((m) => {
        if (m.stream === 'query' && m.id === queryId && (m.event as { type: string }).type === 'done') {
          off();
          resolve();
        }
      });
    });
    const history = (await call('history.list', { search: '42 AS' })) as { sql: string; connectionId: string }[];
    expect(history).toEqual([expect.objectContaining({ sql: 'SELECT 42 AS answer', connectionId: demo.id })]);
    await call('history.clear', {});
    expect(await call('history.list', {})).toEqual([]);

    // Dispose closes the sessions and the store, once.
    const driver = await app.connections.getDriver(demo.id);
    expect(driver.isAlive()).toBe(true);
    await app.dispose();
    expect(driver.isAlive()).toBe(false);
    expect(() => app.store.listTabs()).toThrow();
    await app.dispose();
  });

  it('saves a connection through the API without ever returning or storing its password in clear', async () => {
    // A password of its own: the test servers' default one is also their user and database name.
    const admin = new pg.Client({ connectionString: testPgUrl() });
    await admin.connect();
    const secrets = { password: 'app-test-S3cret-9f2c' };
    await admin.query(`DROP ROLE IF EXISTS quarry_app_test; CREATE ROLE quarry_app_test LOGIN PASSWORD '${secrets.password}'`);
    await admin.end();
    const config = { ...parseConnectionUrl(testPgUrl()).config, user: 'quarry_app_test' };
    const events: StreamMessage[] = [];
    app.dispatcher.subscribe((m) => events.push(m));
    const info = (await app.dispatcher.call('connections.save', { config: { ...config, name: 'pg' }, secrets })) as { id: string; hasPassword: boolean };
    expect(info.hasPassword).toBe(true);
    expect(JSON.stringify(await app.dispatcher.call('connections.list', {}))).not.toContain(secrets.password);
    expect(await app.dispatcher.call('connections.connect', { id: info.id })).toMatchObject({ state: 'connected', readOnly: true });
    expect(events.filter((e) => e.stream === 'connectionStatus').map((e) => (e.event as { state: string }).state)).toEqual(['connecting', 'connected']);
    const schema = (await app.dispatcher.call('schema.get', { connectionId: info.id })) as { dialect: string };
    expect(schema.dialect).toBe('postgres');
    await app.dispatcher.call('connections.disconnect', { id: info.id });
    expect(await app.dispatcher.call('connections.status', {})).toEqual(expect.arrayContaining([expect.objectContaining({ connectionId: info.id, state: 'disconnected' })]));

    await app.dispose();
    for (const f of readdirSync(join(dir, 'data')).filter((f) => f.startsWith('quarry.db'))) {
      expect(readFileSync(join(dir, 'data', f)).includes(Buffer.from(secrets.password))).toBe(false);
    }
    // A reopened app decrypts with the same key file.
    app = await createApp({ dataDir: join(dir, 'data'), resourcesDir: join(dir, 'none'), door: 'cli' });
    expect(app.connections.resolve(info.id).secrets.password).toBe(secrets.password);
    expect(app.connections.list().filter((c) => c.builtin)).toHaveLength(1);
  });

  it('finds the default data dir like Electron does', () => {
    expect(defaultDataDir({ QUARRY_DATA_DIR: '/x/q' }, 'linux')).toBe('/x/q');
    expect(defaultDataDir({ HOME: '/home/a' }, 'linux')).toBe('/home/a/.config/Quarry');
    expect(defaultDataDir({ HOME: '/home/a', XDG_CONFIG_HOME: '/cfg' }, 'linux')).toBe('/cfg/Quarry');
    expect(defaultDataDir({ HOME: '/Users/a' }, 'darwin')).toBe('/Users/a/Library/Application Support/Quarry');
    expect(defaultDataDir({ HOME: 'C:\\Users\\a', APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toMatch(/Roaming[\\/]Quarry$/);
  });
});
