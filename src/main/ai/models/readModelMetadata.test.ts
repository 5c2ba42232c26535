import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/api/errors';
import { buildTestGguf } from './buildTestGguf';
import { readModelHeader, readModelMetadata } from './readModelMetadata';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'quarry-gguf-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, data: Buffer | string): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

async function modelError(path: string): Promise<string> {
  const error = await readModelMetadata(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `${path} should be refused`).toBeInstanceOf(ApiError);
  expect((error as ApiError).code).toBe('MODEL_ERROR');
  return (error as ApiError).message;
}

const model = buildTestGguf({
  metadata: {
    'general.architecture': 'qwen2',
    'general.name': 'Tiny Coder',
    'general.file_type': 15,
    'qwen2.context_length': 32768,
    'qwen2.block_count': 2,
    'tokenizer.chat_template': '{% for m in messages %}{{ m.content }}{% endfor %}',
    'tokenizer.ggml.tokens': ['<s>', 'select', 'from'],
  },
  tensors: [
    { name: 'token_embd.weight', dims: [16, 3] },
    { name: 'output.weight', dims: [16, 3] },
  ],
});

describe('readModelMetadata', () => {
  it('reads architecture, name, parameters, quantization, context, layers and chat template from the header', async () => {
    const header = await readModelHeader(write('tiny.gguf', model));
    expect(header.metadata).toEqual({
      architecture: 'qwen2',
      name: 'Tiny Coder',
      parameterCount: 96,
      quantization: 'Q4_K_M',
      contextLength: 32768,
      layers: 2,
      chatTemplate: '{% for m in messages %}{{ m.content }}{% endfor %}',
    });
    expect(header.sizeBytes).toBe(model.length);
  });

  it('names the dominant tensor type when general.file_type is missing', async () => {
    const metadata = await readModelMetadata(write('notype.gguf', buildTestGguf()));
    expect(metadata.quantization).toBe('F32');
    expect(metadata.architecture).toBe('llama');
  });

  it('says what a file that is not GGUF is', async () => {
    expect(await modelError(write('empty.gguf', ''))).toMatch(/not a GGUF file: it is empty/);
    expect(await modelError(write('page.gguf', '<!DOCTYPE html><html>404</html>'))).toMatch(/web page/);
    expect(await modelError(write('lfs.gguf', 'version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n'))).toMatch(/Git LFS pointer/);
    expect(await modelError(write('json.gguf', '{"model": 1}'))).toMatch(/JSON/);
    expect(await modelError(write('random.gguf', Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9])))).toMatch(/does not start with the GGUF magic \(its first bytes are 01020304\)/);
  });

  it('refuses GGUF versions llama.cpp cannot read', async () => {
    expect(await modelError(write('v1.gguf', buildTestGguf({ version: 1 })))).toMatch(/version 1.*convert this old file/);
    expect(await modelError(write('v9.gguf', buildTestGguf({ version: 9 })))).toMatch(/version 9/);
  });

  it('says a file is missing, or a link points nowhere', async () => {
    expect(await modelError(join(dir, 'nope.gguf'))).toMatch(/nope\.gguf is missing/);
    symlinkSync(join(dir, 'gone.gguf'), join(dir, 'dangling.gguf'));
    expect(await modelError(join(dir, 'dangling.gguf'))).toMatch(/link points to a file that is gone/);
  });

  it('calls every cut of a model truncated, wherever the cut falls', async () => {
    for (let length = 4; length < model.length; length += 7) {
      const message = await modelError(write('cut.gguf', model.subarray(0, length)));
      expect(message, `cut at ${length}`).toMatch(/truncated|cut short/);
    }
    // The last byte of tensor data counts too.
    expect(await modelError(write('cut.gguf', model.subarray(0, model.length - 1)))).toMatch(/truncated: its tensors need/);
  });

  it('refuses hostile lengths and counts with a reason instead of reading or allocating them', async () => {
    const hostile = (offset: number, value: bigint) => {
      const copy = Buffer.from(model);
      copy.writeBigUInt64LE(value, offset);
      return copy;
    };
    // Offsets: 8 = tensor count, 16 = key/value count, 24 = the first key's length.
    expect(await modelError(write('h1.gguf', hostile(8, 2n ** 62n)))).toMatch(/damaged GGUF header: the tensor count .* is \d+, more than/);
    expect(await modelError(write('h2.gguf', hostile(16, 2n ** 40n)))).toMatch(/damaged GGUF header: the key\/value count/);
    expect(await modelError(write('h3.gguf', hostile(24, 2n ** 63n)))).toMatch(/damaged GGUF header: the length of key 1/);
    expect(await modelError(write('h4.gguf', hostile(24, 10_000_000n)))).toMatch(/truncated|damaged/);
    // An item of the vocabulary: the length before 'select'.
    const item = model.indexOf('select') - 8;
    expect(await modelError(write('h5.gguf', hostile(item, 2n ** 50n)))).toMatch(/damaged GGUF header: an item of tokenizer\.ggml\.tokens at byte \d+ is \d+ bytes long/);
    expect(await modelError(write('h6.gguf', hostile(item, 100_000n)))).toMatch(/truncated \(or damaged\): an item of tokenizer\.ggml\.tokens/);
  });

  it('never crashes or hangs on random damage to a header', async () => {
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const headerEnd = model.length - 16 * 3 * 4 * 2;
    for (let round = 0; round < 200; round++) {
      const copy = Buffer.from(model);
      const flips = 1 + Math.floor(random() * 6);
      for (let i = 0; i < flips; i++) copy[8 + Math.floor(random() * (headerEnd - 8))] = Math.floor(random() * 256);
      const path = write('fuzz.gguf', copy);
      // Either it still parses (a flip inside a string) or it is refused as MODEL_ERROR; nothing else.
      await readModelMetadata(path).catch((error: unknown) => {
        expect(error).toBeInstanceOf(ApiError);
        expect((error as ApiError).code).toBe('MODEL_ERROR');
      });
    }
  });

  it('refuses a later part of a split model and names the first', async () => {
    expect(await modelError(write('set-00002-of-00002.gguf', model))).toMatch(/part 2 of 2 .* open its first part, set-00001-of-00002\.gguf/);
  });

  it('names the missing part of a split model', async () => {
    const message = await modelError(write('pair-00001-of-00002.gguf', model));
    expect(message).toMatch(/pair-00002-of-00002\.gguf \(part 2 of 2 of pair-00001-of-00002\.gguf\) is missing/);
  });
});
