import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionConfig, Dialect } from '../../../src/shared/domain/connection';
import type { QueryEvent } from '../../../src/shared/domain/query';
import type { Driver } from '../../../src/main/db/Driver';
import { PostgresDriver } from '../../../src/main/db/drivers/PostgresDriver';
import { SqliteDriver } from '../../../src/main/db/drivers/SqliteDriver';
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

  /** The run's events once its 'done' arrived. */
  done(queryId: string): Promise<QueryEvent[]> {
    const list = this.events.get(queryId);
    if (list?.some((e) => e.type === 'done')) return Promise.resolve(list);
    return new Promise((resolve) => this.waiters.set(queryId, [...(this.waiters.get(queryId) ?? []), resolve]));
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
  return SqliteDriver.open({
    config: { name: 'query tests', dialect: 'sqlite', database: path, allowWrites: true, statementTimeoutMs: 0, connectTimeoutMs: 10_000 },
    secrets: {},
  });
}

export async function openPostgres(url: string): Promise<Driver> {
  return PostgresDriver.open(configFromUrl(url, 'postgres'));
}

export const types = (events: QueryEvent[]): string[] => events.map((e) => e.type).filter((t) => t !== 'progress');
