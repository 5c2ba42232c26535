import { lstat, open, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { GgmlType, GgufFileType, readGgufFileInfo, type GgufFileInfo } from 'node-llama-cpp';
import { ApiError } from '../../../shared/api/errors';
import type { GgufMetadata } from '../../../shared/domain/models';
import { partNamesOf, splitPartOf } from './groupModelFiles';
import { GgufHeaderError, scanGgufHeader } from './scanGgufHeader';

export interface ReadModelOptions {
  /**
   * Keep the tokenizer's vocabulary and merges. GgufInsights needs the vocabulary size for its context
   * estimate; a listing does not, and skipping them keeps megabytes of strings out of memory. Defaults to false.
   */
  withVocabulary?: boolean;
  /** Give up on a header that takes longer than this (a file on a stalled network share). Defaults to 15,000 ms. */
  timeoutMs?: number;
}

export interface ModelHeader {
  info: GgufFileInfo;
  metadata: GgufMetadata;
  /** Bytes of all parts together. */
  sizeBytes: number;
}

const vocabularyKeys = ['tokenizer.ggml.tokens', 'tokenizer.ggml.merges', 'tokenizer.ggml.token_type', 'tokenizer.ggml.scores'];

/**
 * Reads a GGUF model's header (and, for a split model given by its first part, every part's) without
 * loading it. Everything that is wrong with the file — missing, not GGUF, an unsupported version, a
 * damaged header, tensor data cut short, a missing part — is an ApiError MODEL_ERROR saying so in words;
 * a hostile file never crashes the caller.
 */
export async function readModelHeader(path: string, options: ReadModelOptions = {}): Promise<ModelHeader> {
  const name = basename(path);
  const parts = partNamesOf(name).map((part) => join(dirname(path), part));
  const split = splitPartOf(name);
  if (split && split.part !== 1) {
    throw modelError(`${name} is part ${split.part} of ${split.total} of a split model; open its first part, ${basename(parts[0]!)}.`);
  }
  const sizes: number[] = [];
  for (const part of parts) sizes.push(await fileSize(part, parts.length > 1 ? `${basename(part)} (part ${sizes.length + 1} of ${parts.length} of ${name})` : name));
  for (const [i, part] of parts.entries()) {
    await checkPreamble(part, sizes[i]!);
    const label = parts.length > 1 ? `${basename(part)} (part ${i + 1} of ${parts.length} of ${name})` : name;
    try {
      await scanGgufHeader(part, sizes[i]!);
    } catch (error) {
      if (!(error instanceof GgufHeaderError)) throw modelError(`${label} cannot be read (${(error as Error).message}).`);
      throw modelError(
        error.truncated
          ? `${label} is truncated (or damaged): ${error.message}. Download it again.`
          : `${label} has a damaged GGUF header: ${error.message}. The file is corrupt; download it again.`,
      );
    }
  }

  let info: GgufFileInfo;
  try {
    info = await readGgufFileInfo(path, {
      sourceType: 'filesystem',
      logWarnings: false,
      spliceSplitFiles: true,
      ignoreKeys: options.withVocabulary ? [] : vocabularyKeys,
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      throw modelError(`${name}: reading the GGUF header took longer than ${Math.round((options.timeoutMs ?? 15_000) / 1000)} s; is the file on a slow or stalled drive?`);
    }
    throw modelError(`${name} has a damaged GGUF header (${reason}); the file is corrupt or was cut short. Download it again.`);
  }
  if (typeof info.metadata?.general?.architecture !== 'string') {
    throw modelError(`${name} is GGUF but names no architecture (general.architecture); it is not a model llama.cpp can load.`);
  }
  checkTensorData(name, parts, sizes, info);
  return { info, metadata: toMetadata(info), sizeBytes: sizes.reduce((a, b) => a + b, 0) };
}

/** The metadata of a GGUF model, read from its header; see readModelHeader for the errors. */
export async function readModelMetadata(path: string, options?: ReadModelOptions): Promise<GgufMetadata> {
  return (await readModelHeader(path, options)).metadata;
}

function modelError(message: string): ApiError {
  return new ApiError('MODEL_ERROR', message);
}

async function fileSize(path: string, label: string): Promise<number> {
  try {
    const s = await stat(path);
    if (!s.isFile()) throw modelError(`${label} is not a file.`);
    return s.size;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw modelError(`${label} is missing${await isDanglingLink(path) ? ' (the link points to a file that is gone)' : ''}.`);
    if (code === 'EACCES' || code === 'EPERM') throw modelError(`${label} cannot be read: permission denied.`);
    throw modelError(`${label} cannot be read (${code ?? (error as Error).message}).`);
  }
}

async function isDanglingLink(path: string): Promise<boolean> {
  return lstat(path).then((s) => s.isSymbolicLink(), () => false);
}

/** The first bytes say what a file is; a download that saved an error page or an LFS pointer is common. */
async function checkPreamble(path: string, size: number): Promise<void> {
  const name = basename(path);
  const head = Buffer.alloc(Math.min(size, 64));
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw modelError(`${name} cannot be read (${error.code ?? error.message}).`);
  });
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  if (head.subarray(0, 4).toString('latin1') !== 'GGUF') {
    throw modelError(`${name} is not a GGUF file: ${describeNonGguf(head, size)}.`);
  }
  if (size < 24) throw modelError(`${name} is cut short: ${size} bytes, less than a GGUF header (24 bytes).`);
  const version = head.readUInt32LE(4);
  if (version < 2 || version > 3) {
    throw modelError(`${name} is GGUF version ${version}; llama.cpp reads versions 2 and 3${version === 1 ? ' (convert this old file again)' : ''}.`);
  }
}

function describeNonGguf(head: Buffer, size: number): string {
  if (size === 0) return 'it is empty';
  const text = head.toString('utf8').trimStart().toLowerCase();
  if (text.startsWith('version https://git-lfs')) return 'it is a Git LFS pointer, not the model itself';
  if (text.startsWith('<!doctype') || text.startsWith('<html')) return 'it is a web page (a download that saved an error page?)';
  if (text.startsWith('{') || text.startsWith('[')) return 'it is JSON text';
  if (head.subarray(0, 2).toString('latin1') === 'PK') return 'it is a ZIP archive';
  if (head.subarray(0, 4).toString('latin1') === 'ggjt' || head.subarray(0, 4).toString('latin1') === 'tjgg') return 'it is an old GGML/GGJT file; convert it to GGUF';
  if (head.length >= 10 && head.readBigUInt64LE(0) < BigInt(size) && head.subarray(8, 10).toString('latin1') === '{"') return 'it is a safetensors file; convert it to GGUF';
  return `it does not start with the GGUF magic (its first bytes are ${head.subarray(0, 4).toString('hex')})`;
}

/** Bytes per block and values per block of the ggml tensor types, as in ggml.c's type traits. */
const ggmlBlock: Partial<Record<GgmlType, [bytes: number, values: number]>> = {
  [GgmlType.F32]: [4, 1], [GgmlType.F16]: [2, 1], [GgmlType.BF16]: [2, 1], [GgmlType.F64]: [8, 1],
  [GgmlType.I8]: [1, 1], [GgmlType.I16]: [2, 1], [GgmlType.I32]: [4, 1], [GgmlType.I64]: [8, 1],
  [GgmlType.Q4_0]: [18, 32], [GgmlType.Q4_1]: [20, 32], [GgmlType.Q5_0]: [22, 32], [GgmlType.Q5_1]: [24, 32],
  [GgmlType.Q8_0]: [34, 32], [GgmlType.Q8_1]: [36, 32], [GgmlType.IQ4_NL]: [18, 32],
  [GgmlType.Q2_K]: [84, 256], [GgmlType.Q3_K]: [110, 256], [GgmlType.Q4_K]: [144, 256], [GgmlType.Q5_K]: [176, 256],
  [GgmlType.Q6_K]: [210, 256], [GgmlType.Q8_K]: [292, 256], [GgmlType.IQ2_XXS]: [66, 256], [GgmlType.IQ2_XS]: [74, 256],
  [GgmlType.IQ2_S]: [82, 256], [GgmlType.IQ3_XXS]: [98, 256], [GgmlType.IQ3_S]: [110, 256], [GgmlType.IQ1_S]: [50, 256],
  [GgmlType.IQ1_M]: [56, 256], [GgmlType.IQ4_XS]: [136, 256],
};

/**
 * The header alone cannot tell a download cut short from a whole file, but the tensor table can: each
 * tensor's data must lie inside its part. Tensor types this table does not know are checked by their
 * start only, so an unknown new type never makes a sound file look truncated.
 */
function checkTensorData(name: string, parts: string[], sizes: number[], info: GgufFileInfo): void {
  const ends = sizes.map(() => 0);
  for (const tensor of info.fullTensorInfo ?? []) {
    const part = (tensor.filePart ?? 1) - 1;
    if (part < 0 || part >= ends.length) continue;
    const start = Number(tensor.fileOffset);
    const block = ggmlBlock[tensor.ggmlType];
    let bytes = 0;
    if (block) {
      const values = tensor.dimensions.reduce<number>((n, d) => n * Number(d), 1);
      bytes = Math.ceil(values / block[1]) * block[0];
    }
    ends[part] = Math.max(ends[part]!, start + bytes);
  }
  for (const [i, end] of ends.entries()) {
    if (end > sizes[i]!) {
      const label = parts.length > 1 ? `${basename(parts[i]!)} (part ${i + 1} of ${parts.length} of ${name})` : name;
      throw modelError(`${label} is truncated: its tensors need ${end.toLocaleString('en-US')} bytes but the file has ${sizes[i]!.toLocaleString('en-US')}. Download it again.`);
    }
  }
}

function toMetadata(info: GgufFileInfo): GgufMetadata {
  const general = info.metadata.general as Record<string, unknown>;
  const arch = (info.architectureMetadata ?? {}) as Record<string, unknown>;
  const tokenizer = (info.metadata as { tokenizer?: Record<string, unknown> }).tokenizer;
  const parameterCount = toNumber(general.parameter_count) ?? countParameters(info);
  const quantization = quantizationName(toNumber(general.file_type), info);
  const contextLength = toNumber(arch.context_length);
  const layers = toNumber(arch.block_count);
  return {
    architecture: String(general.architecture),
    ...(typeof general.name === 'string' && general.name !== '' && { name: general.name }),
    ...(parameterCount !== undefined && parameterCount > 0 && { parameterCount }),
    ...(quantization !== undefined && { quantization }),
    ...(contextLength !== undefined && { contextLength }),
    ...(layers !== undefined && { layers }),
    ...(typeof tokenizer?.chat_template === 'string' && { chatTemplate: tokenizer.chat_template }),
  };
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

function countParameters(info: GgufFileInfo): number | undefined {
  if (!info.fullTensorInfo) return undefined;
  let total = 0;
  for (const tensor of info.fullTensorInfo) total += tensor.dimensions.reduce<number>((n, d) => n * Number(d), 1);
  return total;
}

/** general.file_type as llama.cpp's quantize names it (Q4_K_M …); else the type most of the weights have. */
function quantizationName(fileType: number | undefined, info: GgufFileInfo): string | undefined {
  if (fileType !== undefined) {
    const name = (GgufFileType as unknown as Record<number, string | undefined>)[fileType];
    if (name !== undefined) return name.replace(/^(MOSTLY|ALL)_/, '');
  }
  const byType = new Map<GgmlType, number>();
  for (const tensor of info.fullTensorInfo ?? []) {
    const values = tensor.dimensions.reduce<number>((n, d) => n * Number(d), 1);
    byType.set(tensor.ggmlType, (byType.get(tensor.ggmlType) ?? 0) + values);
  }
  let best: GgmlType | undefined;
  for (const [type, values] of byType) if (best === undefined || values > byType.get(best)!) best = type;
  return best === undefined ? undefined : (GgmlType as unknown as Record<number, string | undefined>)[best];
}
