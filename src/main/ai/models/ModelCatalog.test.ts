import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/api/errors';
import { AppStore } from '../../store/AppStore';
import { buildTestGguf } from './buildTestGguf';
import { ModelCatalog, modelsDirKey } from './ModelCatalog';
import { defaultModelSettings } from '../../../shared/domain/models';
import { modelSettingsKey } from './modelSettings';

let root: string;
let store: AppStore;
let catalog: ModelCatalog;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'quarry-catalog-'));
  store = new AppStore({ dataDir: join(root, 'data') });
  catalog = new ModelCatalog({
    store,
    dataDir: join(root, 'data'),
    resourcesDir: join(import.meta.dirname, '..', '..', '..', '..', 'resources'),
    // Nothing here needs llama.cpp; a call that does would fail loudly.
    getLlama: () => Promise.reject(new Error('no llama in unit tests')),
  });
});
afterEach(() => {
  catalog.dispose();
  store.dispose();
  rmSync(root, { recursive: true, force: true });
});

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

function source(name: string, data: Buffer = buildTestGguf()): string {
  const dir = join(root, 'elsewhere');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), data);
  return join(dir, name);
}

describe('ModelCatalog', () => {
  it('defaults the models directory to <dataDir>/models and creates it; the setting moves it', async () => {
    expect(catalog.dir()).toBe(join(root, 'data', 'models'));
    expect(existsSync(join(root, 'data', 'models'))).toBe(true);
    store.setSetting(modelsDirKey, join(root, 'other'));
    const listed = await catalog.list();
    expect(listed).toEqual({ dir: join(root, 'other'), models: [] });
    expect(() => catalog.setDir('relative/path')).toThrow(/absolute path/);
    expect(catalog.setDir(undefined)).toBe(join(root, 'data', 'models'));
  });

  it('lists models with metadata, split sets as one, broken files with their error, and skips hidden files', async () => {
    const dir = catalog.dir();
    const good = buildTestGguf();
    writeFileSync(join(dir, 'good.gguf'), good);
    writeFileSync(join(dir, 'notes.txt'), 'not a model');
    writeFileSync(join(dir, '.good.gguf.import-1234'), 'half a copy');
    writeFileSync(join(dir, 'broken.gguf'), good.subarray(0, 40));
    writeFileSync(join(dir, 'set-00001-of-00003.gguf'), good);
    writeFileSync(join(dir, 'set-00003-of-00003.gguf'), good);
    mkdirSync(join(dir, 'Qwen'));
    writeFileSync(join(dir, 'Qwen', 'nested.gguf'), good);

    const { models } = await catalog.list();
    expect(models.map((m) => m.id)).toEqual(['broken.gguf', 'good.gguf', 'Qwen/nested.gguf', 'set-00001-of-00003.gguf']);
    const byId = Object.fromEntries(models.map((m) => [m.id, m]));
    expect(byId['good.gguf']).toMatchObject({ path: join(dir, 'good.gguf'), sizeBytes: good.length, parts: 1, metadata: { architecture: 'llama', name: 'test' } });
    expect(byId['good.gguf']!.error).toBeUndefined();
    expect(byId['broken.gguf']!.metadata).toBeUndefined();
    expect(byId['broken.gguf']!.error).toMatch(/broken\.gguf is truncated/);
    expect(byId['set-00001-of-00003.gguf']).toMatchObject({ parts: 3, sizeBytes: good.length * 2 });
    expect(byId['set-00001-of-00003.gguf']!.error).toMatch(/1 of 3 parts is missing: set-00002-of-00003\.gguf/);
    expect(byId['Qwen/nested.gguf']!.metadata?.architecture).toBe('llama');
  });

  it('imports by copy without leaving a temporary file, and refuses a name already taken', async () => {
    const path = source('copied.gguf');
    const model = await catalog.import(path, 'copy');
    expect(model).toMatchObject({ id: 'copied.gguf', parts: 1, metadata: { architecture: 'llama' } });
    expect(lstatSync(join(catalog.dir(), 'copied.gguf')).isFile()).toBe(true);
    expect(readdirSync(catalog.dir())).toEqual(['copied.gguf']);
    const again = await refusal(catalog.import(path, 'copy'));
    expect(again.code).toBe('BAD_INPUT');
    expect(again.message).toMatch(/already in/);
  });

  it('imports by link, and deleting the link leaves the original alone', async () => {
    const path = source('linked.gguf');
    const model = await catalog.import(path, 'link');
    expect(lstatSync(join(catalog.dir(), 'linked.gguf')).isSymbolicLink()).toBe(true);
    expect(model.metadata?.architecture).toBe('llama');
    await catalog.delete('linked.gguf');
    expect(existsSync(join(catalog.dir(), 'linked.gguf'))).toBe(false);
    expect(existsSync(path)).toBe(true);
  });

  it('lists a link whose target is gone with that error, and deletes it', async () => {
    const path = source('moved.gguf');
    await catalog.import(path, 'link');
    rmSync(path);
    const [model] = (await catalog.list()).models;
    expect(model).toMatchObject({ id: 'moved.gguf', sizeBytes: 0, error: expect.stringMatching(/the link points to a file that is gone/) });
    await catalog.delete('moved.gguf');
    expect(readdirSync(catalog.dir())).toEqual([]);
  });

  it('imports every part of a split model, given any part', async () => {
    const good = buildTestGguf();
    source('duo-00001-of-00002.gguf', good);
    const second = source('duo-00002-of-00002.gguf', good);
    const model = await catalog.import(second, 'copy');
    expect(model).toMatchObject({ id: 'duo-00001-of-00002.gguf', parts: 2, sizeBytes: good.length * 2 });
    expect(readdirSync(catalog.dir()).sort()).toEqual(['duo-00001-of-00002.gguf', 'duo-00002-of-00002.gguf']);
    await catalog.delete('duo-00002-of-00002.gguf');
    expect(readdirSync(catalog.dir())).toEqual([]);
  });

  it('refuses to import what is not a GGUF model, saying why, and copies nothing', async () => {
    const notGguf = await refusal(catalog.import(source('fake.gguf', Buffer.from('<html>Not found</html>')), 'copy'));
    expect(notGguf.code).toBe('MODEL_ERROR');
    expect(notGguf.message).toMatch(/fake\.gguf is not a GGUF file: it is a web page/);
    const truncated = await refusal(catalog.import(source('cut.gguf', buildTestGguf().subarray(0, 100)), 'copy'));
    expect(truncated.message).toMatch(/truncated/);
    const wrongType = await refusal(catalog.import(source('model.safetensors', Buffer.from('{}')), 'copy'));
    expect(wrongType.message).toMatch(/not a \.gguf file/);
    const missing = await refusal(catalog.import(join(root, 'nowhere.gguf'), 'copy'));
    expect(missing.code).toBe('NOT_FOUND');
    expect(readdirSync(catalog.dir())).toEqual([]);
  });

  it('deletes only .gguf models inside the directory', async () => {
    writeFileSync(join(root, 'data', 'outside.gguf'), buildTestGguf());
    for (const id of ['../outside.gguf', join(root, 'data', 'outside.gguf'), 'a/../../outside.gguf']) {
      const error = await refusal(catalog.delete(id));
      expect(error.code, id).toBe('BAD_INPUT');
    }
    writeFileSync(join(catalog.dir(), 'keep.txt'), 'x');
    expect((await refusal(catalog.delete('keep.txt'))).message).toMatch(/not a \.gguf model/);
    expect((await refusal(catalog.delete('absent.gguf'))).code).toBe('NOT_FOUND');
    expect(existsSync(join(root, 'data', 'outside.gguf'))).toBe(true);
  });

  it('keeps load settings with their defaults, merges changes, and survives a bad stored value', () => {
    expect(catalog.getSettings()).toEqual(defaultModelSettings);
    expect(catalog.setSettings({ contextSize: 4096, gpuLayers: 'off' })).toEqual({ ...defaultModelSettings, contextSize: 4096, gpuLayers: 'off' });
    expect(catalog.setSettings({ threads: 3 })).toMatchObject({ contextSize: 4096, gpuLayers: 'off', threads: 3 });
    store.setSetting(modelSettingsKey, { contextSize: -5, threads: 2, batchSize: 'lots' });
    expect(catalog.getSettings()).toEqual({ ...defaultModelSettings, threads: 2 });
    expect(() => catalog.setSettings({ batchSize: 0 })).toThrow();
  });

  it('hashes a model once and remembers it until the file changes', async () => {
    const path = join(catalog.dir(), 'h.gguf');
    writeFileSync(path, buildTestGguf());
    const { createHash } = await import('node:crypto');
    const { readFileSync, utimesSync } = await import('node:fs');
    const expected = createHash('sha256').update(readFileSync(path)).digest('hex');
    expect(await catalog.sha256('h.gguf')).toBe(expected);
    expect((await catalog.get('h.gguf')).sha256).toBe(expected);
    utimesSync(path, new Date(2000, 0, 1), new Date(2000, 0, 1));
    expect((await catalog.get('h.gguf')).sha256).toBeUndefined();
    await catalog.delete('h.gguf');
    expect(store.getSetting('models.hashes')).toEqual({});
  });

  it('reads the shipped recommended list: real Hugging Face files, no guessed hashes', () => {
    const list = catalog.recommended();
    expect(list.map((m) => m.id)).toContain('qwen2.5-coder-1.5b-instruct-q4_k_m');
    expect(list.filter((m) => m.kind === 'embedding').map((m) => m.id)).toEqual(['all-minilm-l6-v2']);
    for (const model of list) {
      for (const file of model.files) {
        expect(file.url).toMatch(/^https:\/\/huggingface\.co\/[^/]+\/[^/]+\/resolve\/main\//);
        // A pinned hash must be a full sha256; an unpinned one must say so in the description.
        if (file.sha256 === '') expect(model.description).toMatch(/not pinned/);
        else expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
      }
    }
  });
});
