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

/** An answer kept in the generation cache, under generationCacheKey(). */
export interface CachedGeneration {
  key: string;
  modelIdentity: string;
  text: string;
  /** The parsed JSON answer, when the request asked for JSON. */
  json?: unknown;
  promptTokens: number;
  completionTokens: number;
  createdAt: string;
}

/** One row of the generation audit log: hashes, never the prompt or the answer themselves. */
export interface GenerationAuditEntry {
  id: number;
  at: string;
  purpose: string;
  provider: 'local' | 'openai';
  modelId: string;
  /** The model file's sha256; for an endpoint, '' (its weights are not ours to hash). */
  modelSha256: string;
  /** maxTokens, temperature, seed, whether JSON was asked for (and the schema's hash). */
  params: Record<string, unknown>;
  promptHash: string;
  /** Absent when the generation failed. */
  responseHash?: string;
  promptTokens?: number;
  completionTokens?: number;
  promptTokensReused?: number;
  durationMs: number;
  timeToFirstTokenMs?: number;
  cached: boolean;
  trimmed?: string;
  /** The error's code and message, when it failed. */
  error?: string;
}

export type NewGenerationAuditEntry = Omit<GenerationAuditEntry, 'id'>;

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

  // --- generation cache, audit, sealed values (the AI runtime) ---

  getCachedGeneration(key: string): CachedGeneration | undefined {
    const r = this.#db.prepare('SELECT * FROM generation_cache WHERE key = ?').get(key) as GenerationCacheRecord | undefined;
    if (!r) return undefined;
    return {
      key: r.key,
      modelIdentity: r.model_identity,
      text: r.text,
      promptTokens: r.prompt_tokens,
      completionTokens: r.completion_tokens,
      createdAt: r.created_at,
      ...(r.json !== null && { json: JSON.parse(r.json) as unknown }),
    };
  }

  /** Keeps the newest `limit` answers (defaults to 2000): a cache, not an archive. */
  putCachedGeneration(entry: CachedGeneration, limit = 2000): void {
    const put = this.#db.transaction((e: CachedGeneration) => {
      this.#db
        .prepare(
          `INSERT INTO generation_cache (key, model_identity, text, json, prompt_tokens, completion_tokens, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET text = excluded.text, json = excluded.json, prompt_tokens = excluded.prompt_tokens,
             completion_tokens = excluded.completion_tokens, created_at = excluded.created_at`,
        )
        .run(e.key, e.modelIdentity, e.text, e.json === undefined ? null : JSON.stringify(e.json), e.promptTokens, e.completionTokens, e.createdAt);
      this.#db
        .prepare('DELETE FROM generation_cache WHERE key NOT IN (SELECT key FROM generation_cache ORDER BY created_at DESC, rowid DESC LIMIT ?)')
        .run(Math.max(0, Math.floor(limit)));
    });
    put(entry);
  }

  clearGenerationCache(): void {
    this.#db.prepare('DELETE FROM generation_cache').run();
  }

  addGenerationAudit(entry: NewGenerationAuditEntry): number {
    return Number(
      this.#db
        .prepare(
          `INSERT INTO generation_audit (at, purpose, provider, model_id, model_sha256, params, prompt_hash, response_hash,
             prompt_tokens, completion_tokens, prompt_tokens_reused, duration_ms, ttft_ms, cached, trimmed, error)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          entry.at,
          entry.purpose,
          entry.provider,
          entry.modelId,
          entry.modelSha256,
          JSON.stringify(entry.params),
          entry.promptHash,
          entry.responseHash ?? null,
          entry.promptTokens ?? null,
          entry.completionTokens ?? null,
          entry.promptTokensReused ?? null,
          entry.durationMs,
          entry.timeToFirstTokenMs ?? null,
          entry.cached ? 1 : 0,
          entry.trimmed ?? null,
          entry.error ?? null,
        ).lastInsertRowid,
    );
  }

  /** Newest first. `limit` defaults to 200. */
  listGenerationAudit(limit = 200): GenerationAuditEntry[] {
    const rows = this.#db.prepare('SELECT * FROM generation_audit ORDER BY id DESC LIMIT ?').all(limit) as GenerationAuditRecord[];
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      purpose: r.purpose,
      provider: r.provider,
      modelId: r.model_id,
      modelSha256: r.model_sha256,
      params: JSON.parse(r.params) as Record<string, unknown>,
      promptHash: r.prompt_hash,
      durationMs: r.duration_ms,
      cached: r.cached === 1,
      ...(r.response_hash !== null && { responseHash: r.response_hash }),
      ...(r.prompt_tokens !== null && { promptTokens: r.prompt_tokens }),
      ...(r.completion_tokens !== null && { completionTokens: r.completion_tokens }),
      ...(r.prompt_tokens_reused !== null && { promptTokensReused: r.prompt_tokens_reused }),
      ...(r.ttft_ms !== null && { timeToFirstTokenMs: r.ttft_ms }),
      ...(r.trimmed !== null && { trimmed: r.trimmed }),
      ...(r.error !== null && { error: r.error }),
    }));
  }

  /** A value sealed by the SecretBox (never plain text; settings are readable by the renderer, these are not). */
  getSealedValue(key: string): Buffer | undefined {
    const r = this.#db.prepare('SELECT value FROM sealed_values WHERE key = ?').get(key) as { value: Buffer } | undefined;
    return r?.value;
  }

  /** undefined removes the key. */
  setSealedValue(key: string, value: Buffer | undefined): void {
    if (value === undefined) this.#db.prepare('DELETE FROM sealed_values WHERE key = ?').run(key);
    else this.#db.prepare('INSERT INTO sealed_values (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  dispose(): void {
    if (this.#db.open) this.#db.close();
  }
}

interface GenerationCacheRecord {
  key: string;
  model_identity: string;
  text: string;
  json: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  created_at: string;
}

interface GenerationAuditRecord {
  id: number;
  at: string;
  purpose: string;
  provider: 'local' | 'openai';
  model_id: string;
  model_sha256: string;
  params: string;
  prompt_hash: string;
  response_hash: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  prompt_tokens_reused: number | null;
  duration_ms: number;
  ttft_ms: number | null;
  cached: number;
  trimmed: string | null;
  error: string | null;
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
