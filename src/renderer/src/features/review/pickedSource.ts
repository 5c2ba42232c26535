import type { MethodInput } from '../../../../shared/api/contract';
import { reviewUploadLimits } from '../../../../shared/domain/review';

/** What review.start reviews: a path where the main process runs (Electron), or the files themselves (browser). */
export type ReviewSource = MethodInput<'review.start'>['source'];

/** A source picked or dropped; reading its bytes is deferred so the screen can show progress while it reads. */
export interface PickedSource {
  /** The dropped folder or file's name, or "N items". */
  name: string;
  read(onProgress: (done: number, total: number) => void, signal: AbortSignal): Promise<ReviewSource>;
}

/**
 * review.start's limits, checked here before anything is encoded, since a larger message would not even reach the
 * server's own check.
 */
const { files: maxFiles, bytes: maxUploadBytes } = reviewUploadLimits;

/** Folders that hold no migrations and can hold a great many files. */
const skippedFolders = new Set(['.git', 'node_modules', '.hg', '.svn']);

interface RelativeFile {
  path: string;
  file: File;
}

/** Electron's preload may expose the real path of a dropped or picked File (webUtils.getPathForFile). */
function pathForFile(file: File): string | undefined {
  const path = window.quarry?.pathForFile?.(file);
  return path ? path : undefined;
}

/**
 * Reads a drop. Must be called during the drop event: the DataTransfer empties once the handler returns, so the
 * entries are taken now and only their contents are read later. Undefined when the drop carries no files.
 */
export function pickedFromDrop(dataTransfer: DataTransfer): PickedSource | undefined {
  const files = [...dataTransfer.files];
  const entries = [...dataTransfer.items]
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry?.() ?? null)
    .filter((e): e is FileSystemEntry => e !== null);
  if (!files.length && !entries.length) return undefined;

  const onlyPath = files.length === 1 ? pathForFile(files[0]!) : undefined;
  if (onlyPath) return { name: baseName(onlyPath), read: async () => ({ kind: 'path', path: onlyPath }) };

  if (!entries.length) {
    // No entry API (or a synthetic drop): each File stands for itself; a folder cannot be told from here.
    return fromFiles(files.length === 1 ? files[0]!.name : `${files.length} items`, files.map((file) => ({ path: file.name, file })));
  }
  const single = entries.length === 1 ? entries[0]! : undefined;
  const name = single ? single.name : `${entries.length} items`;
  return {
    name,
    async read(onProgress, signal) {
      const collected: RelativeFile[] = [];
      for (const entry of entries) {
        // A single dropped folder is the root: its files' paths start below it, as the readers expect.
        const prefix = single?.isDirectory ? `/${single.name}/` : '/';
        await collect(entry, prefix, collected, signal, (n) => onProgress(0, n));
      }
      return encode(name, collected, onProgress, signal);
    },
  };
}

/** Files from <input type=file> (one file) or <input type=file webkitdirectory> (a folder, paths relative to it). */
export function pickedFromInput(list: FileList): PickedSource | undefined {
  const files = [...list];
  if (!files.length) return undefined;
  const first = files[0]!;
  const folder = first.webkitRelativePath ? first.webkitRelativePath.split('/')[0]! : undefined;
  if (!folder) {
    const path = files.length === 1 ? pathForFile(first) : undefined;
    if (path) return { name: baseName(path), read: async () => ({ kind: 'path', path }) };
    return fromFiles(files.length === 1 ? first.name : `${files.length} items`, files.map((file) => ({ path: file.name, file })));
  }
  const firstPath = pathForFile(first);
  if (firstPath) {
    // The folder's own path: the file's path less what lies below the folder (separators keep their length).
    const below = first.webkitRelativePath.length - folder.length;
    const root = firstPath.slice(0, firstPath.length - below);
    return { name: folder, read: async () => ({ kind: 'path', path: root }) };
  }
  const relative = files
    .map((file) => ({ path: file.webkitRelativePath.slice(folder.length + 1), file }))
    .filter((f) => !f.path.split('/').some((part) => skippedFolders.has(part)));
  return fromFiles(folder, relative);
}

function fromFiles(name: string, files: RelativeFile[]): PickedSource {
  return { name, read: (onProgress, signal) => encode(name, files, onProgress, signal) };
}

async function collect(entry: FileSystemEntry, prefix: string, out: RelativeFile[], signal: AbortSignal, onCount: (n: number) => void): Promise<void> {
  signal.throwIfAborted();
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ path: entry.fullPath.startsWith(prefix) ? entry.fullPath.slice(prefix.length) : entry.name, file });
    if (out.length > maxFiles) throw new Error(`The drop holds more than ${maxFiles.toLocaleString()} files; review a smaller folder.`);
    onCount(out.length);
    return;
  }
  if (!entry.isDirectory || skippedFolders.has(entry.name)) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries hands out a folder in batches (100 in Chromium) until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) break;
    for (const child of batch) await collect(child, prefix, out, signal, onCount);
  }
}

async function encode(name: string, files: RelativeFile[], onProgress: (done: number, total: number) => void, signal: AbortSignal): Promise<ReviewSource> {
  if (!files.length) throw new Error(`${name} holds no files to review.`);
  if (files.length > maxFiles) throw new Error(`${name} holds ${files.length.toLocaleString()} files; Quarry reviews up to ${maxFiles.toLocaleString()} at a time.`);
  const bytes = files.reduce((n, f) => n + f.file.size, 0);
  if (bytes > maxUploadBytes) {
    const mib = (n: number) => `${Math.round((n / (1024 * 1024)) * 10) / 10} MiB`;
    throw new Error(`${name} is ${mib(bytes)}; the browser door takes up to ${mib(maxUploadBytes)} at a time. Review it with \`quarry review <path>\`, or in the desktop app.`);
  }
  const out: { path: string; base64: string }[] = [];
  onProgress(0, files.length);
  for (const [i, f] of files.entries()) {
    signal.throwIfAborted();
    out.push({ path: f.path, base64: await toBase64(f.file) });
    if (i % 50 === 49 || i === files.length - 1) onProgress(i + 1, files.length);
  }
  return { kind: 'files', name: name.slice(0, 255), files: out };
}

/** FileReader's data URL is base64 already, and much faster than encoding byte by byte. */
function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(new Error(`Could not read ${file.name}: ${reader.error?.message ?? 'unknown error'}`));
    reader.readAsDataURL(file);
  });
}

function baseName(path: string): string {
  return path.replace(/[\\/]+$/, '').split(/[\\/]/).pop() || path;
}
