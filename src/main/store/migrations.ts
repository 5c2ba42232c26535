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
];
