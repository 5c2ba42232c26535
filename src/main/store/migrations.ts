import type { Database } from 'better-sqlite3';

/**
 * The app store's schema, one entry per version: migrations[i] takes the database from user_version i to i+1.
 * Append only; never edit a migration that has shipped.
 */
export const migrations: ReadonlyArray<(db: Database) => void> = [
  (db) => {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      CREATE TABLE connections (
        id TEXT PRIMARY KEY,
        config TEXT NOT NULL,
        secrets BLOB,
        has_password INTEGER NOT NULL DEFAULT 0,
        has_ssh_password INTEGER NOT NULL DEFAULT 0,
        builtin INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        connection_id TEXT NOT NULL,
        sql TEXT NOT NULL,
        started_at TEXT NOT NULL,
        duration_ms INTEGER,
        row_count INTEGER,
        error TEXT
      );
      CREATE INDEX history_connection ON history (connection_id, id);
      CREATE TABLE saved_queries (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        sql TEXT NOT NULL,
        connection_id TEXT,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE tabs (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        sql TEXT NOT NULL,
        connection_id TEXT,
        position INTEGER NOT NULL,
        saved_query_id TEXT,
        dirty INTEGER NOT NULL DEFAULT 0
      );
    `);
  },
  // Substring search over history: a trigram FTS5 index answers LIKE '%…%' without scanning every row.
  (db) => {
    db.exec(`
      CREATE VIRTUAL TABLE history_fts USING fts5(sql, content='history', content_rowid='id', tokenize='trigram');
      INSERT INTO history_fts (rowid, sql) SELECT id, sql FROM history;
      CREATE TRIGGER history_fts_insert AFTER INSERT ON history BEGIN
        INSERT INTO history_fts (rowid, sql) VALUES (new.id, new.sql);
      END;
      CREATE TRIGGER history_fts_delete AFTER DELETE ON history BEGIN
        INSERT INTO history_fts (history_fts, rowid, sql) VALUES ('delete', old.id, old.sql);
      END;
    `);
  },
  // The AI runtime: answers kept by a hash of everything that decides them, an audit row per generation, and
  // sealed values such as an endpoint's API key, which must not sit in plain settings (the renderer reads those).
  (db) => {
    db.exec(`
      CREATE TABLE generation_cache (
        key TEXT PRIMARY KEY,
        model_identity TEXT NOT NULL,
        text TEXT NOT NULL,
        json TEXT,
        prompt_tokens INTEGER NOT NULL,
        completion_tokens INTEGER NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX generation_cache_created ON generation_cache (created_at);
      CREATE TABLE generation_audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        purpose TEXT NOT NULL,
        provider TEXT NOT NULL,
        model_id TEXT NOT NULL,
        model_sha256 TEXT NOT NULL,
        params TEXT NOT NULL,
        prompt_hash TEXT NOT NULL,
        response_hash TEXT,
        prompt_tokens INTEGER,
        completion_tokens INTEGER,
        prompt_tokens_reused INTEGER,
        duration_ms REAL NOT NULL,
        ttft_ms REAL,
        cached INTEGER NOT NULL DEFAULT 0,
        trimmed TEXT,
        error TEXT
      );
      CREATE TABLE sealed_values (
        key TEXT PRIMARY KEY,
        value BLOB NOT NULL
      );
    `);
  },
];
