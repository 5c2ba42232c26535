import { join } from 'node:path';
import type { DownloadState } from '../shared/domain/models';
import { formatBytes } from '../shared/format/formatBytes';
import { ModelDownloader } from '../main/ai/download/ModelDownloader';
import { ModelCatalog } from '../main/ai/models/ModelCatalog';
import { AppStore } from '../main/store/AppStore';
import { CliError } from './CliError';

export interface ModelsDownloadCommandOptions {
  dataDir: string;
  /** A URL, an hf:owner/repo/file.gguf URI, or a recommended model's id. */
  source: string;
  /** Expected sha256 (hex) of the file the URL names. Not with a recommended id, whose list pins its own. */
  sha256?: string;
  /** Where it lands, relative to the models folder. Defaults to the URL's file name. */
  file?: string;
  /** Where recommended-models.json is. Defaults to the package's resources/. */
  resourcesDir?: string;
  /** Aborting it pauses the download and keeps the partial file, as Ctrl-C does. Defaults to SIGINT. */
  signal?: AbortSignal;
  /** Progress and messages. Defaults to process.stderr; a TTY gets one line redrawn, anything else a line every 5 s. */
  stderr?: { write(text: string): unknown; isTTY?: boolean };
  /** The finished file's path. Defaults to process.stdout. */
  stdout?: { write(text: string): unknown };
  /** Defaults to the downloader's 30 s. */
  stallTimeoutMs?: number;
}

/**
 * `quarry models download <url|id> [--sha256 <hex>] [--file <name>]`: downloads into the models folder the app
 * uses, with a progress line on stderr. Ctrl-C pauses and keeps the partial file; the same command again resumes.
 * Exit codes: 0 done, 1 failed, 130 paused by Ctrl-C.
 */
export async function modelsDownloadCommand(options: ModelsDownloadCommandOptions): Promise<number> {
  const stderr = options.stderr ?? process.stderr;
  const stdout = options.stdout ?? process.stdout;
  const store = new AppStore({ dataDir: options.dataDir });
  const resourcesDir = options.resourcesDir ?? join(import.meta.dirname, '..', '..', 'resources');
  const catalog = new ModelCatalog({ store, dataDir: options.dataDir, resourcesDir });
  const progress = progressWriter(stderr);
  const downloader = new ModelDownloader({
    modelsDir: () => catalog.dir(),
    emit: progress,
    findRecommended: (id) => catalog.recommended().find((m) => m.id === id),
    onFinished: async (files) => {
      if (files.length === 1 && files[0]!.file.endsWith('.gguf')) await catalog.recordSha256(files[0]!.file, files[0]!.sha256).catch(() => undefined);
    },
    ...(options.stallTimeoutMs !== undefined && { stallTimeoutMs: options.stallTimeoutMs }),
  });
  const interrupt = new AbortController();
  const onSigint = (): void => interrupt.abort();
  if (options.signal) options.signal.addEventListener('abort', onSigint, { once: true });
  else process.once('SIGINT', onSigint);
  try {
    const isUrl = /^(https?:|hf:)/i.test(options.source);
    const recommended = isUrl ? undefined : catalog.recommended().find((m) => m.id === options.source);
    if (!isUrl && !recommended) {
      const ids = catalog.recommended().map((m) => m.id);
      throw new CliError(`"${options.source}" is neither an http(s) URL, an hf: URI nor a recommended model (${ids.join(', ') || 'none listed'}).`, 2);
    }
    if (recommended && (options.sha256 !== undefined || options.file !== undefined)) {
      throw new CliError(`--sha256 and --file are for URLs; the recommended model ${recommended.id} pins its own files and hashes.`, 2);
    }
    if (options.sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(options.sha256)) {
      throw new CliError(`--sha256 must be 64 hexadecimal digits, got "${options.sha256}".`, 2);
    }
    const { downloadId } = downloader.start(
      recommended ? { recommendedId: recommended.id } : { url: options.source, ...(options.sha256 !== undefined && { sha256: options.sha256 }), ...(options.file !== undefined && { file: options.file }) },
    );
    const started = downloader.get(downloadId);
    if (started.receivedBytes > 0) stderr.write(`Resuming ${started.file} at ${formatBytes(started.receivedBytes)}.\n`);
    const onInterrupt = (): void => void downloader.pause(downloadId);
    interrupt.signal.addEventListener('abort', onInterrupt, { once: true });
    const end = await downloader.whenSettled(downloadId);
    progress.done();
    if (end.status === 'done') {
      const path = join(catalog.dir(), end.file);
      stderr.write(`Downloaded ${end.file} (${formatBytes(end.receivedBytes)}) into ${catalog.dir()}.\n`);
      stdout.write(`${path}\n`);
      return 0;
    }
    if (end.status === 'paused') {
      stderr.write(`Paused at ${formatBytes(end.receivedBytes)}${end.totalBytes ? ` of ${formatBytes(end.totalBytes)}` : ''}; run the same command again to resume.\n`);
      return 130;
    }
    // Nothing kept to resume (a 404, a loop, a mismatch): leave no saved state behind either.
    if (end.status === 'failed' && end.receivedBytes === 0) await downloader.cancel(downloadId).catch(() => undefined);
    throw new CliError(end.error ?? `The download ended ${end.status}.`, 1);
  } finally {
    progress.done();
    if (options.signal) options.signal.removeEventListener('abort', onSigint);
    else process.removeListener('SIGINT', onSigint);
    await downloader.dispose();
    catalog.dispose();
    store.dispose();
  }
}

type ProgressWriter = ((state: DownloadState) => void) & { done(): void };

function progressWriter(stderr: { write(text: string): unknown; isTTY?: boolean }): ProgressWriter {
  let lastLine = 0;
  let drawn = false;
  const write = ((state: DownloadState) => {
    if (state.status !== 'downloading') return;
    const now = performance.now();
    if (!stderr.isTTY && now - lastLine < 5000) return;
    lastLine = now;
    const line = progressLine(state);
    if (stderr.isTTY) {
      stderr.write(`\r\x1b[K${line}`);
      drawn = true;
    } else {
      stderr.write(`${line}\n`);
    }
  }) as ProgressWriter;
  write.done = () => {
    if (drawn) stderr.write('\n');
    drawn = false;
  };
  return write;
}

function progressLine(state: DownloadState): string {
  const of = state.totalBytes ? ` of ${formatBytes(state.totalBytes)} (${Math.floor((state.receivedBytes / state.totalBytes) * 100)}%)` : '';
  const speed = state.bytesPerSecond > 0 ? `  ${formatBytes(state.bytesPerSecond)}/s` : '';
  const eta = state.etaSeconds !== undefined ? `  ETA ${formatDuration(state.etaSeconds)}` : '';
  return `${state.file}: ${formatBytes(state.receivedBytes)}${of}${speed}${eta}`;
}

function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`;
}
