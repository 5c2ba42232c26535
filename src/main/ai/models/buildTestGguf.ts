/** A metadata value for buildTestGguf: the GGUF type is picked from the JS type. */
export type TestGgufValue = string | number | bigint | boolean | string[] | number[];

export interface TestGgufTensor {
  name: string;
  dims: number[];
}

export interface TestGgufOptions {
  /** Defaults to { 'general.architecture': 'llama', 'general.name': 'test', 'llama.context_length': 256, 'llama.block_count': 1 }. */
  metadata?: Record<string, TestGgufValue>;
  /** F32 tensors, filled with zeros. Defaults to one 8×4 tensor. */
  tensors?: TestGgufTensor[];
  /** Defaults to 3. */
  version?: number;
}

const alignment = 32;

/**
 * A small, valid GGUF file (v3, F32 tensors of zeros) for tests that need a header without a real model:
 * readers, truncation, import and delete. llama.cpp could not run it; it only has to parse. Integers are
 * written as uint32, other numbers as float32, bigints as uint64, arrays of strings or of uint32.
 */
export function buildTestGguf(options: TestGgufOptions = {}): Buffer {
  const metadata = options.metadata ?? { 'general.architecture': 'llama', 'general.name': 'test', 'llama.context_length': 256, 'llama.block_count': 1 };
  const tensors = options.tensors ?? [{ name: 'token_embd.weight', dims: [8, 4] }];
  const chunks: Buffer[] = [];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    chunks.push(b);
  };
  const u64 = (n: number | bigint) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    chunks.push(b);
  };
  const str = (s: string) => {
    const bytes = Buffer.from(s, 'utf8');
    u64(bytes.length);
    chunks.push(bytes);
  };
  chunks.push(Buffer.from('GGUF', 'latin1'));
  u32(options.version ?? 3);
  u64(tensors.length);
  u64(Object.keys(metadata).length);
  for (const [key, value] of Object.entries(metadata)) {
    str(key);
    if (typeof value === 'string') {
      u32(8);
      str(value);
    } else if (typeof value === 'boolean') {
      u32(7);
      chunks.push(Buffer.from([value ? 1 : 0]));
    } else if (typeof value === 'bigint') {
      u32(10);
      u64(value);
    } else if (typeof value === 'number') {
      if (Number.isInteger(value) && value >= 0) {
        u32(4);
        u32(value);
      } else {
        u32(6);
        const b = Buffer.alloc(4);
        b.writeFloatLE(value);
        chunks.push(b);
      }
    } else {
      u32(9);
      const strings = value.length > 0 && typeof value[0] === 'string';
      u32(strings ? 8 : 4);
      u64(value.length);
      for (const item of value) {
        if (strings) str(String(item));
        else u32(Number(item));
      }
    }
  }
  let offset = 0;
  const sizes: number[] = [];
  for (const tensor of tensors) {
    str(tensor.name);
    u32(tensor.dims.length);
    for (const d of tensor.dims) u64(d);
    u32(0); // F32
    u64(offset);
    const size = tensor.dims.reduce((a, b) => a * b, 1) * 4;
    sizes.push(size);
    offset += Math.ceil(size / alignment) * alignment;
  }
  const header = Buffer.concat(chunks);
  const padded = Math.ceil(header.length / alignment) * alignment;
  return Buffer.concat([header, Buffer.alloc(padded - header.length), Buffer.alloc(offset)]);
}
