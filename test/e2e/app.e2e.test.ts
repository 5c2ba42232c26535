import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConnectionUrl } from '../../src/shared/domain/connectionUrl';
import { testPgUrl } from '../integration/testEnv';
import { serveApp, type ServedApp } from './serveApp';

/** The text of the active Monaco editor as the user sees it. */
async function editorText(page: Page): Promise<string> {
  return (await page.locator('.monaco-editor .view-lines').innerText()).replace(/\u00a0/g, ' ');
}

/** Replaces the active editor's text by typing it, as a user would (Escape closes completion pop-ups). */
async function typeSql(page: Page, sql: string): Promise<void> {
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(sql);
  await page.keyboard.press('Escape');
}

/** Replaces the editor text at once (for text Monaco's auto-closing would mangle when typed). */
async function insertSql(page: Page, sql: string): Promise<void> {
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(sql);
}

function grid(page: Page) {
  return page.getByRole('grid', { name: 'Results' });
}

async function selectConnection(page: Page, name: string): Promise<void> {
  await page.getByRole('list', { name: 'Connections' }).getByRole('button', { name, exact: false }).first().click();
  await expect.poll(() => page.getByRole('status', { name: 'Status' }).innerText()).toContain(name);
}

async function activeQueries(client: pg.Client, like: string): Promise<number> {
  const r = await client.query<{ n: string }>(
    "select count(*) as n from pg_stat_activity where state = 'active' and query like $1 and pid <> pg_backend_pid()",
    [`%${like}%`],
  );
  return Number(r.rows[0]!.n);
}

describe('Quarry in the browser', () => {
  let app: ServedApp;
  let pgClient: pg.Client;

  beforeAll(async () => {
    app = await serveApp();
    pgClient = new pg.Client({ connectionString: testPgUrl() });
    await pgClient.connect();
  });

  afterAll(async () => {
    await pgClient?.end();
    await app?.close();
  });

  it('shows the demo connection selected with a starter query on first start', async () => {
    const { page } = app;
    const item = page.getByRole('list', { name: 'Connections' }).getByRole('listitem');
    await expect.poll(() => item.count()).toBe(1);
    await expect.poll(() => item.first().getAttribute('aria-current')).toBe('true');
    expect(await item.first().innerText()).toMatch(/demo/i);
    await expect.poll(() => editorText(page)).toMatch(/SELECT \* FROM customers/);
    await expect.poll(() => page.getByRole('tree', { name: 'Schema' }).getByRole('treeitem', { name: /^customers/ }).count()).toBe(1);
    const status = await page.getByRole('status', { name: 'Status' }).innerText();
    expect(status).toMatch(/READ-ONLY/);
  });

  it('runs typed SQL with the Run button and with Ctrl+Enter and shows rows in the grid', async () => {
    const { page } = app;
    await typeSql(page, "SELECT 42 AS answer, 'text' AS label, NULL AS nada, '' AS empty");
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const cells = grid(page).getByRole('row').nth(1).getByRole('gridcell');
    await expect.poll(() => cells.allInnerTexts()).toEqual(['42', 'text', 'NULL', '']);
    expect(await cells.nth(2).getAttribute('class')).toContain('cell-null');
    expect(await cells.nth(3).getAttribute('class')).not.toContain('cell-null');
    expect(await grid(page).getByRole('columnheader').allInnerTexts()).toEqual(
      expect.arrayContaining([expect.stringContaining('answer'), expect.stringContaining('label')]),
    );

    // Ctrl+Enter runs only the statement at the cursor: the cursor rests at the end, in the second one.
    await insertSql(page, 'SELECT 1 AS first_statement;\nSELECT name AS second_statement FROM categories ORDER BY id LIMIT 3;');
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect.poll(() => grid(page).getByRole('columnheader').allInnerTexts()).toEqual([expect.stringContaining('second_statement')]);
    await expect.poll(() => grid(page).getByRole('row').count()).toBe(4);
    await expect.poll(() => page.getByRole('status', { name: 'Status' }).innerText()).toMatch(/3 rows/);
  });

  it('cancels a long PostgreSQL query from the UI, and the server stops it', async () => {
    const { page } = app;
    const { config, secrets } = parseConnectionUrl(testPgUrl());
    await page.getByRole('button', { name: 'New connection' }).click();
    const dialog = page.getByRole('dialog', { name: 'Connection' });
    await dialog.getByLabel('Database type').selectOption('postgres');
    await dialog.getByLabel('Name', { exact: true }).fill('Test PG (form)');
    await dialog.getByLabel('Host', { exact: true }).fill(config.host!);
    await dialog.getByLabel('Port', { exact: true }).fill(String(config.port));
    await dialog.getByLabel('User', { exact: true }).fill(config.user!);
    await dialog.getByLabel('Password', { exact: true }).fill(secrets.password ?? '');
    await dialog.getByLabel('Database', { exact: true }).fill(config.database!);
    await dialog.getByRole('button', { name: 'Test' }).click();
    await expect.poll(() => dialog.getByRole('status').innerText()).toMatch(/Connected: .*PostgreSQL|Connected: 15/);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => page.getByRole('status', { name: 'Status' }).innerText()).toContain('Test PG (form)');

    await page.getByRole('button', { name: 'New tab' }).click();
    await typeSql(page, 'SELECT pg_sleep(30) AS e2e_sleep');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => activeQueries(pgClient, 'e2e_sleep'), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.getByRole('status', { name: 'Status' }).innerText()).toMatch(/Running/);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Status' }).innerText()).toMatch(/Cancelled/);
    expect(await page.getByRole('region', { name: 'Results panel' }).innerText()).toMatch(/Query cancelled/);
    await expect.poll(() => activeQueries(pgClient, 'e2e_sleep'), { timeout: 10_000 }).toBe(0);
  });

  it('shows a syntax error in the results and a marker at its position in the editor', async () => {
    const { page } = app;
    // Still on the PostgreSQL tab: the error is in the second statement, on line 3, at "SELEC".
    await insertSql(page, 'SELECT 1;\n\n  SELEC 2 AS broken;');
    await page.keyboard.press('ControlOrMeta+Enter');
    const alert = page.getByRole('region', { name: 'Results panel' }).getByRole('alert');
    await expect.poll(() => alert.innerText()).toMatch(/syntax error/i);
    expect(await alert.innerText()).toMatch(/line 3/);

    const squiggle = page.locator('.monaco-editor .squiggly-error').first();
    await squiggle.waitFor();
    const box = await squiggle.boundingBox();
    // Where the word "SELEC" is drawn: a DOM range over its characters in the rendered line.
    const word = await page.evaluate(() => {
      const line = [...document.querySelectorAll('.monaco-editor .view-line')].find((l) => /SELEC[\s\u00a0]2/.test(l.textContent ?? ''));
      const walker = document.createTreeWalker(line!, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent!.indexOf('SELEC');
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + 5);
        const r = range.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      }
      return undefined;
    });
    expect(box).toBeTruthy();
    expect(word).toBeTruthy();
    const charWidth = word!.width / 5;
    // The squiggle sits under "SELEC" (line 3, column 3): same line, same start, about the same width.
    expect(Math.abs(box!.y + box!.height / 2 - (word!.y + word!.height / 2))).toBeLessThan(word!.height);
    expect(Math.abs(box!.x - word!.x)).toBeLessThan(charWidth / 2);
    expect(Math.abs(box!.width - word!.width)).toBeLessThan(charWidth);
  });

  it('asks before a destructive statement and runs it only once confirmed', async () => {
    const { page, api } = app;
    const { config, secrets } = parseConnectionUrl(testPgUrl());
    await pgClient.query('drop table if exists e2e_victim; create table e2e_victim (id int)');
    const saved = await api.call('connections.save', { config: { ...config, name: 'Test PG (writes)', allowWrites: true }, secrets });
    await page.reload();
    await page.getByRole('tablist', { name: 'Editor tabs' }).waitFor();
    await page.getByRole('button', { name: 'New tab' }).click();
    await selectConnection(page, 'Test PG (writes)');
    expect(saved.config.allowWrites).toBe(true);
    await expect.poll(() => page.getByRole('status', { name: 'Status' }).innerText()).toMatch(/READ-WRITE/);

    await typeSql(page, 'DROP TABLE e2e_victim');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Run destructive statements?' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toMatch(/DROP TABLE e2e_victim/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    const exists = async () => (await pgClient.query("select to_regclass('public.e2e_victim') is not null as e")).rows[0].e as boolean;
    expect(await exists()).toBe(true);

    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await dialog.getByRole('button', { name: 'Run anyway' }).click();
    await expect.poll(exists).toBe(false);
  });

  it('keeps an unsaved tab across a reload', async () => {
    const { page, api } = app;
    await page.getByRole('button', { name: 'New tab' }).click();
    const tabsBefore = await page.getByRole('tablist', { name: 'Editor tabs' }).getByRole('tab').count();
    await typeSql(page, 'SELECT 7 AS survives_reload');
    // Wait until the debounced tabs.save has stored it, as a user closing the window a moment later would.
    await expect.poll(async () => (await api.call('tabs.list', {})).some((t) => t.sql.includes('survives_reload'))).toBe(true);
    await page.reload();
    await page.getByRole('tablist', { name: 'Editor tabs' }).waitFor();
    await expect.poll(() => page.getByRole('tablist', { name: 'Editor tabs' }).getByRole('tab').count()).toBe(tabsBefore);
    await expect.poll(() => editorText(page)).toContain('SELECT 7 AS survives_reload');
    expect(await page.getByRole('tablist', { name: 'Editor tabs' }).getByRole('tab', { selected: true }).innerText()).toMatch(/Query/);
  });

  it('scrolls a 1,000,000-row result to the end and shows the last row', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'New tab' }).click();
    await selectConnection(page, 'Demo');
    await insertSql(
      page,
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000) SELECT i, 'row ' || i AS label FROM n",
    );
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect.poll(() => page.getByRole('status', { name: 'Status' }).innerText(), { timeout: 60_000 }).toMatch(/1,000,000 rows/);

    // Drag to the bottom like a scrollbar would.
    await grid(page).evaluate((el) => (el.scrollTop = el.scrollHeight));
    const last = grid(page).locator('[role=row][aria-rowindex="1000001"]');
    await expect.poll(() => last.getByRole('gridcell').allInnerTexts()).toEqual(['1000000', 'row 1000000']);
    // The DOM holds a window of rows, not a million.
    expect(await grid(page).getByRole('row').count()).toBeLessThan(200);

    // Keyboard: Ctrl+Home then Ctrl+End reach the first and last cell.
    await grid(page).focus();
    await page.keyboard.press('ControlOrMeta+Home');
    await expect.poll(() => grid(page).locator('[role=row][aria-rowindex="2"]').getByRole('gridcell').first().innerText()).toBe('1');
    await page.keyboard.press('ControlOrMeta+End');
    await expect.poll(() => grid(page).locator('.cell-focused').innerText()).toBe('row 1000000');
  });
});
