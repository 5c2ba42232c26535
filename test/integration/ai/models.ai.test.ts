import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/shared/api/errors';
import type { FitEstimate } from '../../../src/shared/domain/models';
import { buildTestGguf } from '../../../src/main/ai/models/buildTestGguf';
import { detectHardware } from '../../../src/main/ai/models/detectHardware';
import { ModelCatalog } from '../../../src/main/ai/models/ModelCatalog';
import { readModelMetadata } from '../../../src/main/ai/models/readModelMetadata';
import { disposeSharedLlama, sharedLlama } from '../../../src/main/ai/models/sharedLlama';
import { AppStore } from '../../../src/main/store/AppStore';
import { modelsCommand } from '../../../src/cli/modelsCommand';

const modelsDir = process.env.QUARRY_TEST_MODELS_DIR;
if (!modelsDir) console.warn('models.ai.test: QUARRY_TEST_MODELS_DIR is not set, so the fixture-model tests are skipped (export QUARRY_TEST_MODELS_DIR=…/shared/models).');

describe.skipIf(!modelsDir)('models with the stories260K fixture (QUARRY_TEST_MODELS_DIR)', () => {
  const fixture = join(modelsDir ?? '', 'llm', 'stories260K.gguf');
  let root: string;
  let store: AppStore;
  let catalog: ModelCatalog;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'quarry-models-ai-'));
    store = new AppStore({ dataDir: join(root, 'data') });
    catalog = new ModelCatalog({
      store,
      dataDir: join(root, 'data'),
      resourcesDir: join(import.meta.dirname, '..', '..', '..', 'resources'),
      // CPU only here: the GPU builds that ship would be probed (and fail) on a machine without one.
      getLlama: () => sharedLlama({ gpu: false }),
    });
  });
  afterAll(async () => {
    catalog?.dispose();
    store?.dispose();
    await disposeSharedLlama();
    rmSync(root, { recursive: true, force: true });
  });

  it('reads the fixture header: llama, 2048 trained context, 5 blocks, F32, ~293K parameters', async () => {
    expect(await readModelMetadata(fixture)).toEqual({
      architecture: 'llama',
      name: 'llama',
      parameterCount: 292_800,
      quantization: 'F32',
      contextLength: 2048,
      layers: 5,
    });
  });

  it('calls a cut copy of the fixture truncated, with the byte counts', async () => {
    const data = readFileSync(fixture);
    for (const length of [data.length - 1, Math.floor(data.length / 2), 20_000, 5_000, 30]) {
      const path = join(root, `cut-${length}.gguf`);
      writeFileSync(path, data.subarray(0, length));
      const error = await readModelMetadata(path).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, `cut at ${length}`).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe('MODEL_ERROR');
      expect((error as ApiError).message).toMatch(/truncated/);
      if (length >= 20_000) expect((error as ApiError).message).toContain(`the file has ${length.toLocaleString('en-US')}`);
    }
  });

  it('detects the hardware: CPU only here, threads one fewer than the cores', async () => {
    const hardware = await detectHardware(await sharedLlama({ gpu: false }));
    expect(hardware.gpu).toBe(false);
    expect(hardware.vramTotalBytes).toBe(0);
    expect(hardware.ramTotalBytes).toBeGreaterThan(0);
    expect(hardware.ramFreeBytes).toBeLessThanOrEqual(hardware.ramTotalBytes);
    expect(hardware.cpuCores).toBeGreaterThanOrEqual(1);
    expect(hardware.defaultThreads).toBe(Math.max(1, hardware.cpuCores - 1));
  });

  it('lists, estimates and plans a load of the imported fixture', async () => {
    const model = await catalog.import(fixture, 'link');
    expect(model).toMatchObject({ id: 'stories260K.gguf', sizeBytes: 1_185_376, metadata: { architecture: 'llama' } });
    expect((await catalog.list()).models.map((m) => m.id)).toEqual(['stories260K.gguf']);

    const auto = await catalog.fit('stories260K.gguf');
    expect(auto).toMatchObject({ fits: true, gpuLayers: 0, totalLayers: 6, contextSize: 2048, vramBytes: 0 });
    const small = await catalog.fit('stories260K.gguf', { contextSize: 256 });
    expect(small.contextSize).toBe(256);
    // A smaller context needs less memory: the estimate follows the settings.
    expect(small.ramBytes).toBeLessThan(auto.ramBytes);
    expect(small.ramBytes).toBeGreaterThan(1_000_000);

    const plan = await catalog.planLoad('stories260K.gguf', { contextSize: 256, threads: 1 });
    expect(plan).toMatchObject({ path: model.path, settings: { contextSize: 256, threads: 1 }, estimate: { fits: true } });
    expect(await catalog.sha256('stories260K.gguf')).toBe('270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d');
  });

  it('refuses a model too large for the memory, quoting the estimate', async () => {
    const tiny = { ramTotalBytes: 1_000_000, ramFreeBytes: 500_000, swapFreeBytes: 0 };
    const estimate = await catalog.fit('stories260K.gguf', { contextSize: 512 }, tiny);
    expect(estimate.fits).toBe(false);
    expect(estimate.note).toMatch(/Does not fit: the model needs [\d.]+ MB of RAM and the machine has 1\.0 MB/);
    expect(estimate.note).toMatch(/a 512-token context needs [\d.]+ MB of RAM and 500 kB is free/);

    const error = await catalog.planLoad('stories260K.gguf', { contextSize: 512 }, tiny).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('MODEL_ERROR');
    expect((error as ApiError).message).toMatch(/^stories260K\.gguf is too large for this machine\. Does not fit: the model needs/);
    expect(((error as ApiError).detail as FitEstimate).ramBytes).toBe(estimate.ramBytes);
  });

  it('refuses a fit estimate for a truncated model with the reason', async () => {
    copyFileSync(fixture, join(catalog.dir(), 'whole.gguf'));
    writeFileSync(join(catalog.dir(), 'half.gguf'), readFileSync(fixture).subarray(0, 600_000));
    const error = await catalog.fit('half.gguf').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as ApiError).code).toBe('MODEL_ERROR');
    expect((error as ApiError).message).toMatch(/half\.gguf is truncated/);
    expect((await catalog.fit('whole.gguf', { contextSize: 256 })).fits).toBe(true);
  });

  it('refuses an architecture this llama.cpp does not know, before loading', async () => {
    writeFileSync(join(catalog.dir(), 'alien.gguf'), buildTestGguf({ metadata: { 'general.architecture': 'alien9000', 'alien9000.context_length': 512, 'alien9000.block_count': 1 } }));
    const estimate = await catalog.fit('alien.gguf');
    expect(estimate.fits).toBe(false);
    expect(estimate.note).toBe('This build of llama.cpp does not know the "alien9000" architecture (a newer Quarry may).');
    const error = await catalog.planLoad('alien.gguf').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as ApiError).message).toBe('Refusing to load alien.gguf. This build of llama.cpp does not know the "alien9000" architecture (a newer Quarry may).');
  });

  // Last: the command disposes the shared Llama when it ends, as the CLI process would.
  it('quarry models info prints the metadata and the estimate with the saved settings', async () => {
    process.env.QUARRY_LLAMA_GPU = 'false';
    let stdout = '';
    await modelsCommand({ dataDir: join(root, 'data'), subcommand: 'info', args: [fixture], format: 'text', stdout: { write: (t: string) => (stdout += t) } });
    expect(stdout).toMatch(/architecture: +llama/);
    expect(stdout).toMatch(/trained context: +2048 tokens/);
    expect(stdout).toMatch(/fits: +yes, with the saved load settings/);
    expect(stdout).toMatch(/estimate: +[\d.]+ MB RAM, 0 bytes VRAM; 0 of 6 layers on the GPU; 2048-token context/);
  });
});
