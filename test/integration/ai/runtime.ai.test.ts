// The model runtime with the real fixture model (stories260K, found through QUARRY_TEST_MODELS_DIR): loading and
// unloading, streaming, abort, JSON under a grammar, the generation cache and audit log, KV prefix reuse, idle
// unload, trimming, and refusals of corrupt, truncated and too-large models. One thread, a tiny context, few tokens.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/shared/api/errors';
import type { ModelSettings } from '../../../src/shared/domain/models';
import { ModelCatalog } from '../../../src/main/ai/models/ModelCatalog';
import { disposeSharedLlama } from '../../../src/main/ai/models/sharedLlama';
import { LlamaRuntime } from '../../../src/main/ai/runtime/LlamaRuntime';
import { ModelRuntime } from '../../../src/main/ai/runtime/ModelRuntime';
import { sha256Text } from '../../../src/main/ai/runtime/generationCacheKey';
import { KeyFileSecretBox } from '../../../src/main/secrets/KeyFileSecretBox';
import { AppStore } from '../../../src/main/store/AppStore';
import { packageRoot } from '../../../src/main/app';

const modelsDir = process.env.QUARRY_TEST_MODELS_DIR;
const skipReason = modelsDir ? undefined : 'QUARRY_TEST_MODELS_DIR is not set: skipping the runtime model tests (set it to the folder holding llm/stories260K.gguf).';
if (skipReason) console.warn(skipReason);

const settings: Partial<ModelSettings> = { threads: 1, contextSize: 512, gpuLayers: 'off', batchSize: 512, flashAttention: false, idleUnloadMinutes: 0 };
const answerSchema = {
  type: 'object',
  properties: { sql: { type: 'string' }, tables: { type: 'array', items: { type: 'string' } } },
  required: ['sql', 'tables'],
} as const;

describe.skipIf(!modelsDir)('model runtime (stories260K)', () => {
  let dir: string;
  let store: AppStore;
  let runtime: ModelRuntime;
  let fixtureSha256: string;

  beforeAll(() => {
    const fixture = join(modelsDir!, 'llm', 'stories260K.gguf');
    if (!existsSync(fixture)) throw new Error(`QUARRY_TEST_MODELS_DIR is set, but ${fixture} does not exist.`);
    dir = mkdtempSync(join(tmpdir(), 'quarry-runtime-'));
    const models = join(dir, 'models');
    // The fixture folder is read-only: the models directory here is a copy, beside the broken files made from it.
    const bytes = readFileSync(fixture);
    fixtureSha256 = createHash('sha256').update(bytes).digest('hex');
    mkdirSync(models);
    copyFileSync(fixture, join(models, 'stories.gguf'));
    writeFileSync(join(models, 'truncated.gguf'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    writeFileSync(join(models, 'header-cut.gguf'), bytes.subarray(0, 3000));
    writeFileSync(join(models, 'garbage.gguf'), Buffer.from('<!doctype html><html>not a model</html>'.repeat(100)));
    store = new AppStore({ dataDir: join(dir, 'data') });
    store.setSetting('models.settings', settings);
    runtime = new ModelRuntime({
      store,
      secretBox: new KeyFileSecretBox(join(dir, 'data', 'secret.key')),
      local: new LlamaRuntime(),
      catalog: new ModelCatalog({ store, dataDir: join(dir, 'data'), resourcesDir: join(packageRoot, 'resources'), modelsDir: models }),
    });
  });

  afterAll(async () => {
    await runtime?.dispose();
    await disposeSharedLlama();
    store?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('says NO_MODEL before a model is loaded', async () => {
    expect(runtime.loaded()).toBeUndefined();
    await expect(runtime.generate({ system: '', prompt: 'hi', purpose: 'test' })).rejects.toMatchObject({ code: 'NO_MODEL' });
  });

  it('loads the model with its sha256 and the settings asked for, and unloads it', async () => {
    const loaded = await runtime.load('stories.gguf');
    expect(loaded).toMatchObject({ modelId: 'stories.gguf', provider: 'local', contextSize: 512, threads: 1, gpuLayers: 0 });
    expect(loaded.sha256).toBe(fixtureSha256);
    expect(runtime.loaded()).toEqual(loaded);
    expect(runtime.countTokens('Once upon a time')).toBeGreaterThan(0);
    await runtime.unload();
    expect(runtime.loaded()).toBeUndefined();
    await runtime.unload(); // nothing held: a no-op
    await runtime.load('stories.gguf');
    expect(runtime.loaded()?.modelId).toBe('stories.gguf');
  });

  it('streams tokens that add up to the answer', async () => {
    const pieces: string[] = [];
    const result = await runtime.generate({ system: 'A story.', prompt: 'Once upon a time', maxTokens: 12, purpose: 'test', noCache: true, onToken: (t) => pieces.push(t) });
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(result.text);
    expect(result).toMatchObject({ cached: false, completionTokens: 12, stopReason: 'maxTokens' });
    expect(result.promptTokens).toBeGreaterThan(0);
  });

  it('stops when aborted and stays usable', async () => {
    const abort = new AbortController();
    let tokens = 0;
    const run = runtime.generate({
      system: 'A story.',
      prompt: 'Tell a long story',
      maxTokens: 200,
      purpose: 'test',
      noCache: true,
      signal: abort.signal,
      onToken: () => {
        if (++tokens === 3) abort.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(tokens).toBeLessThan(20);
    const after = await runtime.generate({ system: 'A story.', prompt: 'Again', maxTokens: 4, purpose: 'test', noCache: true });
    expect(after.completionTokens).toBe(4);
  });

  it('answers requests one at a time, and a queued request can be cancelled before it starts', async () => {
    const abort = new AbortController();
    const order: string[] = [];
    const base = { system: 'A story.', purpose: 'test', noCache: true };
    const a = runtime.generate({ ...base, prompt: 'first', maxTokens: 30, onToken: () => order.push('a') === 1 && abort.abort() });
    const b = runtime.generate({ ...base, prompt: 'second', maxTokens: 5, signal: abort.signal, onToken: () => order.push('b') });
    const c = runtime.generate({ ...base, prompt: 'third', maxTokens: 3, onToken: () => order.push('c') });
    await expect(b).rejects.toMatchObject({ code: 'CANCELLED' });
    expect((await a).completionTokens).toBe(30);
    expect((await c).completionTokens).toBe(3);
    expect(order).not.toContain('b');
    expect(order.indexOf('c')).toBeGreaterThan(order.lastIndexOf('a'));
  });

  it('emits schema-valid JSON under the grammar', async () => {
    const result = await runtime.generate({ system: 'Answer in JSON.', prompt: 'Which tables hold orders?', jsonSchema: answerSchema, maxTokens: 200, purpose: 'test', noCache: true });
    expect(result.stopReason).toBe('end');
    const json = result.json as { sql: unknown; tables: unknown };
    expect(JSON.parse(result.text)).toEqual(json);
    expect(typeof json.sql).toBe('string');
    expect(Array.isArray(json.tables)).toBe(true);
    for (const t of json.tables as unknown[]) expect(typeof t).toBe('string');
    expect(Object.keys(json).sort()).toEqual(['sql', 'tables']);
  });

  it('fails clearly when the JSON cannot be finished within maxTokens', async () => {
    const run = runtime.generate({ system: 'Answer in JSON.', prompt: 'x', jsonSchema: answerSchema, maxTokens: 3, purpose: 'test', noCache: true });
    await expect(run).rejects.toMatchObject({ code: 'MODEL_ERROR', message: expect.stringContaining('ran out of tokens') });
  });

  it('answers a repeated request from the cache and writes an audit row for each', async () => {
    const request = { system: 'You write stories.', prompt: 'A cat and a dog', maxTokens: 10, purpose: 'cache-test' };
    const first = await runtime.generate(request);
    const streamed: string[] = [];
    const second = await runtime.generate({ ...request, onToken: (t) => streamed.push(t) });
    expect(first.cached).toBe(false);
    expect(second).toMatchObject({ cached: true, text: first.text, promptTokens: first.promptTokens, completionTokens: first.completionTokens });
    expect(streamed.join('')).toBe(first.text);
    // Another parameter is another key.
    expect((await runtime.generate({ ...request, maxTokens: 11 })).cached).toBe(false);

    const rows = store.listGenerationAudit(10).filter((r) => r.purpose === 'cache-test');
    expect(rows).toHaveLength(3);
    const [third, hit, miss] = rows;
    const model = runtime.loaded()!;
    for (const row of rows) {
      expect(row).toMatchObject({ provider: 'local', modelId: model.modelId, modelSha256: model.sha256 });
      expect(row.promptHash).toBe(sha256Text(`${request.system}\u0000${request.prompt}`));
      expect(row.durationMs).toBeGreaterThanOrEqual(0);
      expect(row.error).toBeUndefined();
    }
    expect(miss).toMatchObject({ cached: false, responseHash: sha256Text(first.text), promptTokens: first.promptTokens, completionTokens: first.completionTokens, params: { maxTokens: 10, temperature: 0, json: false } });
    expect(miss!.timeToFirstTokenMs).toBeDefined();
    expect(hit).toMatchObject({ cached: true, responseHash: sha256Text(first.text) });
    expect(third).toMatchObject({ cached: false, params: { maxTokens: 11 } });
  });

  it('records a failed generation in the audit log with its error', async () => {
    await expect(runtime.generate({ system: 's', prompt: 'x', jsonSchema: answerSchema, maxTokens: 2, purpose: 'fail-test', noCache: true })).rejects.toBeInstanceOf(ApiError);
    const [row] = store.listGenerationAudit(1);
    expect(row).toMatchObject({ purpose: 'fail-test', cached: false });
    expect(row!.error).toMatch(/^MODEL_ERROR: /);
    expect(row!.responseHash).toBeUndefined();
  });

  it('reuses the KV cache of a shared system prompt: the second question evaluates fewer prompt tokens', async () => {
    const system = `You answer questions about this database.\n${Array.from({ length: 8 }, (_, i) => `TABLE t${i} (id int, name text, created_at timestamp)`).join('\n')}`;
    // Something else first, so the first question cannot reuse anything of the schema.
    await runtime.generate({ system: 'Unrelated.', prompt: 'Hello', maxTokens: 2, purpose: 'test', noCache: true });
    const first = await runtime.generate({ system, prompt: 'Which table has the most rows?', maxTokens: 4, purpose: 'test', noCache: true });
    const second = await runtime.generate({ system, prompt: 'List the columns of t3.', maxTokens: 4, purpose: 'test', noCache: true });
    console.log(
      `prefix reuse: first question evaluated ${first.promptTokensEvaluated}/${first.promptTokens} prompt tokens, TTFT ${first.timeToFirstTokenMs?.toFixed(1)} ms; ` +
        `second evaluated ${second.promptTokensEvaluated}/${second.promptTokens} (reused ${second.promptTokensReused}), TTFT ${second.timeToFirstTokenMs?.toFixed(1)} ms`,
    );
    expect(first.trimmed).toBeUndefined();
    expect(first.promptTokens).toBeGreaterThan(200);
    expect(first.promptTokensEvaluated).toBeGreaterThan(first.promptTokens / 2);
    expect(second.promptTokensEvaluated).toBeLessThan(first.promptTokensEvaluated! / 4);
    expect(second.promptTokensReused).toBeGreaterThan(first.promptTokens / 2);
    expect(second.promptTokensEvaluated! + second.promptTokensReused!).toBe(second.promptTokens);
  });

  it('cuts a prompt larger than the context and says so', async () => {
    const system = `Rules first.\n${'The schema goes on and on. '.repeat(300)}\nThe end of the schema.`;
    const result = await runtime.generate({ system, prompt: 'What now?', maxTokens: 8, purpose: 'trim-test' });
    expect(result.trimmed).toMatch(/^Cut \d+ of \d+ tokens from the middle of the system prompt to fit \d+ tokens of context\.$/);
    expect(result.promptTokens + 8).toBeLessThanOrEqual(512);
    expect(result.completionTokens).toBeGreaterThan(0);
    expect(store.listGenerationAudit(1)[0]).toMatchObject({ purpose: 'trim-test', trimmed: result.trimmed });
    // A cut prompt's answer is not kept under the full prompt's key.
    expect((await runtime.generate({ system, prompt: 'What now?', maxTokens: 8, purpose: 'trim-test' })).cached).toBe(false);
  });

  it('refuses a truncated or corrupt GGUF with the file and the reason, and keeps working', async () => {
    await expect(runtime.load('truncated.gguf')).rejects.toMatchObject({ code: 'MODEL_ERROR', message: expect.stringMatching(/truncated\.gguf.*(truncated|cut short)/i) });
    await expect(runtime.load('header-cut.gguf')).rejects.toMatchObject({ code: 'MODEL_ERROR', message: expect.stringContaining('header-cut.gguf') });
    await expect(runtime.load('garbage.gguf')).rejects.toMatchObject({ code: 'MODEL_ERROR', message: expect.stringMatching(/garbage\.gguf is not a GGUF file/) });
    await expect(runtime.load('missing.gguf')).rejects.toBeInstanceOf(ApiError);
    // A refused load unloads the model that was held (one model at a time), and the good one loads again.
    const loaded = await runtime.load('stories.gguf');
    expect((await runtime.generate({ system: '', prompt: 'Hi', maxTokens: 2, purpose: 'test', noCache: true })).completionTokens).toBe(2);
    expect(loaded.sha256).toBe(fixtureSha256);
  });

  it('refuses a model too large for the memory with the estimate, before loading it', async () => {
    const small = new LlamaRuntime({ memory: { ramTotalBytes: 2 * 1024 * 1024, ramFreeBytes: 1024 * 1024, swapFreeBytes: 0 } });
    try {
      const run = small.load({ id: 'stories.gguf', path: join(dir, 'models', 'stories.gguf'), sha256: fixtureSha256 }, { ...(settings as ModelSettings) });
      const error = (await run.catch((e: unknown) => e)) as ApiError;
      expect(error).toBeInstanceOf(ApiError);
      expect(error.code).toBe('MODEL_ERROR');
      expect(error.message).toMatch(/too large/);
      expect(error.detail).toMatchObject({ fits: false, contextSize: 512 });
      expect((error.detail as { ramBytes: number }).ramBytes).toBeGreaterThan(1024 * 1024);
      expect(small.loaded()).toBeUndefined();
    } finally {
      await small.dispose();
    }
  });

  it('unloads after the idle time', async () => {
    const unloaded: string[] = [];
    const idle = new LlamaRuntime({ onIdleUnload: (id) => unloaded.push(id) });
    try {
      await idle.load({ id: 'stories.gguf', path: join(dir, 'models', 'stories.gguf'), sha256: fixtureSha256 }, { ...(settings as ModelSettings), idleUnloadMinutes: 0.002 });
      expect(idle.loaded()).toBeDefined();
      for (let i = 0; i < 100 && idle.loaded(); i++) await new Promise((r) => setTimeout(r, 50));
      expect(idle.loaded()).toBeUndefined();
      expect(unloaded).toEqual(['stories.gguf']);
      await expect(idle.generate({ system: '', prompt: 'x', purpose: 'test' })).rejects.toMatchObject({ code: 'NO_MODEL' });
    } finally {
      await idle.dispose();
    }
  });
});
