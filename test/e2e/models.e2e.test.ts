import { copyFileSync, existsSync, lstatSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBytes } from '../../src/shared/format/formatBytes';
import { startRangeServer, type RangeServer } from '../support/rangeServer';
import { serveApp, type ServedApp } from './serveApp';

/** Where the fixture models are; these tests skip, saying so, when it is unset. */
const modelsDir = process.env.QUARRY_TEST_MODELS_DIR;
const fixtureModel = modelsDir ? join(modelsDir, 'llm', 'stories260K.gguf') : undefined;
const noFixture = !fixtureModel ? 'QUARRY_TEST_MODELS_DIR is unset, so there is no fixture model' : undefined;
if (noFixture) console.warn(`models.e2e.test.ts: the fixture-model tests are skipped: ${noFixture}.`);

function screen(page: Page) {
  return page.getByRole('region', { name: 'Models' });
}

function installed(page: Page, id: string) {
  return screen(page).getByRole('list', { name: 'Installed models' }).getByRole('listitem', { name: id });
}

/** Text with runs of whitespace (between a term and its definition, say) as one space. */
async function flatText(locator: ReturnType<Page['locator']>): Promise<string> {
  return (await locator.innerText()).replace(/\s+/g, ' ');
}

describe.skipIf(noFixture)(`the Models screen in the browser${noFixture ? ` (skipped: ${noFixture})` : ''}`, () => {
  let app: ServedApp;
  let dir: string;
  let elsewhere: string;
  let server: RangeServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'quarry-e2e-models-'));
    elsewhere = mkdtempSync(join(tmpdir(), 'quarry-e2e-import-'));
    copyFileSync(fixtureModel!, join(dir, 'stories260K.gguf'));
    copyFileSync(fixtureModel!, join(elsewhere, 'imported.gguf'));
    // The throttled route serves from memory.
    server = await startRangeServer({ 'tiny-download.gguf': readFileSync(fixtureModel!) });
    // Two threads on two cores were ~200× slower than one.
    process.env.QUARRY_LLAMA_THREADS = '1';
    app = await serveApp();
    await app.api.call('settings.set', { key: 'models.dir', value: dir });
    await app.api.call('models.setSettings', { threads: 1, contextSize: 2048, gpuLayers: 'off' });
    await app.page.getByRole('tab', { name: 'Models' }).click();
  });

  afterAll(async () => {
    await app?.api.call('models.unload', {}).catch(() => {});
    await app?.close();
    await server?.stop();
    for (const d of [dir, elsewhere]) if (d && existsSync(d)) rmSync(d, { recursive: true, force: true });
  });

  it('lists the fixture model with its metadata and fit estimate, and the hardware', async () => {
    const { page, api } = app;
    const item = installed(page, 'stories260K.gguf');
    await item.waitFor({ timeout: 30_000 });
    const { models } = await api.call('models.list', {});
    const model = models.find((m) => m.id === 'stories260K.gguf');
    expect(model?.metadata?.architecture).toBe('llama');
    expect(model?.metadata?.contextLength).toBe(2048);

    const details = await flatText(item.getByLabel('Model details'));
    expect(details).toContain('Architecture llama');
    expect(details).toContain('Context length 2,048 tokens');
    expect(details).toContain(`Size ${formatBytes(1_185_376)}`);
    if (model?.metadata?.quantization) expect(details).toContain(`Quantization ${model.metadata.quantization}`);

    const fit = await api.call('models.fit', { modelId: 'stories260K.gguf' });
    const estimate = item.getByRole('status', { name: 'Fit estimate' });
    await expect.poll(() => estimate.innerText()).toMatch(/^Fits: /);
    const text = await estimate.innerText();
    expect(text).toContain(`${fit.totalLayers} layers`);
    expect(text).toContain(`context ${fit.contextSize.toLocaleString('en-US')} tokens`);

    // The estimate follows the settings as they are typed, before anything is saved or loaded.
    const form = screen(page).getByRole('form', { name: 'Load settings' });
    await form.getByRole('textbox', { name: 'Context tokens' }).fill('256');
    await expect.poll(() => estimate.innerText()).toContain('context 256 tokens');
    await form.getByRole('textbox', { name: 'Context tokens' }).fill('64');
    await expect.poll(() => form.getByRole('alert', { name: 'Settings problems' }).innerText()).toMatch(/Context size: “64” is not a whole number of tokens from 128/);
    expect(await estimate.innerText()).toBe('Fix the load settings to see an estimate.');
    expect(await form.getByRole('button', { name: 'Save settings' }).isDisabled()).toBe(true);
    await form.getByRole('button', { name: 'Revert' }).click();
    await expect.poll(() => estimate.innerText()).toContain(`context ${fit.contextSize.toLocaleString('en-US')} tokens`);

    const hardware = await api.call('models.hardware', {});
    const hw = await flatText(screen(page).getByRole('region', { name: 'Hardware' }));
    expect(hw).toContain(`GPU ${hardware.gpu ? '' : 'None (CPU only)'}`.trim());
    expect(hw).toContain(`RAM ${formatBytes(hardware.ramFreeBytes)} free of ${formatBytes(hardware.ramTotalBytes)}`);
  });

  it('downloads from the local server with a visible progress bar, pauses and resumes it', async () => {
    const { page } = app;
    const downloads = screen(page).getByRole('region', { name: 'Downloads' });
    // About 5 s for the 1.2 MB fixture: long enough to see it move and to pause it.
    await downloads.getByRole('textbox', { name: 'Model URL' }).fill(`${server.url}/slow/tiny-download.gguf?bps=240000`);
    await downloads.getByRole('button', { name: 'Download', exact: true }).click();
    const item = downloads.getByRole('list', { name: 'Downloads' }).getByRole('listitem').first();
    const bar = item.getByRole('progressbar');
    const now = async () => Number((await bar.getAttribute('aria-valuenow')) ?? Number.NaN);
    await expect.poll(now, { timeout: 30_000 }).toBeGreaterThan(0);
    const seen = await now();
    expect(seen).toBeLessThan(100);
    expect(await bar.getAttribute('aria-valuetext')).toMatch(/^\d+(\.\d)?%, .+ of 1\.2 MB$/);

    await item.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => item.getAttribute('data-status')).toBe('paused');
    await item.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
    expect(await bar.getAttribute('aria-valuenow')).toBe('100');
    await installed(page, 'tiny-download.gguf').waitFor({ timeout: 10_000 });
    // Resumed where it stopped, not from the start.
    expect(server.requests.some((r) => /^bytes=[1-9]\d*-/.test(r.range ?? ''))).toBe(true);
  });

  it('loads and unloads the model', async () => {
    const { page, api } = app;
    const item = installed(page, 'stories260K.gguf');
    await item.getByRole('button', { name: 'Load', exact: true }).click();
    const loaded = screen(page).getByRole('region', { name: 'Loaded model' }).getByRole('status').first();
    await expect.poll(() => loaded.innerText(), { timeout: 60_000 }).toMatch(/stories260K\.gguf/);
    expect(await loaded.innerText()).toMatch(/1 thread\b/);
    expect((await api.call('models.loaded', {}))?.modelId).toBe('stories260K.gguf');
    expect(await item.getByRole('button', { name: 'Delete stories260K.gguf' }).isDisabled()).toBe(true);
    await loaded.getByRole('button', { name: 'Unload', exact: true }).click();
    await expect.poll(() => loaded.innerText()).toMatch(/No model is loaded/);
    expect(await api.call('models.loaded', {})).toBeNull();
  });

  it('imports a file by its path as a link, and deletes the link only', async () => {
    const { page } = app;
    const importer = screen(page).getByRole('region', { name: 'Import a model' });
    await importer.getByRole('textbox', { name: 'Path to a GGUF file' }).fill(join(elsewhere, 'imported.gguf'));
    await importer.getByRole('radio', { name: /^Link/ }).check();
    await importer.getByRole('button', { name: 'Import' }).click();
    await installed(page, 'imported.gguf').waitFor({ timeout: 30_000 });
    expect(lstatSync(join(dir, 'imported.gguf')).isSymbolicLink()).toBe(true);

    // A bad path says where and why.
    await importer.getByRole('textbox', { name: 'Path to a GGUF file' }).fill(join(elsewhere, 'missing.gguf'));
    await importer.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => importer.getByRole('alert').innerText()).toContain('missing.gguf');

    await installed(page, 'imported.gguf').getByRole('button', { name: 'Delete imported.gguf' }).click();
    await page.getByRole('dialog', { name: 'Delete model' }).getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => installed(page, 'imported.gguf').count()).toBe(0);
    expect(existsSync(join(dir, 'imported.gguf'))).toBe(false);
    expect(existsSync(join(elsewhere, 'imported.gguf'))).toBe(true);
  });

  it('saves an OpenAI-compatible endpoint whose key never comes back to the page', async () => {
    const { page, api } = app;
    const form = screen(page).getByRole('form', { name: 'OpenAI-compatible endpoint' });
    await form.getByRole('textbox', { name: 'Base URL' }).fill('http://127.0.0.1:9/v1');
    await form.getByRole('textbox', { name: 'Model name' }).fill('local-sql');
    await form.getByRole('textbox', { name: 'Endpoint context size' }).fill('100');
    await form.getByRole('button', { name: 'Save endpoint' }).click();
    await expect.poll(() => form.getByRole('alert').innerText()).toMatch(/^Context size: “100” is not/);
    await form.getByRole('textbox', { name: 'Endpoint context size' }).fill('4096');
    await form.getByLabel('API key').fill('sk-e2e-not-a-real-key');
    await form.getByRole('button', { name: 'Save endpoint' }).click();
    await expect.poll(() => form.getByRole('status').innerText()).toMatch(/^Saved, and off/);
    expect(await form.getByLabel('API key').inputValue()).toBe('');
    expect(await form.innerText()).toContain('one is stored');
    expect(await api.call('ai.endpoint', {})).toEqual({ enabled: false, baseUrl: 'http://127.0.0.1:9/v1', model: 'local-sql', contextSize: 4096, hasApiKey: true });
    expect(await page.content()).not.toContain('sk-e2e-not-a-real-key');
    expect(await api.call('models.loaded', {})).toBeNull();
  });
});
