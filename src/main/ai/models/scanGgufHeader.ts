import { open } from 'node:fs/promises';

/** The shape of a GGUF header, walked with every length checked against the file. */
export interface GgufHeaderScan {
  version: number;
  tensorCount: number;
  kvCount: number;
  /** Where the tensor data starts (the header, the tensor table and the alignment padding end here). */
  dataOffset: number;
}

/** Why a header is refused; `truncated` when it runs past the end of the file. */
export class GgufHeaderError extends Error {
  constructor(
    message: string,
    readonly truncated: boolean,
  ) {
    super(message);
    this.name = 'GgufHeaderError';
  }
}

// Far above any real model (Gemma's 256k-token vocabulary is ~20 MB of header), far below what a reader could allocate.
const maxHeaderBytes = 1 << 30;
const maxStringBytes = 64 << 20;
const maxCount = 50_000_000;
const maxDims = 4; // GGML_MAX_DIMS
const fixedSize: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const stringType = 8;
const arrayType = 9;
const window = 1 << 20;

/**
 * Walks a GGUF header — key/value pairs and the tensor table — before node-llama-cpp's reader sees it. That
 * reader trusts the lengths it reads: past the end of the file it reads zeros (so a header cut short looks
 * whole), and a hostile length makes Node abort the whole process (an assertion in fs.read). This walk checks
 * every length and count against what is left of the file and against sane limits, and says where it broke.
 */
export async function scanGgufHeader(path: string, fileSize: number): Promise<GgufHeaderScan> {
  const handle = await open(path, 'r');
  try {
    let buf = Buffer.alloc(0);
    let bufStart = 0;
    let pos = 0;
    const limit = Math.min(fileSize, maxHeaderBytes);

    const need = async (n: number, what: string): Promise<void> => {
      if (pos + n <= bufStart + buf.length) return;
      if (pos + n > limit) {
        if (pos + n > fileSize) throw new GgufHeaderError(`${what} at byte ${pos} runs past the end of the file (${fileSize} bytes)`, true);
        throw new GgufHeaderError(`the header is larger than ${maxHeaderBytes} bytes`, false);
      }
      const length = Math.min(Math.max(n, window), limit - pos);
      const next = Buffer.alloc(length);
      const { bytesRead } = await handle.read(next, 0, length, pos);
      if (bytesRead < n) throw new GgufHeaderError(`${what} at byte ${pos} runs past the end of the file`, true);
      buf = next.subarray(0, bytesRead);
      bufStart = pos;
    };
    const skip = async (n: number, what: string): Promise<void> => {
      if (pos + n > fileSize) throw new GgufHeaderError(`${what} at byte ${pos} (${n} bytes) runs past the end of the file (${fileSize} bytes)`, true);
      if (pos + n > limit) throw new GgufHeaderError(`the header is larger than ${maxHeaderBytes} bytes`, false);
      pos += n;
    };
    const u32 = async (what: string): Promise<number> => {
      await need(4, what);
      const v = buf.readUInt32LE(pos - bufStart);
      pos += 4;
      return v;
    };
    const u64 = async (what: string): Promise<bigint> => {
      await need(8, what);
      const v = buf.readBigUInt64LE(pos - bufStart);
      pos += 8;
      return v;
    };
    const count = async (what: string, max: number): Promise<number> => {
      const v = await u64(what);
      if (v > BigInt(max)) throw new GgufHeaderError(`${what} at byte ${pos - 8} is ${v}, more than ${max}`, false);
      return Number(v);
    };
    const string = async (what: string, max = maxStringBytes): Promise<string | undefined> => {
      const length = await count(`the length of ${what}`, max);
      if (length > 256) {
        await skip(length, what);
        return undefined;
      }
      await need(length, what);
      const s = buf.toString('utf8', pos - bufStart, pos - bufStart + length);
      pos += length;
      return s;
    };
    // The vocabulary and merges are most of a header (300,000 strings for Qwen): walked without an await per item.
    const skipStrings = async (n: number, key: string): Promise<void> => {
      for (let i = 0; i < n; i++) {
        if (pos + 8 > bufStart + buf.length) await need(8, `the length of an item of ${key}`);
        const length = buf.readBigUInt64LE(pos - bufStart);
        if (length > BigInt(maxStringBytes)) throw new GgufHeaderError(`an item of ${key} at byte ${pos} is ${length} bytes long, more than ${maxStringBytes}`, false);
        pos += 8;
        const bytes = Number(length);
        if (pos + bytes <= bufStart + buf.length) pos += bytes;
        else await skip(bytes, `an item of ${key}`);
      }
    };
    const value = async (type: number, key: string, depth: number): Promise<bigint | number | undefined> => {
      const size = fixedSize[type];
      if (size !== undefined) {
        await need(size, `the value of ${key}`);
        const at = pos - bufStart;
        const v = type === 4 ? buf.readUInt32LE(at) : type === 10 ? buf.readBigUInt64LE(at) : undefined;
        pos += size;
        return v;
      }
      if (type === stringType) {
        await string(`the value of ${key}`);
        return undefined;
      }
      if (type === arrayType) {
        if (depth > 1) throw new GgufHeaderError(`${key} nests arrays deeper than GGUF allows`, false);
        const itemType = await u32(`the item type of ${key}`);
        const n = await count(`the item count of ${key}`, maxCount);
        const itemSize = fixedSize[itemType];
        if (itemSize !== undefined) await skip(n * itemSize, `the items of ${key}`);
        else if (itemType === stringType) await skipStrings(n, key);
        else if (itemType === arrayType) for (let i = 0; i < n; i++) await value(itemType, key, depth + 1);
        else throw new GgufHeaderError(`${key} has items of unknown type ${itemType}`, false);
        return undefined;
      }
      throw new GgufHeaderError(`${key} has unknown value type ${type}`, false);
    };

    await need(24, 'the fixed header');
    pos = 4;
    const version = await u32('the version');
    const tensorCount = await count('the tensor count', maxCount);
    const kvCount = await count('the key/value count', maxCount);
    let alignment = 32;
    for (let i = 0; i < kvCount; i++) {
      const key = (await string(`key ${i + 1} of ${kvCount}`, 65_536)) ?? `key ${i + 1}`;
      const type = await u32(`the type of ${key}`);
      const v = await value(type, key, 0);
      if (key === 'general.alignment' && typeof v === 'number') {
        if (v === 0 || (v & (v - 1)) !== 0) throw new GgufHeaderError(`general.alignment is ${v}, not a power of two`, false);
        alignment = v;
      }
    }
    for (let i = 0; i < tensorCount; i++) {
      await string(`the name of tensor ${i + 1} of ${tensorCount}`, 65_536);
      const dims = await u32(`the dimension count of tensor ${i + 1}`);
      if (dims < 1 || dims > maxDims) throw new GgufHeaderError(`tensor ${i + 1} has ${dims} dimensions (1 to ${maxDims} allowed)`, false);
      for (let d = 0; d < dims; d++) {
        const size = await u64(`a dimension of tensor ${i + 1}`);
        if (size > BigInt(Number.MAX_SAFE_INTEGER)) throw new GgufHeaderError(`tensor ${i + 1} has an impossible dimension ${size}`, false);
      }
      await u32(`the type of tensor ${i + 1}`);
      const offset = await u64(`the data offset of tensor ${i + 1}`);
      if (offset > BigInt(Number.MAX_SAFE_INTEGER)) throw new GgufHeaderError(`tensor ${i + 1} has an impossible offset ${offset}`, false);
    }
    const dataOffset = Math.ceil(pos / alignment) * alignment;
    if (tensorCount > 0 && dataOffset > fileSize) {
      throw new GgufHeaderError(`the tensor data should start at byte ${dataOffset} but the file ends at ${fileSize}`, true);
    }
    return { version, tensorCount, kvCount, dataOffset };
  } finally {
    await handle.close();
  }
}
