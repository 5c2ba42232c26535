import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MethodParsedInput } from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';
import { dialectFacts } from '../../shared/dialect/dialectFacts';
import type { ConnectionConfig, ConnectionInfo, ConnectionSecrets } from '../../shared/domain/connection';
import { reviewUploadLimits, type ReviewEvent, type ReviewReport, type RuleDoc } from '../../shared/domain/review';
import type { SchemaModel } from '../../shared/domain/SchemaModel';
import type { Driver } from '../db/Driver';
import { rules } from './rules/registry';
import { runReview, type ReviewConnection } from './runReview';

/** What ReviewService needs of ConnectionService. */
export interface ReviewConnections {
  get(id: string): ConnectionInfo;
  /** Config and decrypted secrets, for the sandbox's own session; never leaves the main process. */
  resolve(id: string): { config: ConnectionConfig; secrets: ConnectionSecrets };
  /** A session of the connection's own, apart from the workspace's, which impact analysis reads through; the caller disposes of it. */
  openSession(id: string): Promise<Driver>;
  /** The connection's schema (cached by ConnectionService), which the rules start from. */
  getSchema(id: string): Promise<SchemaModel>;
}

export interface ReviewServiceDeps {
  /** Uploaded files are written under `<dataDir>/review-inbox/`. */
  dataDir: string;
  connections: ReviewConnections;
  /** Publishes a 'review' stream event under the review's id. */
  emit(reviewId: string, event: ReviewEvent): void;
  /** Finished reports kept for review.source, the oldest dropped first. Defaults to 20. */
  maxReports?: number;
  /**
   * Bound on an upload's files together, decoded. Defaults to reviewUploadLimits.bytes (32 MiB): their base64 (4/3
   * larger, ~43 MiB) and the JSON around it stay well inside the browser door's 64 MiB WebSocket message
   * (startServer's maxMessageBytes), so an upload somewhat over the bound gets this clear error rather than a dropped socket.
   */
  maxUploadBytes?: number;
}

export type ReviewStartInput = MethodParsedInput<'review.start'>;
type FilesSource = Extract<ReviewStartInput['source'], { kind: 'files' }>;

interface Finished {
  report: ReviewReport;
  sources: Map<string, string>;
  /** The upload's private folder, removed with the report. */
  inbox?: string;
}

const DEFAULT_MAX_REPORTS = 20;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Reviews migration folders, files, zips and uploads for the Reviewer screen. review.start answers at once with
 * an id; the work runs on and reports on the 'review' stream: progress by phase, then done with the report, or
 * error. Finished reports stay (the last maxReports) with their file texts for review.source.
 */
export class ReviewService {
  readonly #deps: ReviewServiceDeps;
  readonly #inboxRoot: string;
  readonly #running = new Map<string, { abort: AbortController; inbox?: string; done: Promise<void> }>();
  readonly #finished = new Map<string, Finished>();
  #disposed = false;

  constructor(deps: ReviewServiceDeps) {
    this.#deps = deps;
    this.#inboxRoot = path.join(deps.dataDir, 'review-inbox');
    // Uploads left by a process that crashed; a fixed folder so they are found again.
    rmSync(this.#inboxRoot, { recursive: true, force: true });
  }

  rules(): RuleDoc[] {
    return rules.map((r) => ({ id: r.id, dialects: [...r.dialects], severity: r.severity, docs: { ...r.docs }, ...(r.defaultOff && { defaultOff: true }) }));
  }

  /**
   * Checks the input (upload paths and size, the connection) and starts the review; bad input rejects here, with
   * no review started. Everything after is reported on the stream.
   */
  async start(input: ReviewStartInput): Promise<{ reviewId: string }> {
    if (this.#disposed) throw new ApiError('INTERNAL', 'Quarry is shutting down.');
    const reviewId = randomUUID();
    const opened = input.connectionId === undefined ? undefined : this.#connection(input.connectionId);
    let target: { path: string; rootName: string; inbox?: string };
    if (input.source.kind === 'path') {
      target = { path: input.source.path, rootName: input.source.path };
    } else {
      const inbox = path.join(this.#inboxRoot, reviewId);
      try {
        target = { ...(await this.#receive(input.source, inbox)), inbox };
      } catch (error) {
        await rm(inbox, { recursive: true, force: true });
        throw error;
      }
    }
    const abort = new AbortController();
    const done = this.#run(reviewId, input, target, opened?.connection, abort.signal).finally(() => opened?.close());
    this.#running.set(reviewId, { abort, inbox: target.inbox, done });
    return { reviewId };
  }

  /** Stops a running review between phases or migrations (a statement already running finishes first); it ends with an error event, code CANCELLED. */
  cancel(reviewId: string): void {
    const running = this.#running.get(reviewId);
    if (running) return running.abort.abort();
    if (!this.#finished.has(reviewId)) throw new ApiError('NOT_FOUND', `No review with id ${reviewId}.`);
  }

  /** The text of one file of a finished review, by its path relative to the root. */
  source(reviewId: string, file: string): { text: string } {
    const finished = this.#finished.get(reviewId);
    if (!finished) {
      if (this.#running.has(reviewId)) throw new ApiError('NOT_FOUND', `Review ${reviewId} is still running; its files are there once it is done.`);
      throw new ApiError('NOT_FOUND', `No review with id ${reviewId} (only the last ${this.#maxReports} reviews are kept).`);
    }
    const text = finished.sources.get(file);
    if (text === undefined) {
      const why = finished.report.files.includes(file) ? 'it could not be read as text (see its finding)' : 'the review has no such file';
      throw new ApiError('NOT_FOUND', `No text for ${file} in review ${reviewId}: ${why}.`);
    }
    return { text };
  }

  /** The report of a finished review, while it is kept. */
  report(reviewId: string): ReviewReport | undefined {
    return this.#finished.get(reviewId)?.report;
  }

  /** Cancels running reviews, waits for them, and removes every upload. Idempotent. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const running = [...this.#running.values()];
    for (const r of running) r.abort.abort();
    await Promise.allSettled(running.map((r) => r.done));
    this.#finished.clear();
    await rm(this.#inboxRoot, { recursive: true, force: true });
  }

  get #maxReports(): number {
    return Math.max(1, this.#deps.maxReports ?? DEFAULT_MAX_REPORTS);
  }

  #connection(id: string): { connection: ReviewConnection; close: () => Promise<void> } {
    const connections = this.#deps.connections;
    let session: Promise<Driver> | undefined;
    const connection = reviewConnection(connections.get(id).config, {
      // Not the workspace session: a query the user runs there meanwhile must not land inside impact's read-only transactions.
      driver: () => (session ??= connections.openSession(id)),
      schema: () => connections.getSchema(id),
      // Resolved only when the proof runs, so the secrets are decrypted only then.
      sandbox: () => connections.resolve(id),
    });
    return { connection, close: async () => void (await (await session?.catch(() => undefined))?.dispose()) };
  }

  async #run(reviewId: string, input: ReviewStartInput, target: { path: string; rootName: string; inbox?: string }, connection: ReviewConnection | undefined, signal: AbortSignal): Promise<void> {
    const emit = (event: ReviewEvent): void => {
      if (!signal.aborted || event.type !== 'progress') this.#deps.emit(reviewId, event);
    };
    // Let review.start's answer reach the caller before the first event.
    await Promise.resolve();
    try {
      const run = await runReview({
        path: target.path,
        rootName: target.rootName,
        dialect: input.dialect,
        serverVersion: input.serverVersion,
        prove: input.prove ?? false,
        connection,
        reviewId,
        signal,
        onProgress: (phase, done, total) => emit({ type: 'progress', phase, done, total }),
      });
      this.#running.delete(reviewId);
      if (this.#disposed) return;
      this.#keep(reviewId, { report: run.report, sources: run.sources, inbox: target.inbox });
      emit({ type: 'done', report: run.report });
    } catch (error) {
      this.#running.delete(reviewId);
      if (target.inbox) await rm(target.inbox, { recursive: true, force: true }).catch(() => undefined);
      const e = error instanceof ApiError ? error : new ApiError('INTERNAL', `The review failed: ${error instanceof Error ? error.message : String(error)}`);
      this.#deps.emit(reviewId, { type: 'error', code: e.code, message: e.message });
    }
  }

  #keep(reviewId: string, finished: Finished): void {
    this.#finished.set(reviewId, finished);
    while (this.#finished.size > this.#maxReports) {
      const [oldest, evicted] = this.#finished.entries().next().value as [string, Finished];
      this.#finished.delete(oldest);
      if (evicted.inbox) void rm(evicted.inbox, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /** Writes an upload under `inbox/<name>/`, after checking every path; a single .zip is reviewed as the zip. */
  async #receive(source: FilesSource, inbox: string): Promise<{ path: string; rootName: string }> {
    const name = source.name;
    if (name.includes('\0') || /[\\/]/.test(name) || name === '.' || name === '..') {
      throw new ApiError('BAD_INPUT', `The upload's name ${JSON.stringify(name)} must be a plain file or folder name, without / or \\.`);
    }
    const limit = this.#deps.maxUploadBytes ?? reviewUploadLimits.bytes;
    const seen = new Set<string>();
    let total = 0;
    const files = source.files.map((file, index) => {
      const where = `files[${index}] (${JSON.stringify(file.path.slice(0, 200))})`;
      const relative = uploadPath(file.path, where);
      const key = relative.toLowerCase();
      if (seen.has(key)) throw new ApiError('BAD_INPUT', `${where}: the upload holds this path twice (letter case aside, as macOS and Windows see it).`);
      seen.add(key);
      if (!BASE64.test(file.base64) || file.base64.length % 4 === 1) throw new ApiError('BAD_INPUT', `${where}: the content is not base64.`);
      total += Math.floor((file.base64.length * 3) / 4);
      if (total > limit) {
        throw new ApiError('BAD_INPUT', `The upload is over ${formatMiB(limit)} (the limit for files dropped on the browser door). Review the folder with \`quarry review <path>\`, or open it in the desktop app.`);
      }
      return { relative, base64: file.base64 };
    });
    const root = path.join(inbox, name);
    for (const file of files) {
      const target = path.join(root, ...file.relative.split('/'));
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, Buffer.from(file.base64, 'base64'), { flag: 'wx' });
    }
    const single = files.length === 1 && /\.zip$/i.test(files[0]!.relative) ? path.join(root, ...files[0]!.relative.split('/')) : undefined;
    return { path: single ?? root, rootName: name };
  }
}

/** A dropped path relative to the dropped folder, with '/' separators; anything that could land outside it is refused. */
function uploadPath(raw: string, where: string): string {
  if (raw.includes('\0')) throw new ApiError('BAD_INPUT', `${where}: a path must not contain a NUL character.`);
  const p = raw.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) throw new ApiError('BAD_INPUT', `${where}: paths must be relative to the dropped folder, not absolute.`);
  const parts = p.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) throw new ApiError('BAD_INPUT', `${where}: paths must stay inside the dropped folder; ".." is not allowed.`);
  if (parts.length === 0) throw new ApiError('BAD_INPUT', `${where}: the path names no file.`);
  return parts.join('/');
}

function formatMiB(bytes: number): string {
  return bytes < 1024 * 1024 ? `${bytes} bytes` : `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
}

/**
 * A connection as a review sees it. The proof runs migrations on the server (PostgreSQL: in a transaction rolled
 * back at the end, holding its locks until then; MySQL: in a database it creates), so a connection that does not
 * allow writes refuses it, unless `explicit`: the user named this server for the proof (the CLI's --connection URL).
 */
export function reviewConnection(
  config: ConnectionConfig,
  access: Pick<ReviewConnection, 'driver' | 'sandbox' | 'schema'>,
  explicit = false,
): ReviewConnection {
  const label = connectionLabel(config);
  const mayProve = explicit || config.allowWrites || dialectFacts[config.dialect].fileBased;
  return {
    label,
    dialect: config.dialect,
    driver: access.driver,
    sandbox: access.sandbox,
    ...(access.schema ? { schema: access.schema } : {}),
    ...(mayProve
      ? {}
      : {
          proofRefused: `the proof runs the migrations on ${label} (PostgreSQL: in a transaction that is rolled back, holding its locks until then; MySQL/MariaDB: in a throwaway database it creates), and this connection does not allow writes. Allow writes in its settings, or prove on a scratch server.`,
        }),
  };
}

/** "name (user@host:port/database)" or "name (file)": what the report shows of a connection, never its password. */
export function connectionLabel(config: ConnectionConfig): string {
  const facts = dialectFacts[config.dialect];
  const port = config.port ?? facts.defaultPort;
  const where = facts.fileBased
    ? (config.database ?? '')
    : `${config.user ? `${config.user}@` : ''}${config.host ?? '127.0.0.1'}${port ? `:${port}` : ''}${config.database ? `/${config.database}` : ''}${config.ssh ? ` via SSH ${config.ssh.host}` : ''}`;
  // A connection named after its URL (the CLI's) would otherwise say it twice.
  return where === config.name || where.endsWith(`/${config.name}`) ? where : `${config.name} (${where})`;
}
