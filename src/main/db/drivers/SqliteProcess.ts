import { createRequire } from 'node:module';
import { spawn, type ChildProcess } from 'node:child_process';

/**
 * better-sqlite3 runs a statement synchronously and exposes no sqlite3_interrupt, and a thread stuck in a native
 * step cannot be terminated either. A SQLite session therefore lives in a small child process: the app's main
 * thread stays responsive, and cancel or a statement timeout always land, by killing the process (SQLite's
 * journal rolls back whatever it was writing; the file is then reopened).
 *
 * The child's code is a plain script passed with -e, so it needs no bundler entry and runs the same under tsx,
 * vitest and the built app (Electron runs it as Node with ELECTRON_RUN_AS_NODE). It holds one Database and at
 * most one open iterator, and talks over the IPC channel with structured clone (bigints and bytes survive).
 */
const CHILD_SOURCE = String.raw`
const Database = require(process.env.QUARRY_BETTER_SQLITE3);
// The parent went away: nothing will read our answers.
process.on('disconnect', () => process.exit(0));
let db = null;
let iterator = null;

function finish() {
  if (iterator) {
    try { iterator.return(); } catch {}
    iterator = null;
  }
}

const ops = {
  open({ path, readonly, memory, busyTimeoutMs, queryOnly }) {
    db = new Database(path, { readonly, fileMustExist: !memory, timeout: busyTimeoutMs });
    try {
      db.defaultSafeIntegers(true);
      if (queryOnly) db.pragma('query_only = ON');
      // Reading the header is what tells a SQLite file from any other file.
      db.prepare('PRAGMA schema_version').get();
      return { version: String(db.prepare('SELECT sqlite_version() AS v').get().v) };
    } catch (error) {
      db.close();
      db = null;
      throw error;
    }
  },
  start({ sql, params }) {
    finish();
    const stmt = db.prepare(sql);
    if (!stmt.reader) {
      const info = stmt.run(...params);
      return { reader: false, changes: info.changes };
    }
    stmt.raw(true);
    const columns = stmt.columns().map((c) => ({ name: c.name, type: c.type }));
    iterator = stmt.iterate(...params);
    return { reader: true, columns };
  },
  next({ count }) {
    const rows = [];
    let done = false;
    while (rows.length < count) {
      const step = iterator.next();
      if (step.done) { done = true; break; }
      rows.push(step.value);
    }
    if (done) iterator = null;
    return { rows, done };
  },
  finish() {
    finish();
    return null;
  },
  objects({ sql, params }) {
    finish();
    const stmt = db.prepare(sql);
    if (!stmt.reader) {
      stmt.run(...params);
      return [];
    }
    return stmt.all(...params);
  },
  close() {
    finish();
    if (db) db.close();
    db = null;
    return null;
  },
};

process.on('message', ({ id, op, args }) => {
  try {
    process.send({ id, ok: true, value: ops[op](args) });
  } catch (error) {
    process.send({
      id,
      ok: false,
      error: { name: error && error.name, message: String((error && error.message) || error), code: error && error.code },
    });
  }
});
`;

const requireHere = createRequire(import.meta.url);

/** An error raised inside the child, with better-sqlite3's code (SQLITE_BUSY, …) and error name kept. */
export class SqliteProcessError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly kind: string | undefined,
  ) {
    super(message);
    this.name = 'SqliteProcessError';
  }
}

/** Rejects the calls that were pending when the child was killed (cancel, timeout, dispose) or died. */
export class SqliteProcessGone extends Error {
  constructor(detail = 'The SQLite session process was stopped.') {
    super(detail);
    this.name = 'SqliteProcessGone';
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: { message: string; code?: string; name?: string };
}

const live = new Set<ChildProcess>();
// A child stuck in a long step would outlive us; 'exit' handlers must be synchronous, and kill() is.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export class SqliteProcess {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #exited = false;
  #stderr = '';

  constructor() {
    this.#child = spawn(process.execPath, ['-e', CHILD_SOURCE], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', QUARRY_BETTER_SQLITE3: requireHere.resolve('better-sqlite3') },
      windowsHide: true,
    });
    live.add(this.#child);
    this.#idle();
    this.#child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-2_000);
    });
    this.#child.on('message', (message: Reply) => {
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      if (this.#pending.size === 0) this.#idle();
      if (message.ok) pending.resolve(message.value);
      else pending.reject(new SqliteProcessError(message.error?.message ?? 'SQLite failed', message.error?.code, message.error?.name));
    });
    this.#child.on('error', (error) => this.#gone(new SqliteProcessGone(`The SQLite session process failed: ${error.message}`)));
    this.#child.on('exit', (code, signal) => {
      const reason = signal === 'SIGKILL' ? undefined : this.#stderr.trim() || `exit ${signal ?? code}`;
      this.#gone(new SqliteProcessGone(reason ? `The SQLite session process ended: ${reason}` : undefined));
    });
  }

  /** True while a call is running in the child. */
  get busy(): boolean {
    return this.#pending.size > 0;
  }

  get alive(): boolean {
    return !this.#exited;
  }

  call<T>(op: 'open' | 'start' | 'next' | 'finish' | 'objects' | 'close', args: Record<string, unknown> = {}): Promise<T> {
    if (this.#exited) return Promise.reject(new SqliteProcessGone());
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      // Waiting on an answer keeps the process alive; an idle session does not.
      this.#child.ref();
      (this.#child.channel as { ref?: () => void } | undefined)?.ref?.();
      this.#child.send({ id, op, args }, (error) => {
        if (error) {
          this.#pending.delete(id);
          reject(new SqliteProcessGone(`The SQLite session process is gone: ${error.message}`));
        }
      });
    });
  }

  /** Kills the child at once, whatever it runs; pending calls reject with SqliteProcessGone. */
  async terminate(): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    // Someone awaits the exit: until it comes, the child must keep the event loop alive.
    this.#child.ref();
    this.#child.kill('SIGKILL');
    await exited;
  }

  #idle(): void {
    this.#child.unref();
    (this.#child.channel as { unref?: () => void } | undefined)?.unref?.();
  }

  #gone(error: Error): void {
    this.#exited = true;
    live.delete(this.#child);
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(error);
  }
}
