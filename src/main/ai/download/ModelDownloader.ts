import { createHash, randomUUID, type Hash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open, statfs, truncate } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { dirname, join } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import { formatBytes } from '../../../shared/format/formatBytes';
import type { DownloadState, DownloadStatus, RecommendedModel } from '../../../shared/domain/models';
import { DownloadError } from './DownloadError';
import { planDownload, planRecommended, type DownloadRequest, type PlannedFile } from './planDownload';
import { requestFollowingRedirects } from './requestFollowingRedirects';
import { SpeedMeter } from './SpeedMeter';

export interface ModelDownloaderOptions {
  /** The models directory, read when a download starts; partial files and their state live in its `.downloads/`. */
  modelsDir: () => string;
  /** Every state change and, at most every progressIntervalMs, progress. */
  emit(state: DownloadState): void;
  /** A recommended model by id. Defaults to knowing none. */
  findRecommended?: (id: string) => RecommendedModel | undefined;
  /**
   * Called once a download's files are all in the models directory, with the sha256 each was verified with; 'done'
   * is emitted after the promise it returns settles, so a listener that records the hash has done so by then.
   */
  onFinished?: (files: { file: string; path: string; sha256: string }[]) => void | Promise<void>;
  /** No byte for this long fails the transfer (then retries, then leaves it resumable). Defaults to 30 s. */
  stallTimeoutMs?: number;
  /** Redirects followed per request. Defaults to 10 (Hugging Face uses one or two). */
  maxRedirects?: number;
  /** Automatic resumes after a network failure (stall, cut, 5xx) before the download is marked failed. Defaults to 2. */
  retries?: number;
  /** Wait before the n-th automatic resume: n × this. Defaults to 1 s. */
  retryDelayMs?: number;
  /** Free bytes for the user where `dir` lives. Defaults to fs.statfs (bavail × bsize). */
  freeBytes?: (dir: string) => Promise<number>;
  /** Progress events at most this often. Defaults to 250 ms. */
  progressIntervalMs?: number;
  /** Sent as User-Agent. Defaults to "Quarry". */
  userAgent?: string;
}

/** What `<modelsDir>/.downloads/<id>.json` holds, so a paused or interrupted download resumes after a restart. */
interface DownloadRecord {
  version: 1;
  downloadId: string;
  /** What the user asked for: the URL or hf: URI as given, or the first file's URL of a recommended model. */
  url: string;
  status: DownloadStatus;
  error?: string;
  /** Set when it is known that resuming cannot help as is (a 404, a loop, a checksum mismatch). */
  fatal?: boolean;
  files: RecordFile[];
}

interface RecordFile extends PlannedFile {
  /** Total size as the server gave it. */
  totalBytes?: number;
  /** The validators of the response the partial bytes came from, sent as If-Range so a changed file restarts. */
  etag?: string;
  lastModified?: string;
  /** Set once every byte is in and checked. */
  sha256Actual?: string;
  /** Where the expected sha256 came from when nobody pinned one: the server published it (X-Linked-Etag). */
  sha256From?: 'server';
}

interface Entry {
  record: DownloadRecord;
  /** The models directory this download writes into. */
  dir: string;
  /** Bytes of each file in its .part (or in place, once done). */
  received: number[];
  /** A running hash per file, with the bytes it covers, so a resume in this run need not re-read the partial file. */
  hashes: Map<number, { hash: Hash; bytes: number }>;
  meter: SpeedMeter;
  controller?: AbortController;
  running?: Promise<void>;
  lastEmit: number;
}

type StopReason = 'pause' | 'cancel' | 'dispose';

const writeBatchBytes = 1 << 20;

/**
 * Verified, resumable downloads into the models directory. Bytes go to `.downloads/<id>.<n>.part` while they are
 * hashed (sha256), and move to their place only when every file of the download is complete and matches; the
 * catalog never sees half a model. A pause, a crash or a cut connection keeps the partial file, and the next
 * resume asks for the rest with Range + If-Range.
 */
export class ModelDownloader {
  private readonly entries = new Map<string, Entry>();
  private readonly loadedDirs = new Set<string>();
  private disposed = false;
  private readonly stallTimeoutMs: number;
  private readonly maxRedirects: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly progressIntervalMs: number;
  private readonly freeBytes: (dir: string) => Promise<number>;

  constructor(private readonly options: ModelDownloaderOptions) {
    this.stallTimeoutMs = options.stallTimeoutMs ?? 30_000;
    this.maxRedirects = options.maxRedirects ?? 10;
    this.retries = options.retries ?? 2;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.progressIntervalMs = options.progressIntervalMs ?? 250;
    this.freeBytes = options.freeBytes ?? defaultFreeBytes;
  }

  /**
   * Starts a download and returns its id at once; state follows through emit. Asking again for a download that is
   * paused or failed resumes it (same id) instead of starting over.
   */
  start(input: DownloadRequest | { recommendedId: string }): { downloadId: string } {
    if (this.disposed) throw new ApiError('INTERNAL', 'The downloader is shut down.');
    let files: PlannedFile[];
    let url: string;
    if ('recommendedId' in input) {
      const model = this.options.findRecommended?.(input.recommendedId);
      if (!model) throw new ApiError('NOT_FOUND', `No recommended model with id "${input.recommendedId}".`);
      files = planRecommended(model);
      url = files[0]!.url;
    } else {
      files = planDownload(input);
      url = input.url.trim();
    }
    const dir = this.options.modelsDir();
    this.loadRecords(dir);

    for (const entry of this.entries.values()) {
      if (entry.dir !== dir || entry.record.status === 'done' || entry.record.status === 'cancelled') continue;
      const clash = entry.record.files.find((f) => files.some((p) => p.file === f.file));
      if (!clash) continue;
      if (entry.record.files[0]!.url === files[0]!.url && entry.record.files.length === files.length) {
        // Same request again: carry over a checksum given this time, then resume.
        files.forEach((p, i) => {
          if (p.sha256 && !entry.record.files[i]!.sha256) entry.record.files[i]!.sha256 = p.sha256;
        });
        if (!entry.running) this.run(entry);
        return { downloadId: entry.record.downloadId };
      }
      throw new ApiError('BAD_INPUT', `Download ${entry.record.downloadId} (${entry.record.url}) already writes ${clash.file}; cancel it first.`);
    }
    const existing = files.find((f) => existsSync(join(dir, f.file)));
    if (existing) throw new ApiError('BAD_INPUT', `${existing.file} is already in the models directory (${dir}); delete it first to download it again.`);

    const record: DownloadRecord = { version: 1, downloadId: randomUUID(), url, status: 'queued', files: files.map((f) => ({ ...f })) };
    const entry = this.addEntry(record, dir);
    this.save(entry);
    this.run(entry);
    return { downloadId: record.downloadId };
  }

  /** Every download of this run, and the unfinished ones from earlier runs (paused, failed, interrupted). */
  list(): DownloadState[] {
    this.loadRecords(this.options.modelsDir());
    return [...this.entries.values()].map((e) => this.state(e));
  }

  get(downloadId: string): DownloadState {
    return this.state(this.entry(downloadId));
  }

  /** Resolves with the state once the download stops running: done, paused, failed or cancelled. */
  async whenSettled(downloadId: string): Promise<DownloadState> {
    const entry = this.entry(downloadId);
    await entry.running;
    return this.state(entry);
  }

  /** Stops the transfer and keeps the partial file; a no-op when it is not running. */
  async pause(downloadId: string): Promise<void> {
    const entry = this.entry(downloadId);
    if (entry.record.status === 'done') throw new ApiError('BAD_INPUT', `Download ${downloadId} has finished; there is nothing to pause.`);
    await this.stop(entry, 'pause');
  }

  /** Continues a paused, failed or interrupted download where its partial file ends. */
  resume(downloadId: string): void {
    if (this.disposed) throw new ApiError('INTERNAL', 'The downloader is shut down.');
    const entry = this.entry(downloadId);
    if (entry.record.status === 'cancelled') throw new ApiError('BAD_INPUT', `Download ${downloadId} was cancelled; start it again.`);
    if (entry.record.status === 'done' || entry.running) return;
    this.run(entry);
  }

  /** Stops the transfer and deletes the partial files and the saved state. */
  async cancel(downloadId: string): Promise<void> {
    const entry = this.entry(downloadId);
    if (entry.record.status === 'done') throw new ApiError('BAD_INPUT', `Download ${downloadId} has finished; delete the model instead.`);
    if (entry.record.status === 'cancelled') return;
    await this.stop(entry, 'cancel');
    // A download that was not running is cancelled here; a running one was by its own loop, unless it finished first.
    const after = entry.record.status as DownloadStatus;
    if (after !== 'cancelled' && after !== 'done') this.discard(entry);
  }

  /** Pauses every running download (their state is saved, so they resume at the next start) and waits for them. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await Promise.all([...this.entries.values()].map((e) => this.stop(e, 'dispose')));
  }

  private entry(downloadId: string): Entry {
    const entry = this.entries.get(downloadId);
    if (!entry) throw new ApiError('NOT_FOUND', `No download with id ${downloadId}.`);
    return entry;
  }

  private async stop(entry: Entry, reason: StopReason): Promise<void> {
    if (!entry.running) return;
    entry.controller?.abort(reason);
    await entry.running;
  }

  private addEntry(record: DownloadRecord, dir: string): Entry {
    const entry: Entry = {
      record,
      dir,
      received: record.files.map((_, i) => fileSize(this.partPath(record.downloadId, dir, i))),
      hashes: new Map(),
      meter: new SpeedMeter(),
      lastEmit: 0,
    };
    this.entries.set(record.downloadId, entry);
    return entry;
  }

  private run(entry: Entry): void {
    const controller = new AbortController();
    entry.controller = controller;
    entry.record.error = undefined;
    entry.record.fatal = undefined;
    entry.meter.reset();
    this.setStatus(entry, 'downloading');
    entry.running = this.transfer(entry, controller.signal)
      .then(() => this.finish(entry))
      .catch((error: unknown) => this.stopped(entry, controller.signal, error))
      .finally(() => {
        entry.running = undefined;
        entry.controller = undefined;
      });
  }

  private async transfer(entry: Entry, signal: AbortSignal): Promise<void> {
    const { files } = entry.record;
    // Sizes a recommended model declares are known before any request: check the disk for all of them at once.
    const declared = files.reduce((sum, f, i) => sum + (f.sha256Actual ? 0 : Math.max(0, (f.totalBytes ?? f.sizeBytes ?? 0) - entry.received[i]!)), 0);
    await this.checkFreeSpace(entry, declared);
    for (let i = 0; i < files.length; i++) {
      if (files[i]!.sha256Actual) continue;
      for (let attempt = 0; ; attempt++) {
        try {
          await this.transferFile(entry, i, signal);
          break;
        } catch (error) {
          if (signal.aborted || !(error instanceof DownloadError) || error.kind !== 'network' || attempt >= this.retries) throw error;
          await abortableDelay(this.retryDelayMs * (attempt + 1), signal);
        }
      }
    }
  }

  private async transferFile(entry: Entry, index: number, signal: AbortSignal): Promise<void> {
    const file = entry.record.files[index]!;
    const partPath = this.partPath(entry.record.downloadId, entry.dir, index);
    mkdirSync(dirname(partPath), { recursive: true });
    let have = fileSize(partPath);
    entry.received[index] = have;
    let hash = await this.hashOf(entry, index, partPath, have);

    if (file.totalBytes !== undefined && have === file.totalBytes && have > 0) return this.verify(entry, index, partPath, hash);
    if (file.totalBytes !== undefined && have > file.totalBytes) {
      await this.restartFile(entry, index, partPath);
      have = 0;
      hash = createHash('sha256');
    }

    const headers: Record<string, string> = { 'user-agent': this.options.userAgent ?? 'Quarry', 'accept-encoding': 'identity' };
    const validator = file.etag && !file.etag.startsWith('W/') ? file.etag : file.lastModified;
    if (have > 0) {
      headers.range = `bytes=${have}-`;
      if (validator) headers['if-range'] = validator;
    }
    const { response, finalUrl, linkedSha256 } = await requestFollowingRedirects(file.url, {
      headers,
      maxRedirects: this.maxRedirects,
      timeoutMs: this.stallTimeoutMs,
      signal,
    }).catch((error: unknown) => {
      throw signal.aborted ? error : asDownloadError(error, file.url);
    });
    // Read from now on: a short body can end, or be cut, while the file is being opened.
    const body = captureBody(response);
    // No hash pinned (a recommended entry without one, a bare URL): verify against the one the server publishes.
    if (!file.sha256 && linkedSha256) {
      file.sha256 = linkedSha256;
      file.sha256From = 'server';
    }
    const host = new URL(finalUrl).host;
    const status = response.statusCode ?? 0;
    let total: number | undefined;
    if (status === 206) {
      const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers['content-range'] ?? '');
      if (!range || Number(range[1]) !== have) {
        // A range other than the one asked for: rather than splice bytes from two places, start over.
        response.destroy();
        await this.restartFile(entry, index, partPath);
        throw new DownloadError(`${host} answered a different range (${response.headers['content-range'] ?? 'none'}) than bytes=${have}-; starting over.`, 'network');
      }
      total = range[3] === '*' ? undefined : Number(range[3]);
    } else if (status === 200) {
      if (have > 0) {
        // The server ignored Range, or If-Range said the file changed: the bytes we have are not a prefix to trust.
        await this.restartFile(entry, index, partPath);
        have = 0;
        hash = createHash('sha256');
      }
      const length = response.headers['content-length'];
      total = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
    } else if (status === 416 && have > 0) {
      response.resume();
      const all = /^bytes \*\/(\d+)$/.exec(response.headers['content-range'] ?? '');
      if (all && Number(all[1]) === have) {
        file.totalBytes = have;
        return this.verify(entry, index, partPath, hash);
      }
      await this.restartFile(entry, index, partPath);
      throw new DownloadError(`${host} refused the range bytes=${have}- (416); starting over.`, 'network');
    } else {
      response.resume();
      const why = `${finalUrl === file.url ? file.url : `${file.url} (redirected to ${finalUrl})`} answered HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`;
      const retryable = status >= 500 || status === 429 || status === 408;
      throw new DownloadError(`${why}${status === 401 || status === 403 ? ': access denied (a gated or private model needs a token Quarry does not send)' : ''}.`, retryable ? 'network' : 'fatal');
    }

    if (total !== undefined && file.totalBytes !== total) file.totalBytes = total;
    const etag = response.headers.etag;
    const lastModified = response.headers['last-modified'];
    if (status === 200 || etag) file.etag = etag;
    if (status === 200 || lastModified) file.lastModified = lastModified;
    this.save(entry);

    if (total !== undefined) {
      const later = entry.record.files.slice(index + 1).reduce((sum, f) => sum + (f.sha256Actual ? 0 : (f.totalBytes ?? f.sizeBytes ?? 0)), 0);
      try {
        await this.checkFreeSpace(entry, total - have + later);
      } catch (error) {
        response.destroy();
        throw error;
      }
    }

    have = await this.receiveBody(entry, index, response, body, partPath, have, hash, total, host);
    if (total === undefined) file.totalBytes = have;
    await this.verify(entry, index, partPath, hash);
  }

  /**
   * Writes the body after `start` bytes, hashing exactly what reaches the disk. Returns the new size. Listens to
   * 'data' rather than iterating, because an iterator drops what was buffered when the connection is cut, and
   * those bytes are as good as any.
   */
  private async receiveBody(
    entry: Entry,
    index: number,
    response: IncomingMessage,
    body: CapturedBody,
    partPath: string,
    start: number,
    hash: Hash,
    total: number | undefined,
    host: string,
  ): Promise<number> {
    let have = start;
    const handle = await open(partPath, start === 0 ? 'w' : 'a').catch((error: unknown) => {
      response.destroy();
      throw asDownloadError(error, partPath);
    });
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let lastFlush = 0;
    let diskError: unknown;
    const flush = async (): Promise<void> => {
      if (diskError !== undefined) {
        pending = [];
        pendingBytes = 0;
      }
      if (pendingBytes === 0) return;
      const chunks = pending;
      const size = pendingBytes;
      pending = [];
      pendingBytes = 0;
      lastFlush = performance.now();
      // Hash while the thread pool writes. Should the write fail, this hash is thrown away (diskError).
      const written = (async () => {
        const { bytesWritten } = await handle.writev(chunks);
        // A short write (a disk filling up) goes on from where it stopped, so the error, if any, is the disk's.
        if (bytesWritten < size) {
          const rest = Buffer.concat(chunks, size).subarray(bytesWritten);
          for (let offset = 0; offset < rest.length; ) offset += (await handle.write(rest, offset, rest.length - offset)).bytesWritten;
        }
      })();
      for (const chunk of chunks) hash.update(chunk);
      try {
        await written;
      } catch (error) {
        diskError = error;
        response.destroy();
        return;
      }
      have += size;
      entry.received[index] = have;
      entry.meter.add(this.receivedTotal(entry));
      this.progress(entry);
    };
    let chain: Promise<void> = Promise.resolve();
    let flushing = false;
    const startFlush = (): void => {
      flushing = true;
      chain = chain.then(flush).then(() => {
        flushing = false;
        // After a failed write nothing more is written: flushing again would spin on the same bytes forever.
        if (diskError !== undefined || response.destroyed) return;
        response.resume();
        if (pendingBytes >= writeBatchBytes) startFlush();
      });
    };
    let stall: NodeJS.Timeout | undefined;
    const armStall = (): void => {
      clearTimeout(stall);
      stall = setTimeout(() => {
        const at = have + pendingBytes;
        response.destroy(new DownloadError(`${host} sent nothing for ${this.stallTimeoutMs / 1000} s (stalled at ${at} of ${total ?? '?'} bytes); the partial file is kept.`, 'network'));
      }, this.stallTimeoutMs);
    };
    try {
      pending = body.chunks.splice(0);
      pendingBytes = pending.reduce((n, c) => n + c.length, 0);
      body.onData = (chunk) => {
        armStall();
        pending.push(chunk);
        pendingBytes += chunk.length;
        // Large batches for throughput; a slow server's bytes still reach the disk (and the progress bar) often.
        if (pendingBytes < writeBatchBytes && performance.now() - lastFlush < 200) return;
        if (!flushing) startFlush();
        // The network reads on while one batch is written; only a disk that falls behind holds it back.
        else if (pendingBytes >= 4 * writeBatchBytes) response.pause();
      };
      armStall();
      const outcome = await body.outcome;
      clearTimeout(stall);
      await chain;
      await flush();
      if (diskError !== undefined) {
        entry.received[index] = fileSize(partPath);
        throw asDownloadError(diskError, host, entry.received[index], total);
      }
      if (outcome !== undefined) {
        throw outcome instanceof DownloadError || (outcome as { name?: string }).name === 'AbortError' ? outcome : asDownloadError(outcome, host, have, total);
      }
      if (total !== undefined && have !== total) {
        throw new DownloadError(`${host} closed the connection at ${have} of ${total} bytes; the partial file is kept.`, 'network');
      }
      return have;
    } finally {
      clearTimeout(stall);
      await handle.close().catch(() => undefined);
      // After a failed write the file may hold more than was hashed: the next attempt reads it back.
      if (diskError === undefined) entry.hashes.set(index, { hash, bytes: have });
      else entry.hashes.delete(index);
    }
  }

  /** The hash of the partial file's `have` bytes: the one kept from earlier in this run, else read back from disk. */
  private async hashOf(entry: Entry, index: number, partPath: string, have: number): Promise<Hash> {
    const kept = entry.hashes.get(index);
    if (kept && kept.bytes === have) return kept.hash;
    const hash = createHash('sha256');
    if (have > 0) {
      for await (const chunk of createReadStream(partPath, { start: 0, end: have - 1, highWaterMark: writeBatchBytes })) hash.update(chunk as Buffer);
    }
    entry.hashes.set(index, { hash, bytes: have });
    return hash;
  }

  private async verify(entry: Entry, index: number, partPath: string, hash: Hash): Promise<void> {
    const file = entry.record.files[index]!;
    const actual = hash.copy().digest('hex');
    if (file.sha256 && actual !== file.sha256) {
      await this.restartFile(entry, index, partPath);
      this.save(entry);
      const source = file.sha256From === 'server' ? ' (as the server published it)' : '';
      throw new DownloadError(`Checksum mismatch for ${file.file}: expected sha256 ${file.sha256}${source}, got ${actual}; the downloaded file was deleted.`, 'fatal');
    }
    file.sha256Actual = actual;
    entry.hashes.delete(index);
    this.save(entry);
  }

  private async restartFile(entry: Entry, index: number, partPath: string): Promise<void> {
    const file = entry.record.files[index]!;
    if (existsSync(partPath)) await truncate(partPath, 0);
    entry.received[index] = 0;
    entry.hashes.delete(index);
    file.etag = undefined;
    file.lastModified = undefined;
    file.totalBytes = undefined;
  }

  private async checkFreeSpace(entry: Entry, needed: number): Promise<void> {
    if (needed <= 0) return;
    const where = join(entry.dir, '.downloads');
    mkdirSync(where, { recursive: true });
    const free = await this.freeBytes(where);
    if (free < needed) {
      throw new DownloadError(
        `Not enough free disk space in ${entry.dir}: the download needs ${formatBytes(needed)} more and ${formatBytes(free)} is free. Free some space and resume.`,
        'disk',
      );
    }
  }

  /** Every file complete and checked: move them into place together. */
  private async finish(entry: Entry): Promise<void> {
    this.setStatus(entry, 'verifying');
    const { files, downloadId } = entry.record;
    const clash = files.find((f) => existsSync(join(entry.dir, f.file)));
    if (clash) {
      throw new DownloadError(`${clash.file} appeared in the models directory during the download; delete it and resume (the download is kept).`, 'disk');
    }
    const finished = files.map((f, i) => {
      const target = join(entry.dir, f.file);
      mkdirSync(dirname(target), { recursive: true });
      renameSync(this.partPath(downloadId, entry.dir, i), target);
      return { file: f.file, path: target, sha256: f.sha256Actual! };
    });
    rmSync(this.recordPath(entry), { force: true });
    try {
      await this.options.onFinished?.(finished);
    } catch (error) {
      console.error('quarry: a download finished but its listener failed:', error);
    }
    entry.record.status = 'done';
    entry.meter.reset();
    this.emit(entry);
  }

  private stopped(entry: Entry, signal: AbortSignal, error: unknown): void {
    entry.meter.reset();
    if (signal.aborted && (signal.reason === 'pause' || signal.reason === 'dispose')) {
      entry.record.status = 'paused';
      this.save(entry);
      if (signal.reason === 'pause') this.emit(entry);
      return;
    }
    if (signal.aborted && signal.reason === 'cancel') {
      this.discard(entry);
      return;
    }
    const failure = error instanceof DownloadError ? error : asDownloadError(error, entry.record.url);
    entry.record.status = 'failed';
    entry.record.error = failure.message;
    entry.record.fatal = failure.kind === 'fatal' || undefined;
    const unsaved = this.save(entry);
    if (unsaved) entry.record.error += ` (Its state could not be saved, so it resumes only while Quarry runs: ${unsaved.message}.)`;
    this.emit(entry);
  }

  private discard(entry: Entry): void {
    entry.record.files.forEach((_, i) => rmSync(this.partPath(entry.record.downloadId, entry.dir, i), { force: true }));
    rmSync(this.recordPath(entry), { force: true });
    entry.received = entry.received.map(() => 0);
    entry.hashes.clear();
    entry.record.status = 'cancelled';
    this.emit(entry);
  }

  private setStatus(entry: Entry, status: DownloadStatus): void {
    entry.record.status = status;
    this.save(entry);
    this.emit(entry);
  }

  private progress(entry: Entry): void {
    const now = performance.now();
    if (now - entry.lastEmit < this.progressIntervalMs) return;
    this.emit(entry);
  }

  private emit(entry: Entry): void {
    entry.lastEmit = performance.now();
    try {
      this.options.emit(this.state(entry));
    } catch (error) {
      console.error('quarry: a download listener failed:', error);
    }
  }

  private state(entry: Entry): DownloadState {
    const { record } = entry;
    const receivedBytes = this.receivedTotal(entry);
    const sizes = record.files.map((f) => f.totalBytes ?? f.sizeBytes);
    const totalBytes = sizes.every((s) => s !== undefined) ? sizes.reduce((a, b) => a + b!, 0) : undefined;
    const bytesPerSecond = record.status === 'downloading' ? Math.round(entry.meter.bytesPerSecond()) : 0;
    const etaSeconds = totalBytes !== undefined && bytesPerSecond > 0 ? Math.max(0, Math.round((totalBytes - receivedBytes) / bytesPerSecond)) : undefined;
    return {
      downloadId: record.downloadId,
      url: record.url,
      file: record.files[0]!.file,
      status: record.status,
      receivedBytes,
      ...(totalBytes !== undefined && { totalBytes }),
      bytesPerSecond,
      ...(etaSeconds !== undefined && { etaSeconds }),
      ...(record.error !== undefined && { error: record.error }),
    };
  }

  private receivedTotal(entry: Entry): number {
    return entry.received.reduce((a, b) => a + b, 0);
  }

  private partPath(downloadId: string, dir: string, index: number): string {
    return join(dir, '.downloads', partName(downloadId, index));
  }

  private recordPath(entry: Entry): string {
    return join(entry.dir, '.downloads', `${entry.record.downloadId}.json`);
  }

  /**
   * Written whole and renamed into place, so a crash mid-write leaves the previous state, never half of one.
   * Returns the error when it could not be written (a full disk), which only costs resuming after a restart.
   */
  private save(entry: Entry): Error | undefined {
    if (entry.record.status === 'done' || entry.record.status === 'cancelled') return undefined;
    const path = this.recordPath(entry);
    const stored: DownloadRecord = { ...entry.record, status: entry.record.status === 'paused' || entry.record.status === 'failed' ? entry.record.status : 'downloading' };
    try {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(`${path}.tmp`, JSON.stringify(stored, null, 2));
      renameSync(`${path}.tmp`, path);
      return undefined;
    } catch (error) {
      rmSync(`${path}.tmp`, { force: true });
      return error as Error;
    }
  }

  /** Picks up the saved downloads of a models directory; one that was running when the process ended is paused. */
  private loadRecords(dir: string): void {
    if (this.loadedDirs.has(dir)) return;
    this.loadedDirs.add(dir);
    const folder = join(dir, '.downloads');
    let names: string[];
    try {
      names = readdirSync(folder).filter((n) => n.endsWith('.json'));
    } catch {
      return;
    }
    for (const name of names) {
      try {
        const record = JSON.parse(readFileSync(join(folder, name), 'utf8')) as DownloadRecord;
        if (record.version !== 1 || typeof record.downloadId !== 'string' || !Array.isArray(record.files) || record.files.length === 0) continue;
        if (this.entries.has(record.downloadId)) continue;
        if (record.status !== 'failed') record.status = 'paused';
        this.addEntry(record, dir);
      } catch (error) {
        console.error(`quarry: ignoring the unreadable download state ${join(folder, name)}:`, error);
      }
    }
  }
}

interface CapturedBody {
  /** What arrived before onData was set. */
  chunks: Buffer[];
  onData?: (chunk: Buffer) => void;
  /** Resolves with undefined at the end of the body, or with what stopped it. */
  outcome: Promise<unknown>;
}

/** Listens to a response at once, so neither bytes nor its end are lost while the consumer gets ready. */
function captureBody(response: IncomingMessage): CapturedBody {
  const body: CapturedBody = { chunks: [], outcome: Promise.resolve() };
  body.outcome = new Promise<unknown>((resolve) => {
    response.on('data', (chunk: Buffer) => (body.onData ? body.onData(chunk) : body.chunks.push(chunk)));
    response.on('error', (error) => resolve(error));
    response.once('end', () => resolve(undefined));
    response.once('close', () => resolve(response.complete ? undefined : new Error('aborted')));
  });
  return body;
}

function partName(downloadId: string, index: number): string {
  return `${downloadId}.${index}.part`;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

async function defaultFreeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

function asDownloadError(error: unknown, where: string, have?: number, total?: number): DownloadError {
  if (error instanceof DownloadError) return error;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const at = have === undefined ? '' : ` at ${have} of ${total ?? '?'} bytes`;
  switch (code) {
    case 'ENOSPC':
      return new DownloadError(`The disk is full (ENOSPC)${at}; the partial file is kept. Free some space and resume.`, 'disk');
    case 'EDQUOT':
      return new DownloadError(`The disk quota is exhausted (EDQUOT)${at}; the partial file is kept.`, 'disk');
    case 'ECONNRESET':
    case 'ECONNABORTED':
    case 'EPIPE':
    case 'ERR_STREAM_PREMATURE_CLOSE':
      return new DownloadError(`The connection to ${where} was cut${at}; the partial file is kept.`, 'network');
    case 'ECONNREFUSED':
      return new DownloadError(`${where}: the connection was refused.`, 'network');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new DownloadError(`${where}: the host name could not be resolved (offline?).`, 'network');
    case 'ETIMEDOUT':
      return new DownloadError(`${where}: the connection timed out.`, 'network');
    default: {
      const message = error instanceof Error ? error.message : String(error);
      if (message === 'aborted') return new DownloadError(`The connection to ${where} was cut${at}; the partial file is kept.`, 'network');
      return new DownloadError(`${where}: ${message}`, typeof code === 'string' && code.startsWith('E') && !code.startsWith('ERR_') ? 'disk' : 'network');
    }
  }
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
