import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The worker's code, evaluated as a CommonJS script so it needs no file of its own in the build: it opens a new
 * SQLite file for the sort, attaches the spool and fills table `t` with the spool's rowids in sorted order.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.modulePath);
let db;
try {
  db = new Database(workerData.sortPath);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('temp_store = FILE');
  db.pragma('cache_size = -' + workerData.cacheKiB);
  db.prepare('ATTACH DATABASE ? AS spool').run(workerData.spoolPath);
  db.exec(workerData.sql);
  db.close();
  parentPort.postMessage({ ok: true });
} catch (e) {
  try { if (db) db.close(); } catch {}
  parentPort.postMessage({ ok: false, message: String((e && e.message) || e) });
}
`;

export interface SortJob {
  /** The spool file; the worker attaches it as schema `spool` and only reads it. */
  spoolPath: string;
  /** A new file the worker creates, holding table `t (src INTEGER)`. */
  sortPath: string;
  /** The statements that fill `t`, reading `spool.<table>`. */
  sql: string;
  /** SQLite page cache of the worker, KiB; bounds the sorter's memory before it spills to temp files. */
  cacheKiB: number;
}

export interface SortTask {
  /** Resolves when `t` is complete; rejects with the worker's error. */
  done: Promise<void>;
  /** Stop the worker (at dispose); `done` then rejects. */
  terminate(): Promise<void>;
}

/**
 * Sort a spooled result on a worker thread, so a sort of a million rows never freezes the main process (and with
 * it every window and the browser door) for the seconds SQLite's sorter needs.
 */
export function buildSortInWorker(job: SortJob): SortTask {
  const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...job, modulePath } });
  const done = new Promise<void>((resolve, reject) => {
    worker.once('message', (m: { ok: boolean; message?: string }) => (m.ok ? resolve() : reject(new Error(m.message))));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the sort worker exited (code ${code}) before it finished`)));
  });
  // Settled either way once the worker is gone; the caller awaits `done` for the outcome.
  done.catch(() => undefined).finally(() => void worker.terminate());
  return { done, terminate: async () => void (await worker.terminate()) };
}
