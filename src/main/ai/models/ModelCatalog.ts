import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync } from 'node:fs';
import { copyFile, link, lstat, readdir, realpath, rename, stat, symlink, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Llama } from 'node-llama-cpp';
import { ApiError } from '../../../shared/api/errors';
import type { FitEstimate, HardwareInfo, ModelFile, ModelSettings, RecommendedModel } from '../../../shared/domain/models';
import { formatBytes } from '../../../shared/format/formatBytes';
import { detectHardware } from './detectHardware';
import { assertFits, estimateFit, type MemoryOverride } from './estimateFit';
import { groupModelFiles, partNamesOf, splitPartOf } from './groupModelFiles';
import { loadRecommendedModels } from './loadRecommendedModels';
import { mergeModelSettings, modelSettingsKey, parseModelSettings } from './modelSettings';
import { readModelHeader } from './readModelMetadata';
import { sharedLlama } from './sharedLlama';

/** The AppStore setting naming the models directory. */
export const modelsDirKey = 'models.dir';
/** The AppStore setting caching each model's sha256 by id, with the size and mtime it was computed for. */
export const modelHashesKey = 'models.hashes';

/** What the catalog needs of the app's settings store (AppStore). */
export interface SettingsStore {
  getSetting(key: string): unknown;
  setSetting(key: string, value: unknown): void;
}

export interface ModelCatalogOptions {
  store: SettingsStore;
  /** The app's data folder; the models directory defaults to `<dataDir>/models`. */
  dataDir: string;
  /** Where recommended-models.json is. */
  resourcesDir: string;
  /** A fixed models directory that wins over the `models.dir` setting (tests, a portable install). Defaults to the setting. */
  modelsDir?: string;
  /** The llama.cpp backend for hardware and fit estimates. Defaults to sharedLlama(). */
  getLlama?: () => Promise<Llama>;
}

/** A model ready for the runtime to load: where it is, the settings to load it with, and the estimate that allowed it. */
export interface LoadPlan {
  model: ModelFile;
  path: string;
  settings: ModelSettings;
  estimate: FitEstimate;
}

interface CachedHeader {
  signature: string;
  result: Pick<ModelFile, 'metadata' | 'error'>;
}
interface HashRecord {
  size: number;
  mtimeMs: number;
  sha256: string;
}

// Deep enough for `owner/repo/file.gguf`, shallow enough that pointing the setting at a home folder stays quick.
const maxScanDepth = 3;
const ggufExtension = /\.gguf$/i;

/**
 * The models directory and the GGUF models in it: listing with metadata read from each header, import (copy
 * or link) and delete, the machine's hardware, the load settings, and whether a model fits before loading.
 * Holds no native resource of its own (the Llama is shared), so dispose() only drops caches.
 */
export class ModelCatalog {
  readonly #options: ModelCatalogOptions;
  readonly #getLlama: () => Promise<Llama>;
  readonly #headers = new Map<string, CachedHeader>();
  #recommended: RecommendedModel[] | undefined;

  constructor(options: ModelCatalogOptions) {
    this.#options = options;
    this.#getLlama = options.getLlama ?? (() => sharedLlama());
  }

  /** The models directory (created when missing): the modelsDir option, else the `models.dir` setting, else `<dataDir>/models`. */
  dir(): string {
    const setting = this.#options.store.getSetting(modelsDirKey);
    const configured = this.#options.modelsDir ?? (typeof setting === 'string' && setting.trim() !== '' ? setting : undefined);
    const dir = resolve(this.#options.dataDir, configured ?? 'models');
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new ApiError('IO_ERROR', `The models folder ${dir} cannot be created (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); change it in Settings (models.dir).`);
    }
    return dir;
  }

  /** Points the `models.dir` setting at another folder (created when missing); undefined goes back to the default. */
  setDir(path: string | undefined): string {
    if (path !== undefined && !isAbsolute(path)) throw new ApiError('BAD_INPUT', `The models folder must be an absolute path, got "${path}".`);
    this.#options.store.setSetting(modelsDirKey, path);
    return this.dir();
  }

  /** Every model in the directory, split sets as one; a file that cannot be read is listed with its error. */
  async list(): Promise<{ dir: string; models: ModelFile[] }> {
    const dir = this.dir();
    const names = await scanGgufFiles(dir);
    const models = await Promise.all(groupModelFiles(names).map((group) => this.#describe(dir, group.id, group.parts, group.files, group.missing)));
    return { dir, models };
  }

  /** One model by id (its name relative to the models directory); NOT_FOUND when it is not there. */
  async get(modelId: string): Promise<ModelFile> {
    const dir = this.dir();
    const path = this.#resolveId(dir, modelId);
    const asked = relative(dir, path).split(sep).join('/');
    const folder = asked.includes('/') ? `${dirname(asked)}/` : '';
    // Any part names the set; the set goes by its first part's name.
    const parts = partNamesOf(basename(asked)).map((name) => folder + name);
    const id = parts[0]!;
    const present: string[] = [];
    const missing: string[] = [];
    for (const part of parts) {
      // A link whose target is gone still counts, so it is listed with its error and can be deleted.
      if (await exists(join(dir, part))) present.push(part);
      else missing.push(part);
    }
    if (present.length === 0) throw new ApiError('NOT_FOUND', `No model "${modelId}" in ${dir}.`);
    return this.#describe(dir, id, parts.length, present, missing);
  }

  /** Reads any GGUF file's header, inside the models directory or not (`quarry models info <file>`). */
  async inspect(path: string): Promise<ModelFile> {
    const absolute = resolve(path);
    if (!(await isFile(absolute))) throw new ApiError('NOT_FOUND', `${path} does not exist or is not a file.`);
    const parts = partNamesOf(basename(absolute));
    const header = await readModelHeader(absolute);
    return { id: basename(absolute), path: absolute, sizeBytes: header.sizeBytes, parts: parts.length, metadata: header.metadata };
  }

  async hardware(): Promise<HardwareInfo> {
    return detectHardware(await this.#llama());
  }

  /** The saved load settings, each missing or invalid field at its default. */
  getSettings(): ModelSettings {
    return parseModelSettings(this.#options.store.getSetting(modelSettingsKey));
  }

  /** Saves the given fields over the saved settings and returns the result. */
  setSettings(changes: Partial<ModelSettings>): ModelSettings {
    const next = mergeModelSettings(this.getSettings(), changes);
    this.#options.store.setSetting(modelSettingsKey, next);
    return next;
  }

  /** Whether a model fits with the saved settings, or with these over them, before loading it. */
  async fit(modelId: string, settings?: Partial<ModelSettings>, memory?: MemoryOverride): Promise<FitEstimate> {
    return (await this.#estimate(modelId, mergeModelSettings(this.getSettings(), settings), memory)).estimate;
  }

  /**
   * What the runtime calls before loading: the model's path, the settings to use and the estimate. Refuses
   * with MODEL_ERROR (the estimate in its detail) when the model does not fit or cannot be read, so a model
   * too large for memory is refused with the numbers instead of taking the app down.
   */
  async planLoad(modelId: string, settings?: Partial<ModelSettings>, memory?: MemoryOverride): Promise<LoadPlan> {
    const merged = mergeModelSettings(this.getSettings(), settings);
    const { model, estimate } = await this.#estimate(modelId, merged, memory);
    assertFits(model.id, estimate);
    return { model, path: model.path, settings: merged, estimate };
  }

  /**
   * Copies or links a GGUF file (every part, for a split model) into the models directory. 'copy' writes to a
   * hidden temporary name and renames when complete, so a failure never leaves a half file; 'link' makes a
   * symbolic link, or a hard link where symbolic links are not allowed (Windows without developer mode).
   * A file that is not a readable GGUF model is refused with the reason.
   */
  async import(path: string, mode: 'copy' | 'link' = 'copy'): Promise<ModelFile> {
    const dir = this.dir();
    let source = resolve(path);
    if (!(await isFile(source))) throw new ApiError('NOT_FOUND', `${path} does not exist or is not a file.`);
    if (!ggufExtension.test(source)) throw new ApiError('MODEL_ERROR', `${basename(source)} is not a .gguf file; Quarry runs GGUF models (convert others with llama.cpp's convert_hf_to_gguf.py).`);
    const split = splitPartOf(basename(source));
    if (split && split.part !== 1) source = join(dirname(source), partNamesOf(basename(source))[0]!);
    const header = await readModelHeader(source);
    const sources = partNamesOf(basename(source)).map((name) => join(dirname(source), name));

    const realDir = await realpath(dir);
    if ((await realpath(dirname(source))) === realDir) return this.get(basename(source));
    for (const part of sources) {
      if (await exists(join(dir, basename(part)))) {
        throw new ApiError('BAD_INPUT', `A model named ${basename(part)} is already in ${dir}; delete it first, or rename the file you import.`);
      }
    }
    if (mode === 'link') await linkParts(sources, dir);
    else await copyParts(sources, dir, header.sizeBytes);
    this.#headers.clear();
    return this.get(basename(source));
  }

  /**
   * Deletes a model: every part of a split one. A linked model loses its link and the original is left alone.
   * Only .gguf files inside the models directory can be deleted.
   */
  async delete(modelId: string): Promise<void> {
    const model = await this.get(modelId);
    const dir = this.dir();
    const parts = partNamesOf(basename(model.id)).map((name) => join(dirname(model.path), name));
    for (const part of parts) {
      try {
        await unlink(part);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') continue;
        if (code === 'EBUSY' || code === 'EPERM' || code === 'EACCES') {
          throw new ApiError('IO_ERROR', `${basename(part)} cannot be deleted (${code}): it is in use or read-only. Unload the model first.`);
        }
        throw new ApiError('IO_ERROR', `${basename(part)} cannot be deleted (${code ?? (error as Error).message}).`);
      }
    }
    this.#forgetHash(model.id);
    for (const key of this.#headers.keys()) if (key.startsWith(`${dir}\0${model.id}`)) this.#headers.delete(key);
  }

  /** The shipped list of recommended models (read once). */
  recommended(): RecommendedModel[] {
    this.#recommended ??= loadRecommendedModels(this.#options.resourcesDir);
    return this.#recommended;
  }

  /**
   * The model's sha256 (of its parts in order, for a split model), computed once and remembered with the size
   * and modification time it was computed for, so a replaced file is hashed again.
   */
  async sha256(modelId: string): Promise<string> {
    const model = await this.get(modelId);
    const known = model.sha256;
    if (known !== undefined) return known;
    const parts = partNamesOf(basename(model.path)).map((name) => join(dirname(model.path), name));
    const hash = createHash('sha256');
    for (const part of parts) {
      for await (const chunk of createReadStream(part)) hash.update(chunk as Buffer);
    }
    const sha256 = hash.digest('hex');
    await this.recordSha256(model.id, sha256);
    return sha256;
  }

  /** Remembers a hash the caller knows (a verified download) so the model is never hashed again. */
  async recordSha256(modelId: string, sha256: string): Promise<void> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new ApiError('BAD_INPUT', `Not a sha256: "${sha256}".`);
    const model = await this.get(modelId);
    const signature = await statSignature(partNamesOf(basename(model.path)).map((name) => join(dirname(model.path), name)));
    if (!signature) return;
    const hashes = this.#hashes();
    hashes[model.id] = { size: signature.size, mtimeMs: signature.mtimeMs, sha256 };
    this.#options.store.setSetting(modelHashesKey, hashes);
  }

  dispose(): void {
    this.#headers.clear();
  }

  #llama(): Promise<Llama> {
    return this.#getLlama().catch((error: unknown) => {
      throw new ApiError('MODEL_ERROR', `The llama.cpp backend cannot start: ${(error as Error).message.split('\n')[0]}`);
    });
  }

  async #estimate(modelId: string, settings: ModelSettings, memory: MemoryOverride | undefined): Promise<{ model: ModelFile; estimate: FitEstimate }> {
    const model = await this.get(modelId);
    if (model.error !== undefined) throw new ApiError('MODEL_ERROR', model.error);
    const header = await readModelHeader(model.path, { withVocabulary: true });
    const estimate = await estimateFit({ llama: await this.#llama(), info: header.info, settings, ...(memory && { memory }) });
    return { model, estimate };
  }

  #resolveId(dir: string, modelId: string): string {
    if (modelId.includes('\0') || isAbsolute(modelId) || modelId.split(/[\\/]/).includes('..')) {
      throw new ApiError('BAD_INPUT', `"${modelId}" is not a model id: ids are names inside the models folder.`);
    }
    const path = resolve(dir, modelId);
    if (!path.startsWith(dir + sep)) throw new ApiError('BAD_INPUT', `"${modelId}" is outside the models folder.`);
    if (!ggufExtension.test(path)) throw new ApiError('BAD_INPUT', `"${modelId}" is not a .gguf model.`);
    return path;
  }

  async #describe(dir: string, id: string, parts: number, files: string[], missing: string[]): Promise<ModelFile> {
    const paths = files.map((file) => join(dir, file));
    const signature = await statSignature(paths);
    const sizeBytes = signature?.size ?? 0;
    const model: ModelFile = { id, path: join(dir, id), sizeBytes, parts };
    const hash = this.#hashes()[id];
    if (hash && signature && missing.length === 0 && hash.size === signature.size && hash.mtimeMs === signature.mtimeMs) model.sha256 = hash.sha256;
    if (missing.length > 0) {
      model.error = `${missing.length} of ${parts} parts ${missing.length === 1 ? 'is' : 'are'} missing: ${missing.map((m) => basename(m)).join(', ')}. Download ${missing.length === 1 ? 'it' : 'them'} again, or delete the set.`;
      return model;
    }
    const key = `${dir}\0${id}`;
    const sig = signature ? `${signature.size}:${signature.mtimeMs}` : '';
    const cached = this.#headers.get(key);
    if (cached && cached.signature === sig) return { ...model, ...cached.result };
    let result: CachedHeader['result'];
    try {
      result = { metadata: (await readModelHeader(model.path)).metadata };
    } catch (error) {
      result = { error: error instanceof ApiError ? error.message : `${basename(id)} cannot be read: ${(error as Error).message}` };
    }
    this.#headers.set(key, { signature: sig, result });
    return { ...model, ...result };
  }

  #hashes(): Record<string, HashRecord> {
    const stored = this.#options.store.getSetting(modelHashesKey);
    return typeof stored === 'object' && stored !== null ? { ...(stored as Record<string, HashRecord>) } : {};
  }

  #forgetHash(modelId: string): void {
    const hashes = this.#hashes();
    if (!(modelId in hashes)) return;
    delete hashes[modelId];
    this.#options.store.setSetting(modelHashesKey, hashes);
  }
}

/** GGUF files under `dir` (relative, '/'-separated), skipping hidden entries (imports and downloads in progress). */
async function scanGgufFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (folder: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      return; // an unreadable subfolder hides its models, not the others
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      let isDir = entry.isDirectory();
      let isRegular = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await stat(path).catch(() => undefined);
        // A dangling link to a .gguf is listed, so its error ("the link points to a file that is gone") shows.
        isRegular = target === undefined ? ggufExtension.test(entry.name) : target.isFile();
        isDir = target?.isDirectory() ?? false;
      }
      if (isRegular && ggufExtension.test(entry.name)) found.push(relative(dir, path).split(sep).join('/'));
      else if (isDir && depth < maxScanDepth) await walk(path, depth + 1);
    }
  };
  await walk(dir, 1);
  return found;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(() => true, () => false);
}

async function statSignature(paths: string[]): Promise<{ size: number; mtimeMs: number } | undefined> {
  let size = 0;
  let mtimeMs = 0;
  for (const path of paths) {
    const s = await stat(path).catch(() => undefined);
    if (!s) return undefined;
    size += s.size;
    mtimeMs = Math.max(mtimeMs, Math.floor(s.mtimeMs));
  }
  return { size, mtimeMs };
}

async function copyParts(sources: string[], dir: string, totalBytes: number): Promise<void> {
  const staged: { temp: string; target: string }[] = [];
  const renamed: string[] = [];
  try {
    for (const source of sources) {
      const temp = join(dir, `.${basename(source)}.import-${randomBytes(4).toString('hex')}`);
      staged.push({ temp, target: join(dir, basename(source)) });
      await copyFile(source, temp);
    }
    for (const { temp, target } of staged) {
      await rename(temp, target);
      renamed.push(target);
    }
  } catch (error) {
    await Promise.all([...staged.map((s) => unlink(s.temp).catch(() => undefined)), ...renamed.map((r) => unlink(r).catch(() => undefined))]);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC') throw new ApiError('IO_ERROR', `Not enough disk space in ${dir} to copy the model (${formatBytes(totalBytes)}); nothing was left behind.`);
    throw new ApiError('IO_ERROR', `Copying the model into ${dir} failed (${code ?? (error as Error).message}); nothing was left behind.`);
  }
}

async function linkParts(sources: string[], dir: string): Promise<void> {
  const made: string[] = [];
  try {
    for (const source of sources) {
      const target = join(dir, basename(source));
      try {
        await symlink(source, target, 'file');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EPERM' && code !== 'EACCES' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
        await link(source, target);
      }
      made.push(target);
    }
  } catch (error) {
    await Promise.all(made.map((m) => unlink(m).catch(() => undefined)));
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EXDEV') throw new ApiError('IO_ERROR', `The model is on another drive than ${dir} and this system allows no link across drives; import it as a copy.`);
    throw new ApiError('IO_ERROR', `Linking the model into ${dir} failed (${code ?? (error as Error).message}); import it as a copy.`);
  }
}
