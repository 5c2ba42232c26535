import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConnectionUrl } from '../../src/shared/domain/connectionUrl';
import { testPgUrl } from '../integration/testEnv';
import { serveApp, type ServedApp } from './serveApp';

const fixtures = resolve(fileURLToPath(new URL('../fixtures/review/e2e', import.meta.url)));

/**
 * A real drop of a real folder (or file), as from a file manager: CDP's Input.dispatchDragEvent with its path.
 * Chromium gives the page a directory entry for it (DataTransferItem.webkitGetAsEntry().isDirectory), so this
 * goes through the same folder walk a user's drop does; no DataTransfer is synthesized.
 */
async function dropPath(page: Page, path: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const size = page.viewportSize() ?? { width: 1400, height: 900 };
  const data = { items: [], files: [path], dragOperationsMask: 1 };
  for (const type of ['dragEnter', 'dragOver', 'drop'] as const) {
    await cdp.send('Input.dispatchDragEvent', { type, x: Math.round(size.width / 2), y: Math.round(size.height / 2), data });
  }
  await cdp.detach();
}

function reviewer(page: Page) {
  return page.getByRole('region', { name: 'Reviewer' });
}

function findings(page: Page) {
  return reviewer(page).getByRole('list', { name: 'Findings' }).getByRole('listitem');
}

/** Rule ids of the findings drawn in the list. */
async function listedRuleIds(page: Page): Promise<string[]> {
  return findings(page).evaluateAll((items) => items.map((i) => i.getAttribute('data-rule') ?? ''));
}

async function openReviewer(page: Page, dialect: 'postgres' | 'mysql' | 'sqlite', prove = false): Promise<void> {
  await page.getByRole('tab', { name: 'Reviewer' }).click();
  const options = reviewer(page).getByRole('toolbar', { name: 'Review options' });
  await options.getByLabel('Dialect').selectOption(dialect);
  await options.getByRole('checkbox', { name: 'Prove reversibility' }).setChecked(prove);
}

describe('the Reviewer in the browser', () => {
  let app: ServedApp;
  let bigFolder: string | undefined;

  beforeAll(async () => {
    app = await serveApp();
  });

  afterAll(async () => {
    await app?.close();
    const client = new pg.Client({ connectionString: testPgUrl() });
    await client.connect();
    await client.query('DROP TABLE IF EXISTS review_e2e_order_lines, review_e2e_orders');
    await client.end();
    if (bigFolder) rmSync(bigFolder, { recursive: true, force: true });
  });

  it('reviews a folder dropped on the window: tree, findings, the file at the finding, filters and rule docs', async () => {
    const { page } = app;
    await openReviewer(page, 'postgres');
    // Dropped while the SQL workspace shows: the window takes it and switches to the Reviewer.
    await page.getByRole('tab', { name: 'SQL' }).click();
    await dropPath(page, join(fixtures, 'flyway-orders'));
    await expect.poll(() => page.getByRole('tab', { name: 'Reviewer' }).getAttribute('aria-selected')).toBe('true');

    const tree = reviewer(page).getByRole('tree', { name: 'Migration files' });
    await expect.poll(() => tree.getByRole('treeitem').count(), { timeout: 30_000 }).toBe(5);
    const names = await tree.getByRole('treeitem').evaluateAll((items) => items.map((i) => i.querySelector('.node-label')?.textContent));
    expect(names).toEqual(['archive', 'V4__legacy.sql', 'V1__create_orders.sql', 'V2__index_orders.sql', 'V3__drop_note.sql']);
    expect(await tree.getByRole('treeitem', { name: /^archive/ }).getAttribute('aria-expanded')).toBe('true');
    expect(await tree.getByRole('treeitem', { name: /^V4__legacy\.sql/ }).getAttribute('aria-level')).toBe('2');
    // Each file says how many findings of each severity it has.
    expect(await tree.getByRole('treeitem', { name: /^V3__drop_note\.sql/ }).getAttribute('aria-label')).toBe('V3__drop_note.sql, 1 error, 1 warning');

    const summary = await reviewer(page).getByLabel('Review summary').innerText();
    expect(summary).toMatch(/flyway-orders: 4 migrations · flyway · postgres · 2 errors, 2 warnings, 1 info/);

    await expect.poll(() => listedRuleIds(page)).toEqual([
      'prefer-text-over-varchar',
      'require-concurrent-index-creation',
      'dropping-column',
      'adding-not-null-column-without-default',
      'delete-or-update-without-where',
    ]);

    // Clicking a finding opens its file at its line, with markers on it.
    await findings(page).filter({ hasText: 'dropping-column' }).getByRole('button').click();
    const source = reviewer(page).getByRole('region', { name: 'Migration source' });
    await expect.poll(() => source.getAttribute('data-file')).toBe('V3__drop_note.sql');
    await expect.poll(async () => (await source.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ')).toMatch(/DROP COLUMN note/);
    await expect.poll(() => source.locator('.line-numbers.active-line-number').innerText()).toBe('2');
    await expect.poll(() => source.locator('.squiggly-warning').count()).toBeGreaterThan(0);
    await expect.poll(() => source.locator('.squiggly-error').count()).toBeGreaterThan(0);
    expect(await tree.getByRole('treeitem', { name: /^V3__drop_note\.sql/ }).getAttribute('aria-selected')).toBe('true');

    // Hiding warnings hides them in the list and in the editor; errors stay.
    await reviewer(page).getByRole('group', { name: 'Severity filter' }).getByRole('checkbox', { name: /^Warnings/ }).uncheck();
    await expect.poll(() => listedRuleIds(page)).toEqual(['prefer-text-over-varchar', 'adding-not-null-column-without-default', 'delete-or-update-without-where']);
    await expect.poll(() => source.locator('.squiggly-warning').count()).toBe(0);
    expect(await source.locator('.squiggly-error').count()).toBeGreaterThan(0);

    // Hovering a rule id shows the rule's docs, as review.rules has them.
    const docs = await app.api.call('review.rules', {});
    const doc = docs.find((d) => d.id === 'adding-not-null-column-without-default');
    expect(doc).toBeDefined();
    await findings(page).filter({ hasText: 'adding-not-null-column-without-default' }).locator('.rule-id').hover();
    const tooltip = page.getByRole('tooltip');
    await expect.poll(() => tooltip.innerText()).toContain('Safe alternative');
    const tip = (await tooltip.innerText()).replace(/\s+/g, ' ');
    expect(tip).toContain(doc!.docs.problem.replace(/\s+/g, ' '));
    expect(tip).toContain(doc!.docs.solution.replace(/\s+/g, ' '));

    // The marker's own hover in the editor carries the rule id and the same docs.
    await page.mouse.move(0, 0);
    const squiggle = source.locator('.squiggly-error').first();
    const box = (await squiggle.boundingBox())!;
    await page.mouse.move(box.x + Math.min(20, box.width / 2), box.y + box.height / 2);
    const hoverText = () => page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.monaco-hover')].map((h) => h.innerText).join('\n'));
    await expect.poll(hoverText, { timeout: 10_000 }).toContain('adding-not-null-column-without-default');
    expect((await hoverText()).replace(/\s+/g, ' ')).toContain(`Safe alternative: ${doc!.docs.solution.replace(/\s+/g, ' ')}`);
  });

  it('reviews a single dropped file, and says plainly when it cannot tell the dialect', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Reviewer' }).click();
    await reviewer(page).getByRole('toolbar', { name: 'Review options' }).getByLabel('Dialect').selectOption('auto');
    const file = join(fixtures, 'flyway-orders', 'V2__index_orders.sql');
    await dropPath(page, file);
    const alert = reviewer(page).getByRole('alert');
    await expect.poll(() => alert.innerText().catch(() => ''), { timeout: 30_000 }).toMatch(/Could not review V2__index_orders\.sql: .*dialect/i);

    await reviewer(page).getByRole('toolbar', { name: 'Review options' }).getByLabel('Dialect').selectOption('postgres');
    await dropPath(page, file);
    const tree = reviewer(page).getByRole('tree', { name: 'Migration files' });
    await expect.poll(() => tree.getByRole('treeitem').allInnerTexts(), { timeout: 30_000 }).toEqual([expect.stringContaining('V2__index_orders.sql')]);
    await expect.poll(() => listedRuleIds(page)).toEqual(['require-concurrent-index-creation']);
    await expect.poll(() => reviewer(page).getByRole('region', { name: 'Migration source' }).getAttribute('data-file')).toBe('V2__index_orders.sql');
  });

  it('reviews a folder picked with Open folder…, uploaded with the paths below it', async () => {
    const { page } = app;
    await openReviewer(page, 'postgres');
    const chooser = page.waitForEvent('filechooser');
    await reviewer(page).getByRole('toolbar', { name: 'Review options' }).getByRole('button', { name: 'Open folder…' }).click();
    await (await chooser).setFiles(join(fixtures, 'flyway-orders'));
    const tree = reviewer(page).getByRole('tree', { name: 'Migration files' });
    await expect.poll(() => tree.getByRole('treeitem', { name: /^V4__legacy\.sql/ }).getAttribute('aria-level'), { timeout: 30_000 }).toBe('2');
    expect(await reviewer(page).getByLabel('Review summary').innerText()).toMatch(/^flyway-orders: 4 migrations · flyway · postgres/);
    await expect.poll(() => listedRuleIds(page)).toContain('delete-or-update-without-where');
  });

  it('proves a SQLite folder and shows the migration that is not reversible, with its difference', async () => {
    const { page } = app;
    await openReviewer(page, 'sqlite', true);
    await dropPath(page, join(fixtures, 'sqlite-shop'));
    const panel = reviewer(page).getByRole('region', { name: 'Reversibility' });
    await panel.waitFor({ timeout: 30_000 });
    const results = panel.getByRole('list', { name: 'Reversibility results' }).getByRole('listitem');
    const notReversible = results.filter({ hasText: 'Not reversible' });
    await expect.poll(() => notReversible.count()).toBe(1);
    // 000002's down forgets the index its up made on users.
    expect(await notReversible.innerText()).toMatch(/add orders/);
    expect(await notReversible.getByRole('list').innerText()).toMatch(/index main\.users\.users_created_idx was added/);
    const downFailed = results.filter({ hasText: 'Down failed' });
    expect(await downFailed.innerText()).toMatch(/no such table: nickname_history/);
    expect(await results.filter({ hasText: 'Reversible' }).filter({ hasNotText: 'Not reversible' }).count()).toBe(1);
    // The proof's findings are in the list too.
    await expect.poll(() => listedRuleIds(page)).toEqual(expect.arrayContaining(['irreversible-migration', 'down-fails']));

    // Its failed statement opens the down file at the statement.
    await downFailed.getByRole('button', { name: /DROP TABLE nickname_history/ }).click();
    const source = reviewer(page).getByRole('region', { name: 'Migration source' });
    await expect.poll(() => source.getAttribute('data-file')).toBe('000003_add_nickname.down.sql');
    await expect.poll(() => source.locator('.line-numbers.active-line-number').innerText()).toBe('2');
  });

  it('shows progress on a folder of 2,000 migrations, cancels, and draws only the rows in view of 20,000 findings', async () => {
    const { page } = app;
    bigFolder = mkdtempSync(join(tmpdir(), 'quarry-e2e-big-'));
    const folder = join(bigFolder, 'big-flyway');
    mkdirSync(folder);
    for (let i = 1; i <= 2000; i++) {
      const statements = Array.from({ length: 10 }, (_, j) => `ALTER TABLE t${i} ADD COLUMN c${j} varchar(10);`);
      writeFileSync(join(folder, `V${i}__m${i}.sql`), `${statements.join('\n')}\n`);
    }
    await openReviewer(page, 'postgres');

    await dropPath(page, folder);
    const progress = reviewer(page).getByRole('progressbar');
    await progress.waitFor({ timeout: 30_000 });
    await reviewer(page).getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => reviewer(page).getByRole('status').innerText(), { timeout: 30_000 }).toMatch(/Review of big-flyway cancelled/);

    // Progress counts what it has done of how much, as the progressbar's value.
    await dropPath(page, folder);
    await progress.waitFor({ timeout: 30_000 });
    await expect.poll(() => progress.getAttribute('aria-valuemax'), { timeout: 30_000 }).toMatch(/^\d+$/);
    const now = Number(await progress.getAttribute('aria-valuenow').catch(() => '0'));
    expect(now).toBeGreaterThanOrEqual(0);

    const summary = reviewer(page).getByLabel('Review summary');
    await summary.waitFor({ timeout: 60_000 });
    expect(await summary.innerText()).toMatch(/2000 migrations · flyway · postgres/);
    // Each of the 20,000 varchar(10) columns is a finding (prefer-text-over-varchar), whatever else is found.
    const listed = /(\d+) of (\d+)/.exec(await reviewer(page).getByRole('region', { name: 'Findings panel' }).innerText());
    expect(Number(listed?.[1])).toBeGreaterThanOrEqual(20_000);
    expect(listed?.[1]).toBe(listed?.[2]);
    const drawn = await findings(page).count();
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBeLessThan(200);
    expect(await findings(page).first().getAttribute('aria-setsize')).toBe(listed?.[1]);
    const treeRows = await reviewer(page).getByRole('tree', { name: 'Migration files' }).getByRole('treeitem').count();
    expect(treeRows).toBeGreaterThan(0);
    expect(treeRows).toBeLessThan(200);
  });

  it('measures impact on a connected PostgreSQL: the table, its lock, the rows at risk and the blast radius', async () => {
    const { page } = app;
    const client = new pg.Client({ connectionString: testPgUrl() });
    await client.connect();
    try {
      await client.query('DROP TABLE IF EXISTS review_e2e_order_lines, review_e2e_orders');
      await client.query('CREATE TABLE review_e2e_orders (id bigint PRIMARY KEY, shipped_at timestamptz)');
      await client.query('CREATE TABLE review_e2e_order_lines (id bigint PRIMARY KEY, order_id bigint REFERENCES review_e2e_orders (id))');
      // 1,000 orders, of which every fourth (250) has not shipped: SET NOT NULL would fail on them.
      await client.query("INSERT INTO review_e2e_orders SELECT g, CASE WHEN g % 4 = 0 THEN NULL ELSE now() END FROM generate_series(1, 1000) g");
      await client.query('ANALYZE review_e2e_orders');
    } finally {
      await client.end();
    }
    const { config, secrets } = parseConnectionUrl(testPgUrl());
    const saved = await app.api.call('connections.save', { config: { ...config, name: 'Review e2e PG' }, ...(secrets ? { secrets } : {}) });
    await page.reload();
    await page.getByRole('tablist', { name: 'Editor tabs' }).waitFor({ timeout: 30_000 });
    await openReviewer(page, 'postgres');
    await reviewer(page).getByRole('toolbar', { name: 'Review options' }).getByLabel('Connection').selectOption(saved.id);

    await dropPath(page, join(fixtures, 'impact-pg'));
    const panel = reviewer(page).getByRole('region', { name: 'Impact' });
    await panel.waitFor({ timeout: 60_000 });
    const items = panel.getByRole('list', { name: 'Statement impact' }).getByRole('listitem');
    const setNotNull = items.filter({ hasText: 'V1__ship_orders.sql:2' });
    await expect.poll(() => setNotNull.count()).toBe(1);
    const text = await setNotNull.innerText();
    expect(text).toMatch(/review_e2e_orders: ~?1,000 rows/);
    expect(text).toMatch(/ACCESS EXCLUSIVE/);
    expect(text).toMatch(/review_e2e_order_lines/);
    // The data check found the 250 NULLs, and the item is marked at risk.
    expect(await setNotNull.getAttribute('class')).toContain('at-risk');
    const atRisk = setNotNull.getByRole('list', { name: 'Data checks' }).getByRole('listitem').filter({ hasText: 'At risk' });
    expect(await atRisk.innerText()).toMatch(/250/);
  });
});
