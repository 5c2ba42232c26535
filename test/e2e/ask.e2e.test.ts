import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveApp, type ServedApp } from './serveApp';

/** Where the fixture models are; the model tests skip, saying so, when it is unset. */
const modelsDir = process.env.QUARRY_TEST_MODELS_DIR;
const fixtureModel = modelsDir ? join(modelsDir, 'llm', 'stories260K.gguf') : undefined;
const noFixture = !fixtureModel ? 'QUARRY_TEST_MODELS_DIR is unset, so there is no fixture model' : undefined;
if (noFixture) console.warn(`ask.e2e.test.ts: the fixture-model tests are skipped: ${noFixture}.`);

function copilot(page: Page) {
  return page.getByRole('region', { name: 'Copilot' });
}

async function editorText(page: Page): Promise<string> {
  return (await page.locator('.monaco-editor .view-lines').innerText()).replace(/\u00a0/g, ' ');
}

async function ask(page: Page, question: string): Promise<void> {
  await page.getByRole('toolbar', { name: 'Query' }).getByRole('button', { name: 'Ask', exact: true }).click();
  await copilot(page).getByRole('textbox', { name: 'Question' }).fill(question);
  await copilot(page).getByRole('form', { name: 'Ask' }).getByRole('button', { name: 'Ask', exact: true }).click();
}

describe('Ask and Explain without a model', () => {
  let app: ServedApp;

  beforeAll(async () => {
    app = await serveApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('says no model is loaded and leads to the Models screen; nothing runs', async () => {
    const { page, api } = app;
    expect(await api.call('models.loaded', {})).toBeNull();
    await ask(page, 'how many customers are there?');
    const notice = copilot(page).getByRole('alert');
    await expect.poll(() => notice.innerText()).toMatch(/No model is loaded/);
    expect(await api.call('history.list', {})).toEqual([]);

    // Explain says the same.
    await copilot(page).getByRole('button', { name: 'Close copilot' }).click();
    await page.getByRole('toolbar', { name: 'Query' }).getByRole('button', { name: 'Explain' }).click();
    await expect.poll(() => copilot(page).getByRole('alert').innerText()).toMatch(/No model is loaded/);

    await copilot(page).getByRole('button', { name: 'Open the Models screen' }).click();
    await expect.poll(() => page.getByRole('tab', { name: 'Models' }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.getByRole('region', { name: 'Loaded model' }).getByRole('status').first().innerText()).toMatch(/No model is loaded/);
  });
});

describe.skipIf(noFixture)(`Ask and Explain with the fixture model${noFixture ? ` (skipped: ${noFixture})` : ''}`, () => {
  let app: ServedApp;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'quarry-e2e-models-'));
    copyFileSync(fixtureModel!, join(dir, 'stories260K.gguf'));
    // Two threads on two cores were ~200× slower than one.
    process.env.QUARRY_LLAMA_THREADS = '1';
    app = await serveApp();
    await app.api.call('settings.set', { key: 'models.dir', value: dir });
    await app.api.call('models.setSettings', { threads: 1, contextSize: 2048, gpuLayers: 'off' });
  });

  afterAll(async () => {
    await app?.api.call('models.unload', {}).catch(() => {});
    await app?.close();
    if (dir && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  });

  it('shows a validated suggestion for the demo database and runs it only when Run is clicked', { timeout: 150_000 }, async () => {
    const { page, api } = app;
    await page.getByRole('tab', { name: 'Models' }).click();
    const item = page.getByRole('list', { name: 'Installed models' }).getByRole('listitem', { name: 'stories260K.gguf' });
    await item.getByRole('button', { name: 'Load', exact: true }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Loaded model' }).getByRole('status').first().innerText(), { timeout: 60_000 }).toMatch(/stories260K\.gguf/);

    await page.getByRole('tab', { name: 'SQL' }).click();
    // The starter query, once Monaco has drawn it.
    await expect.poll(() => editorText(page)).toContain('SELECT * FROM customers LIMIT 100;');
    const before = await editorText(page);
    await ask(page, 'how many customers are there?');
    const card = copilot(page).getByRole('article', { name: 'Suggestion' });
    await card.waitFor({ timeout: 60_000 });

    const sql = await card.getByLabel('Suggested SQL').innerText();
    expect(sql.trim().length).toBeGreaterThan(0);
    expect((await card.getByLabel('Explanation').innerText()).trim().length).toBeGreaterThan(0);
    // Nonsense from this model: the validation must say what is wrong, not call it valid.
    const validation = card.getByRole('status', { name: 'Validation' });
    expect(await validation.innerText()).toMatch(/^✗ Not valid/);
    expect(await validation.getByRole('list', { name: 'Problems' }).getByRole('listitem').count()).toBeGreaterThan(0);

    // Shown, never run: no query in history, the editor untouched.
    expect(await api.call('history.list', {})).toEqual([]);
    expect(await editorText(page)).toBe(before);

    await card.getByRole('button', { name: 'Insert', exact: true }).click();
    await expect.poll(() => editorText(page)).toContain(sql.trim().split('\n')[0]!.trim());
    expect(await api.call('history.list', {})).toEqual([]);

    await card.getByRole('button', { name: 'Run', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: 'Run destructive statements?' });
    // Whatever the model wrote goes through the usual checks; a destructive statement would be asked about.
    await expect.poll(async () => (await api.call('history.list', {})).length + (await confirm.count()), { timeout: 30_000 }).toBeGreaterThan(0);
    if (await confirm.count()) {
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      expect(await api.call('history.list', {})).toEqual([]);
    } else {
      const history = await api.call('history.list', {});
      expect(history).toHaveLength(1);
      expect(history[0]!.sql).toContain(sql.trim().split('\n')[0]!.trim());
    }
  });

  it('explains the statement at the cursor, then the last error', { timeout: 120_000 }, async () => {
    const { page, api } = app;
    await page.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText('SELECT name FROM customers LIMIT 5;');
    const historyBefore = (await api.call('history.list', {})).length;
    await page.getByRole('toolbar', { name: 'Query' }).getByRole('button', { name: 'Explain' }).click();
    const statementCard = copilot(page).getByRole('article', { name: 'Explanation' });
    await statementCard.waitFor({ timeout: 60_000 });
    expect(await statementCard.getByRole('heading', { level: 3 }).innerText()).toBe('What it does');
    expect(await statementCard.getByLabel('Explained SQL').innerText()).toContain('SELECT name FROM customers LIMIT 5');
    // Explaining runs nothing.
    expect(await api.call('history.list', {})).toHaveLength(historyBefore);

    await page.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText('SELEC name FROM customers;');
    await page.getByRole('toolbar', { name: 'Query' }).getByRole('button', { name: 'Run', exact: true }).click();
    const error = page.getByRole('region', { name: 'Results panel' }).getByRole('alert');
    await error.getByRole('button', { name: 'Explain error' }).click();
    const card = copilot(page).getByRole('article', { name: 'Explanation' });
    // The statement's explanation shows until the error's replaces it.
    await expect.poll(() => card.getByLabel('Explained SQL').innerText(), { timeout: 60_000 }).toBe('SELEC name FROM customers');
    expect(await card.getByRole('heading', { level: 3 }).innerText()).toBe('Why it failed');
    expect((await card.innerText()).length).toBeGreaterThan(0);
  });
});
