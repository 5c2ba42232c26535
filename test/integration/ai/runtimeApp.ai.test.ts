// models.load / models.loaded / models.unload through the app's dispatcher, as every door calls them: the
// input schema at the door, the catalog's lookup and fit estimate, the runtime, and app.dispose() releasing it all.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, packageRoot, type App } from '../../../src/main/app';

const modelsDir = process.env.QUARRY_TEST_MODELS_DIR;
if (!modelsDir) console.warn('QUARRY_TEST_MODELS_DIR is not set: skipping the runtime wiring tests (set it to the folder holding llm/stories260K.gguf).');

describe.skipIf(!modelsDir)('models.load through the app', () => {
  let dir: string;
  let app: App | undefined;

  beforeAll(async () => {
    const fixture = join(modelsDir!, 'llm', 'stories260K.gguf');
    if (!existsSync(fixture)) throw new Error(`QUARRY_TEST_MODELS_DIR is set, but ${fixture} does not exist.`);
    dir = mkdtempSync(join(tmpdir(), 'quarry-runtime-app-'));
    mkdirSync(join(dir, 'models'));
    copyFileSync(fixture, join(dir, 'models', 'stories.gguf'));
    app = await createApp({ dataDir: join(dir, 'data'), resourcesDir: join(packageRoot, 'resources'), door: 'cli', demo: false, modelsDir: join(dir, 'models') });
  });

  afterAll(async () => {
    await app?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loads, reports and unloads the model', async () => {
    const call = (method: string, input: unknown): Promise<unknown> => app!.dispatcher.call(method, input);
    expect(await call('models.loaded', {})).toBeNull();
    const loaded = await call('models.load', { modelId: 'stories.gguf', settings: { threads: 1, contextSize: 256, gpuLayers: 'off' } });
    expect(loaded).toMatchObject({ modelId: 'stories.gguf', provider: 'local', contextSize: 256, threads: 1, gpuLayers: 0 });
    expect(await call('models.loaded', {})).toEqual(loaded);
    const answer = await app!.runtime.generate({ system: 'A story.', prompt: 'Once', maxTokens: 3, purpose: 'test' });
    expect(answer.completionTokens).toBe(3);
    expect(app!.store.listGenerationAudit(1)[0]).toMatchObject({ purpose: 'test', modelId: 'stories.gguf' });
    await call('models.unload', {});
    expect(await call('models.loaded', {})).toBeNull();
  });

  it('refuses bad input at the door and ids outside the models folder', async () => {
    const call = (method: string, input: unknown): Promise<unknown> => app!.dispatcher.call(method, input);
    await expect(call('models.load', { modelId: 'stories.gguf', settings: { threads: 0 } })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(call('models.load', { modelId: '../data/quarry.db' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(call('models.load', { modelId: 'nothing.gguf' })).rejects.toMatchObject({ code: expect.stringMatching(/NOT_FOUND|MODEL_ERROR/) });
  });
});
