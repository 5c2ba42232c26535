import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../shared/api/errors';
import type { TestResult } from '../../shared/api/contract';
import {
  connectionConfigSchema,
  connectionSecretsSchema,
  type ConnectionConfig,
  type ConnectionConfigInput,
  type ConnectionInfo,
  type ConnectionSecrets,
  type ConnectionStatus,
} from '../../shared/domain/connection';
import type { SchemaModel } from '../../shared/domain/SchemaModel';
import type { AppStore, ConnectionRow } from '../store/AppStore';
import type { SecretBox } from '../secrets/SecretBox';
import type { Driver, DriverFactory } from './Driver';

export interface ConnectionServiceDeps {
  store: AppStore;
  secretBox: SecretBox;
  createDriver: DriverFactory;
  /** Publishes a 'connectionStatus' stream event. */
  emitStatus(status: ConnectionStatus): void;
  /** Reconnect attempts after a dropped connection before giving up with 'error'. Defaults to 5. */
  reconnectAttempts?: number;
  /** Delay before the first reconnect attempt, doubled after each failure (capped at 10 s). Defaults to 500 ms. */
  reconnectBaseDelayMs?: number;
}

export interface DemoOptions {
  /** Where a shipped demo.sqlite may be found. */
  resourcesDir: string;
  /** Where the demo is generated when none ships. */
  dataDir: string;
  generateDemoDb(path: string): void;
}

interface Session {
  driver?: Driver;
  /** Set while connecting or reconnecting; getDriver waits on it. */
  pending?: Promise<Driver>;
  status: ConnectionStatus;
  stopListening?: () => void;
  /** Bumped on close, so a late connect or reconnect knows it lost the race. */
  generation: number;
}

const DEMO_NAME = 'Demo (SQLite)';
const DEMO_REMOVED_SETTING = 'connections.demoRemoved';

/**
 * Saved connections and the one workspace session per connection. Sessions connect lazily on first use,
 * report their state on the connectionStatus stream, and reconnect by themselves after a dropped connection.
 */
export class ConnectionService {
  readonly #deps: ConnectionServiceDeps;
  readonly #sessions = new Map<string, Session>();
  readonly #schemas = new Map<string, SchemaModel>();
  #disposed = false;

  constructor(deps: ConnectionServiceDeps) {
    this.#deps = deps;
  }

  // --- saved connections ---

  list(): ConnectionInfo[] {
    return this.#deps.store.listConnections().map((row) => this.#toInfo(row));
  }

  get(id: string): ConnectionInfo {
    return this.#toInfo(this.#row(id));
  }

  /** Finds a saved connection by its name (case-insensitive), for the CLI. */
  findByName(name: string): ConnectionInfo | undefined {
    const wanted = name.toLowerCase();
    return this.list().find((c) => c.config.name.toLowerCase() === wanted);
  }

  /** Create (no id) or update. Secrets left undefined keep what is stored; '' clears one. */
  save(input: { id?: string; config: ConnectionConfigInput; secrets?: ConnectionSecrets; builtin?: boolean }): ConnectionInfo {
    const parsed = connectionConfigSchema.safeParse(input.config);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ApiError('BAD_INPUT', `Invalid connection: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'bad config'}.`, {
        issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
      });
    }
    const existing = input.id === undefined ? undefined : this.#deps.store.getConnection(input.id);
    if (input.id !== undefined && !existing) throw new ApiError('NOT_FOUND', `No saved connection with id ${input.id}.`);
    const secrets = mergeSecrets(existing ? this.#secretsOf(existing) : {}, input.secrets);
    const now = new Date().toISOString();
    const row: ConnectionRow = {
      id: existing?.id ?? randomUUID(),
      config: parsed.data,
      secrets: Object.keys(secrets).length > 0 ? this.#deps.secretBox.encrypt(JSON.stringify(secrets)) : null,
      hasPassword: Boolean(secrets.password),
      hasSshPassword: Boolean(secrets.sshPassword),
      builtin: existing?.builtin ?? input.builtin ?? false,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    this.#deps.store.putConnection(row);
    if (existing) {
      // The open session was made from the old config; the next use connects with the new one.
      this.#schemas.delete(row.id);
      void this.disconnect(row.id);
    }
    return this.#toInfo(row);
  }

  async delete(id: string): Promise<void> {
    const row = this.#row(id);
    // Remember that the user removed the demo, so the next start does not bring it back.
    if (row.builtin) this.#deps.store.setSetting(DEMO_REMOVED_SETTING, true);
    await this.disconnect(id);
    this.#schemas.delete(id);
    this.#sessions.delete(id);
    this.#deps.store.deleteConnection(id);
  }

  /** The stored config and decrypted secrets of a saved connection, for drivers only; never send them to the renderer. */
  resolve(id: string): { config: ConnectionConfig; secrets: ConnectionSecrets } {
    const row = this.#row(id);
    return { config: this.#configOf(row), secrets: this.#secretsOf(row) };
  }

  /**
   * Adds the demo connection on first start (unless the user deleted it since); recreates a generated demo
   * file that went missing.
   */
  ensureDemoConnection(demo: DemoOptions): void {
    const builtin = this.#deps.store.listConnections().find((c) => c.builtin);
    if (!builtin && this.#deps.store.getSetting(DEMO_REMOVED_SETTING) === true) return;
    if (builtin) {
      const config = this.#configOf(builtin);
      const generated = join(demo.dataDir, 'demo.sqlite');
      if (config.database === generated && !existsSync(generated)) demo.generateDemoDb(generated);
      return;
    }
    const shipped = join(demo.resourcesDir, 'demo.sqlite');
    let database = shipped;
    if (!existsSync(shipped)) {
      database = join(demo.dataDir, 'demo.sqlite');
      if (!existsSync(database)) demo.generateDemoDb(database);
    }
    this.save({ config: { name: DEMO_NAME, dialect: 'sqlite', database, allowWrites: false }, builtin: true });
  }

  // --- testing a config ---

  async test(input: { id?: string; config?: ConnectionConfigInput; secrets?: ConnectionSecrets }): Promise<TestResult> {
    let config: ConnectionConfig;
    let secrets: ConnectionSecrets;
    if (input.config) {
      const parsed = connectionConfigSchema.safeParse(input.config);
      if (!parsed.success) throw new ApiError('BAD_INPUT', `Invalid connection: ${parsed.error.issues[0]?.message ?? 'bad config'}.`);
      config = parsed.data;
      // Testing an edited saved connection: secrets not re-typed are the stored ones.
      const stored = input.id !== undefined && this.#deps.store.getConnection(input.id);
      secrets = mergeSecrets(stored ? this.#secretsOf(stored) : {}, input.secrets);
    } else if (input.id !== undefined) {
      ({ config, secrets } = this.resolve(input.id));
    } else {
      throw new ApiError('BAD_INPUT', 'connections.test needs an id or a config.');
    }
    const started = performance.now();
    const driver = await this.#deps.createDriver({ config, secrets });
    try {
      return { ok: true, serverVersion: driver.serverVersion, readOnly: driver.readOnly, latencyMs: Math.round(performance.now() - started) };
    } finally {
      await driver.dispose();
    }
  }

  // --- workspace sessions ---

  statuses(): ConnectionStatus[] {
    return [...this.#sessions.values()].map((s) => s.status);
  }

  status(id: string): ConnectionStatus {
    return this.#sessions.get(id)?.status ?? { connectionId: id, state: 'disconnected' };
  }

  async connect(id: string): Promise<ConnectionStatus> {
    await this.getDriver(id);
    return this.status(id);
  }

  /** The workspace session of a connection, connected on first use. */
  async getDriver(id: string): Promise<Driver> {
    if (this.#disposed) throw new ApiError('CONNECTION_FAILED', 'Quarry is shutting down.');
    const session = this.#session(id);
    if (session.pending) return session.pending;
    if (session.driver?.isAlive()) return session.driver;
    const { config, secrets } = this.resolve(id);
    const generation = session.generation;
    this.#setStatus(session, { connectionId: id, state: 'connecting' });
    const pending: Promise<Driver> = (async () => {
      const old = session.driver;
      session.stopListening?.();
      session.driver = undefined;
      if (old) await old.dispose().catch(() => undefined);
      try {
        const driver = await this.#deps.createDriver({ config, secrets });
        if (session.generation !== generation || this.#disposed) {
          await driver.dispose();
          throw new ApiError('CONNECTION_FAILED', 'The connection was closed while connecting.');
        }
        session.driver = driver;
        session.stopListening = driver.onLost((error) => this.#onLost(id, session, driver, error));
        this.#setStatus(session, { connectionId: id, state: 'connected', serverVersion: driver.serverVersion, readOnly: driver.readOnly });
        return driver;
      } catch (error) {
        if (session.generation === generation) {
          this.#setStatus(session, { connectionId: id, state: 'error', error: errorSummary(error) });
        }
        throw error;
      }
    })();
    session.pending = pending;
    const clear = (): void => {
      if (session.pending === pending) session.pending = undefined;
    };
    pending.then(clear, clear);
    return pending;
  }

  /**
   * A session of its own, apart from the workspace session, for work that must not share it (impact analysis runs
   * read-only transactions the user's queries must not land in). The caller disposes of it.
   */
  async openSession(id: string): Promise<Driver> {
    if (this.#disposed) throw new ApiError('CONNECTION_FAILED', 'Quarry is shutting down.');
    return this.#deps.createDriver(this.resolve(id));
  }

  async disconnect(id: string): Promise<void> {
    const session = this.#sessions.get(id);
    if (!session) return;
    session.generation++;
    session.pending = undefined;
    session.stopListening?.();
    session.stopListening = undefined;
    const driver = session.driver;
    session.driver = undefined;
    if (driver) await driver.dispose().catch(() => undefined);
    if (session.status.state !== 'disconnected') this.#setStatus(session, { connectionId: id, state: 'disconnected' });
  }

  async getSchema(id: string, refresh = false): Promise<SchemaModel> {
    const cached = this.#schemas.get(id);
    if (cached && !refresh) return cached;
    const driver = await this.getDriver(id);
    const schema = await driver.introspect();
    this.#schemas.set(id, schema);
    return schema;
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    await Promise.all([...this.#sessions.keys()].map((id) => this.disconnect(id)));
    this.#sessions.clear();
    this.#schemas.clear();
  }

  // --- internals ---

  #onLost(id: string, session: Session, driver: Driver, error: Error): void {
    if (session.driver !== driver || session.pending || this.#disposed) return;
    const generation = session.generation;
    this.#setStatus(session, { connectionId: id, state: 'reconnecting', error: errorSummary(error) });
    const attempts = this.#deps.reconnectAttempts ?? 5;
    const base = this.#deps.reconnectBaseDelayMs ?? 500;
    const pending = (async () => {
      let last: unknown = error;
      for (let attempt = 0; attempt < attempts; attempt++) {
        await sleep(Math.min(base * 2 ** attempt, 10_000));
        if (session.generation !== generation || this.#disposed) break;
        try {
          await driver.reconnect();
          if (session.generation !== generation) break;
          this.#setStatus(session, { connectionId: id, state: 'connected', serverVersion: driver.serverVersion, readOnly: driver.readOnly });
          return driver;
        } catch (e) {
          last = e;
        }
      }
      if (session.generation === generation && !this.#disposed) {
        this.#setStatus(session, { connectionId: id, state: 'error', error: errorSummary(last) });
        // Dropped, so the next getDriver starts a fresh session instead of reusing the dead one.
        session.stopListening?.();
        session.stopListening = undefined;
        session.driver = undefined;
        await driver.dispose().catch(() => undefined);
      }
      throw new ApiError('CONNECTION_LOST', `The connection was lost and could not be re-established: ${errorSummary(last).message}`);
    })();
    session.pending = pending;
    pending.catch(() => undefined).finally(() => {
      if (session.pending === pending) session.pending = undefined;
    });
  }

  #session(id: string): Session {
    let session = this.#sessions.get(id);
    if (!session) {
      this.#row(id);
      session = { status: { connectionId: id, state: 'disconnected' }, generation: 0 };
      this.#sessions.set(id, session);
    }
    return session;
  }

  #setStatus(session: Session, status: ConnectionStatus): void {
    session.status = status;
    this.#deps.emitStatus(status);
  }

  #row(id: string): ConnectionRow {
    const row = this.#deps.store.getConnection(id);
    if (!row) throw new ApiError('NOT_FOUND', `No saved connection with id ${id}.`);
    return row;
  }

  #configOf(row: ConnectionRow): ConnectionConfig {
    const parsed = connectionConfigSchema.safeParse(row.config);
    if (!parsed.success) throw new ApiError('INTERNAL', `The saved connection ${row.id} is damaged: ${parsed.error.issues[0]?.message ?? ''}`);
    return parsed.data;
  }

  #secretsOf(row: ConnectionRow): ConnectionSecrets {
    if (!row.secrets) return {};
    let plain: string;
    try {
      plain = this.#deps.secretBox.decrypt(row.secrets);
    } catch (error) {
      throw new ApiError('CONNECTION_FAILED', `The stored password of "${this.#configOf(row).name}" cannot be read: ${(error as Error).message} Enter it again.`);
    }
    return connectionSecretsSchema.parse(JSON.parse(plain));
  }

  #toInfo(row: ConnectionRow): ConnectionInfo {
    return {
      id: row.id,
      config: this.#configOf(row),
      hasPassword: row.hasPassword,
      hasSshPassword: row.hasSshPassword,
      builtin: row.builtin,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }
}

/** undefined keeps the stored value, '' clears it, anything else replaces it. */
function mergeSecrets(stored: ConnectionSecrets, update: ConnectionSecrets | undefined): ConnectionSecrets {
  const merged: ConnectionSecrets = { ...stored };
  for (const key of ['password', 'sshPassword', 'sshPassphrase'] as const) {
    const value = update?.[key];
    if (value === undefined) continue;
    if (value === '') delete merged[key];
    else merged[key] = value;
  }
  for (const key of Object.keys(merged) as (keyof ConnectionSecrets)[]) if (merged[key] === undefined) delete merged[key];
  return merged;
}

function errorSummary(error: unknown): { code: string; message: string } {
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  return { code: 'CONNECTION_FAILED', message: error instanceof Error ? error.message : String(error) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}
