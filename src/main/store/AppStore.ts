import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EditorTab, HistoryEntry, SavedQuery } from '../../shared/domain/query';
import { migrations } from './migrations';

export interface AppStoreOptions {
  /** Folder holding quarry.db; created if missing. */
  dataDir: string;
  /** History entries kept; older ones are dropped. Defaults to 5000. */
  historyLimit?: number;
  /** Milliseconds to wait for another process holding the write lock. Defaults to 5000. */
  busyTimeoutMs?: number;
}

/** A saved connection as stored: the config as JSON (validated by ConnectionService), secrets sealed. */
export interface ConnectionRow {
  id: string;
  config: unknown;
  secrets: Buffer | null;
  hasPassword: boolean;
  hasSshPassword: boolean;
  builtin: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A history row before the store numbers it. */
export type NewHistoryEntry = Omit<HistoryEntry, 'id'>;

export interface HistoryQuery {
  /** Substring, case-insensitive. */
  search?: string;
  connectionId?: string;
  /** Defaults to 200. */
  limit?: number;
}

interface HistoryRecord {
  id: number;
  connection_id: string;
  sql: string;
  started_at: string;
  duration_ms: number | null;
  row_count: number | null;
  error: string | null;
}

/**
 * The app's own SQLite database (`<dataDir>/quarry.db`): settings, saved connections, query history, saved
 * queries and open tabs. WAL mode so the CLI can read while the app writes.
 */
export class AppStore {
  readonly path: string;
  readonly #db: Database.Database;
  readonly #historyLimit: number;

  constructor(options: AppStoreOptions) {
    mkdirSync(options.dataDir, { recursive: true });
    this.path = join(options.dataDir, 'quarry.db');
    this.#historyLimit = options.historyLimit ?? 5000;
    this.#db = new Database(this.path);
    try {
      this.#db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      this.#db.pragma('journal_mode = WAL');
      this.#db.pragma('foreign_keys = ON');
      migrate(this.#db, this.path);
    } catch (error) {
      this.#db.close();
      throw error;
    }
  }

  get schemaVersion(): number {
    return this.#db.pragma('user_version', { simple: true }) as number;
  }

  // --- settings ---

  getAllSettings(): Record<string, unknown> {
    const rows = this.#db.prepare('SELECT key, value FROM settings ORDER BY key').all() as { key: string; value: string }[];
    return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
  }

  getSetting(key: string): unknown {
    const row = this.#db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
  }

  /** undefined removes the key. */
  setSetting(key: string, value: unknown): void {
    if (value === undefined) {
      this.#db.prepare('DELETE FROM settings WHERE key = ?').run(key);
      return;
    }
    this.#db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, JSON.stringify(value));
  }

  // --- connections ---

  listConnections(): ConnectionRow[] {
    const rows = this.#db.prepare('SELECT * FROM connections ORDER BY builtin DESC, created_at, id').all() as ConnectionRecord[];
    return rows.map(toConnectionRow);
  }

  getConnection(id: string): ConnectionRow | undefined {
    const row = this.#db.prepare('SELECT * FROM connections WHERE id = ?').get(id) as ConnectionRecord | undefined;
    return row && toConnectionRow(row);
  }

  /** Inserts or replaces the row with this id. */
  putConnection(row: ConnectionRow): void {
    this.#db
      .prepare(
        `INSERT INTO connections (id, config, secrets, has_password, has_ssh_password, builtin, created_at, updated_at)
         VALUES (@id, @config, @secrets, @hasPassword, @hasSshPassword, @builtin, @createdAt, @updatedAt)
         ON CONFLICT (id) DO UPDATE SET config = excluded.config, secrets = excluded.secrets,
           has_password = excluded.has_password, has_ssh_password = excluded.has_ssh_password,
           builtin = excluded.builtin, updated_at = excluded.updated_at`,
      )
      .run({
        id: row.id,
        config: JSON.stringify(row.config),
        secrets: row.secrets,
        hasPassword: row.hasPassword ? 1 : 0,
        hasSshPassword: row.hasSshPassword ? 1 : 0,
        builtin: row.builtin ? 1 : 0,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
      });
  }

  /** Returns false when there was no such connection. */
  deleteConnection(id: string): boolean {
    return this.#db.prepare('DELETE FROM connections WHERE id = ?').run(id).changes > 0;
  }

  // --- history ---

  addHistory(entry: NewHistoryEntry): number {
    const add = this.#db.transaction((e: NewHistoryEntry) => {
      const id = Number(
        this.#db
          .prepare('INSERT INTO history (connection_id, sql, started_at, duration_ms, row_count, error) VALUES (?, ?, ?, ?, ?, ?)')
          .run(e.connectionId, e.sql, e.startedAt, e.durationMs ?? null, e.rowCount ?? null, e.error ?? null).lastInsertRowid,
      );
      this.#db.prepare('DELETE FROM history WHERE id <= ?').run(id - this.#historyLimit);
      return id;
    });
    return add(entry);
  }

  listHistory(query: HistoryQuery = {}): HistoryEntry[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.search) {
      // The trigram index serves LIKE for patterns of three characters or more; shorter ones scan, which the cap keeps cheap.
      where.push(`id IN (SELECT rowid FROM history_fts WHERE sql LIKE ? ESCAPE '\\')`);
      params.push(`%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    if (query.connectionId) {
      where.push('connection_id = ?');
      params.push(query.connectionId);
    }
    const sql = `SELECT * FROM history ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    const rows = this.#db.prepare(sql).all(...params, query.limit ?? 200) as HistoryRecord[];
    return rows.map((r) => ({
      id: r.id,
      connectionId: r.connection_id,
      sql: r.sql,
      startedAt: r.started_at,
      ...(r.duration_ms !== null && { durationMs: r.duration_ms }),
      ...(r.row_count !== null && { rowCount: r.row_count }),
      ...(r.error !== null && { error: r.error }),
    }));
  }

  clearHistory(): void {
    this.#db.prepare('DELETE FROM history').run();
  }

  // --- saved queries ---

  listSavedQueries(): SavedQuery[] {
    const rows = this.#db.prepare('SELECT * FROM saved_queries ORDER BY name COLLATE NOCASE, id').all() as SavedQueryRecord[];
    return rows.map(toSavedQuery);
  }

  getSavedQuery(id: string): SavedQuery | undefined {
    const row = this.#db.prepare('SELECT * FROM saved_queries WHERE id = ?').get(id) as SavedQueryRecord | undefined;
    return row && toSavedQuery(row);
  }

  putSavedQuery(query: SavedQuery): void {
    this.#db
      .prepare(
        `INSERT INTO saved_queries (id, name, sql, connection_id, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, sql = excluded.sql,
           connection_id = excluded.connection_id, updated_at = excluded.updated_at`,
      )
      .run(query.id, query.name, query.sql, query.connectionId ?? null, query.updatedAt);
  }

  deleteSavedQuery(id: string): boolean {
    return this.#db.prepare('DELETE FROM saved_queries WHERE id = ?').run(id).changes > 0;
  }

  // --- tabs ---

  listTabs(): EditorTab[] {
    const rows = this.#db.prepare('SELECT * FROM tabs ORDER BY position, id').all() as TabRecord[];
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      sql: r.sql,
      position: r.position,
      dirty: r.dirty === 1,
      ...(r.connection_id !== null && { connectionId: r.connection_id }),
      ...(r.saved_query_id !== null && { savedQueryId: r.saved_query_id }),
    }));
  }

  replaceTabs(tabs: readonly EditorTab[]): void {
    const replace = this.#db.transaction((all: readonly EditorTab[]) => {
      this.#db.prepare('DELETE FROM tabs').run();
      const insert = this.#db.prepare(
        'INSERT INTO tabs (id, title, sql, connection_id, position, saved_query_id, dirty) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      for (const t of all) insert.run(t.id, t.title, t.sql, t.connectionId ?? null, t.position, t.savedQueryId ?? null, t.dirty ? 1 : 0);
    });
    replace(tabs);
  }

  dispose(): void {
    if (this.#db.open) this.#db.close();
  }
}

interface ConnectionRecord {
  id: string;
  config: string;
  secrets: Buffer | null;
  has_password: number;
  has_ssh_password: number;
  builtin: number;
  created_at: string;
  updated_at: string;
}

interface SavedQueryRecord {
  id: string;
  name: string;
  sql: string;
  connection_id: string | null;
  updated_at: string;
}

interface TabRecord {
  id: string;
  title: string;
  sql: string;
  connection_id: string | null;
  position: number;
  saved_query_id: string | null;
  dirty: number;
}

function toConnectionRow(r: ConnectionRecord): ConnectionRow {
  return {
    id: r.id,
    config: JSON.parse(r.config) as unknown,
    secrets: r.secrets,
    hasPassword: r.has_password === 1,
    hasSshPassword: r.has_ssh_password === 1,
    builtin: r.builtin === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toSavedQuery(r: SavedQueryRecord): SavedQuery {
  return {
    id: r.id,
    name: r.name,
    sql: r.sql,
    updatedAt: r.updated_at,
    ...(r.connection_id !== null && { connectionId: r.connection_id }),
  };
}

function migrate(db: Database.Database, path: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(
      `${path} has schema version ${current}, but this Quarry knows versions up to ${migrations.length}; it was written by a newer Quarry. Update Quarry or use another data dir.`,
    );
  }
  for (let version = current; version < migrations.length; version++) {
    const step = migrations[version]!;
    db.transaction(() => {
      step(db);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
