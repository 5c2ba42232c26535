import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '../../../src/shared/domain/connection';
import { parseConnectionUrl } from '../../../src/shared/domain/connectionUrl';
import { ConnectionService } from '../../../src/main/db/ConnectionService';
import { createDriver } from '../../../src/main/db/createDriver';
import { KeyFileSecretBox } from '../../../src/main/secrets/KeyFileSecretBox';
import { AppStore } from '../../../src/main/store/AppStore';
import { testMysqlUrl, testPgUrl } from '../testEnv';

/** Resolves once a status with this state arrives (or has arrived). */
function waitForState(statuses: ConnectionStatus[], state: ConnectionStatus['state'], from: number): Promise<ConnectionStatus> {
  return new Promise((resolve) => {
    const check = (): void => {
      const found = statuses.slice(from).find((s) => s.state === state);
      if (found) resolve(found);
      else setTimeout(check, 20);
    };
    check();
  });
}

describe('ConnectionService against real servers', () => {
  let dir: string;
  let store: AppStore;
  let service: ConnectionService;
  const statuses: ConnectionStatus[] = [];
  let admin: pg.Client;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'quarry-conn-db-'));
    store = new AppStore({ dataDir: dir });
    service = new ConnectionService({
      store,
      secretBox: new KeyFileSecretBox(join(dir, 'secret.key')),
      createDriver,
      emitStatus: (s) => statuses.push(s),
      reconnectAttempts: 3,
      reconnectBaseDelayMs: 50,
    });
    admin = new pg.Client({ connectionString: testPgUrl() });
    await admin.connect();
    await admin.query("DROP ROLE IF EXISTS quarry_reconnect; CREATE ROLE quarry_reconnect LOGIN PASSWORD 'rc-secret'");
  });

  afterAll(async () => {
    await service.dispose();
    store.dispose();
    await admin.query('DROP ROLE IF EXISTS quarry_reconnect').catch(() => undefined);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('tests saved PostgreSQL and MariaDB connections, and reports a wrong password', async () => {
    for (const url of [testPgUrl(), testMysqlUrl()]) {
      const { config, secrets } = parseConnectionUrl(url);
      const saved = service.save({ config: { ...config, name: url.split(':')[0]! }, secrets });
      const result = await service.test({ id: saved.id });
      expect(result).toMatchObject({ ok: true, readOnly: true });
      expect(result.serverVersion).toMatch(/^\d+\.\d+/);
      // Editing a saved connection: the stored password is used when none is typed.
      await expect(service.test({ id: saved.id, config: saved.config })).resolves.toMatchObject({ ok: true });
      await expect(service.test({ config: saved.config, secrets: { password: 'wrong' } })).rejects.toMatchObject({ code: 'CONNECTION_FAILED' });
    }
  });

  it('reconnects a session whose backend was terminated', async () => {
    const { config } = parseConnectionUrl(testPgUrl());
    const { id } = service.save({ config: { ...config, name: 'reconnect', user: 'quarry_reconnect' }, secrets: { password: 'rc-secret' } });
    const driver = await service.getDriver(id);
    const pid = (await driver.query('SELECT pg_backend_pid() AS pid')).rows[0]![0];
    const from = statuses.length;
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await waitForState(statuses, 'reconnecting', from);
    await waitForState(statuses, 'connected', from);
    const again = await service.getDriver(id);
    const newPid = (await again.query('SELECT pg_backend_pid() AS pid')).rows[0]![0];
    expect(newPid).not.toBe(pid);
  });

  it('gives up with an error status when reconnecting keeps failing, and connects afresh later', async () => {
    const { config } = parseConnectionUrl(testPgUrl());
    const { id } = service.save({ config: { ...config, name: 'doomed', user: 'quarry_reconnect' }, secrets: { password: 'rc-secret' } });
    const driver = await service.getDriver(id);
    const pid = (await driver.query('SELECT pg_backend_pid() AS pid')).rows[0]![0];
    await admin.query('ALTER ROLE quarry_reconnect NOLOGIN');
    const from = statuses.length;
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    const error = await waitForState(statuses, 'error', from);
    expect(error.connectionId).toBe(id);
    expect(statuses.slice(from).filter((s) => s.connectionId === id).map((s) => s.state)).toEqual(['reconnecting', 'error']);

    await admin.query('ALTER ROLE quarry_reconnect LOGIN');
    const fresh = await service.getDriver(id);
    expect((await fresh.query('SELECT 1 AS one')).rows).toEqual([[1]]);
    expect(service.status(id).state).toBe('connected');
  });
});
