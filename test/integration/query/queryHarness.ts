import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionConfig, Dialect } from '../../../src/shared/domain/connection';
import type { QueryEvent } from '../../../src/shared/domain/query';
import type { Driver } from '../../../src/main/db/Driver';
import { createDriver } from '../../../src/main/db/createDriver';
import { QueryService, type QueryServiceDeps } from '../../../src/main/query/QueryService';

type HistoryEntry = Parameters<QueryServiceDeps['recordHistory']>[0];

/** A QueryService over one real driver, recording every event and history entry it produces. */
export class QueryHarness {
  readonly events = new Map<string, QueryEvent[]>();
  readonly history: HistoryEntry[] = [];
  readonly spoolDir: string;
  readonly service: QueryService;
  private readonly waiters = new Map<string, ((events: QueryEvent[]) => void)[]>();
  private readonly listeners: ((id: string, e: QueryEvent) => void)[] = [];

  constructor(readonly driver: Driver) {
    this.spoolDir = mkdtempSync(join(tmpdir(), 'quarry-query-test-'));
    this.service = new QueryService({
      getDriver: async () => driver,
      recordHistory: (entry) => this.history.push(entry),
      emit: (id, event) => {
        const list = this.events.get(id) ?? [];
        list.push(event);
        this.events.set(id, list);
        for (const l of this.listeners) l(id, event);
        if (event.type === 'done') for (const w of this.waiters.get(id) ?? []) w(list);
      },
      spoolDir: this.spoolDir,
    });
  }

  onEvent(listener: (id: string, e: QueryEvent) => void): void {
    this.listeners.push(listener);
  }

  /** The run's events once its 'done' arrived; rejects with the events so far after `timeoutMs` (default 45 s). */
  done(queryId: string, timeoutMs = 45_000): Promise<QueryEvent[]> {
    const list = this.events.get(queryId);
    if (list?.some((e) => e.type === 'done')) return Promise.resolve(list);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`query ${queryId} did not finish within ${timeoutMs} ms; events so far: ${JSON.stringify(this.events.get(queryId) ?? [])}`));
      }, timeoutMs);
      const settle = (events: QueryEvent[]): void => {
        clearTimeout(timer);
        resolve(events);
      };
      this.waiters.set(queryId, [...(this.waiters.get(queryId) ?? []), settle]);
    });
  }

  /** Run and wait for 'done'. */
  async runToEnd(sql: string, extra: { baseOffset?: number; confirmDestructive?: boolean } = {}): Promise<{ queryId: string; events: QueryEvent[] }> {
    const { queryId } = await this.service.run({ connectionId: 'c1', sql, ...extra });
    return { queryId, events: await this.done(queryId) };
  }

  spoolFiles(): string[] {
    return readdirSync(this.spoolDir);
  }

  async dispose(): Promise<void> {
    await this.service.dispose();
    await this.driver.dispose();
    rmSync(this.spoolDir, { recursive: true, force: true });
  }
}

export function configFromUrl(url: string, dialect: Dialect): { config: ConnectionConfig; secrets: { password?: string } } {
  const u = new URL(url);
  return {
    config: {
      name: 'query tests',
      dialect,
      host: u.hostname,
      port: Number(u.port),
      user: decodeURIComponent(u.username),
      database: u.pathname.slice(1),
      tls: 'prefer',
      allowWrites: true,
      statementTimeoutMs: 0,
      connectTimeoutMs: 10_000,
    },
    secrets: { password: decodeURIComponent(u.password) },
  };
}

export async function openSqlite(path: string): Promise<Driver> {
  return createDriver({
    config: { name: 'query tests', dialect: 'sqlite', database: path, allowWrites: true, statementTimeoutMs: 0, connectTimeoutMs: 10_000 },
    secrets: {},
  });
}

export async function openServer(url: string, dialect: 'postgres' | 'mysql'): Promise<Driver> {
  return createDriver(configFromUrl(url, dialect));
}

export const types = (events: QueryEvent[]): string[] => events.map((e) => e.type).filter((t) => t !== 'progress');
