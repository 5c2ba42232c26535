/**
 * Grid: time to first page through the browser door. Serves Quarry, opens headless Chromium, runs a query
 * returning 200,000 rows from PostgreSQL, and measures in the page (performance.now) the time from the click on
 * Run to the first grid row on screen; median of 5. Baseline, in the same page and run: the same query through the
 * raw WebSocket API (query.run → first resultSet event → first query.page of 500 rows), with no UI at all, so the
 * ratio is what the UI adds on top of the engine.
 *
 * Alone: node --import tsx bench/gridFirstPage.ts <pgUrl>
 */
import { fileURLToPath } from 'node:url';
import { parseConnectionUrl } from '../src/shared/domain/connectionUrl';
import { serveApp } from '../test/e2e/serveApp';
import type { BenchResult } from './BenchResult';

const RUNS = 5;
const ROWS = 200_000;
const SQL = `SELECT i, md5(i::text) AS hash, i * 1.5 AS price, now() AS ts FROM generate_series(1, ${ROWS}) AS i`;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export async function benchGridFirstPage(pgUrl: string): Promise<BenchResult[]> {
  // Playwright's pipe to Chromium does not hold the event loop open while a page.evaluate awaits the page, so a
  // script run alone would exit mid-measurement without this.
  const keepAlive = setInterval(() => {}, 1000);
  const app = await serveApp({ viewport: { width: 1400, height: 900 } });
  try {
    const { page, api } = app;
    const { config, secrets } = parseConnectionUrl(pgUrl);
    const saved = await api.call('connections.save', { config: { ...config, name: 'bench' }, secrets });
    // tsx compiles with esbuild's keepNames, which wraps functions in __name(); the page functions below need it.
    await page.addInitScript('globalThis.__name = (f) => f');
    await page.reload();
    await page.getByRole('tablist', { name: 'Editor tabs' }).waitFor();
    await page.getByRole('list', { name: 'Connections' }).getByRole('button', { name: 'bench PostgreSQL' }).click();
    await page.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(SQL);
    const status = page.getByRole('status', { name: 'Status' });
    const run = page.getByRole('button', { name: 'Run', exact: true });

    // One warm-up run: connects, and loads the grid code paths once, as a user's first query would.
    const ui: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      await run.waitFor();
      await page.waitForFunction(() => !document.querySelector('.statusbar .spinner'));
      await page.evaluate(() => {
        const w = window as unknown as { benchFirstRow?: Promise<number> };
        const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim().endsWith('Run') && !b.textContent.includes('all'))!;
        w.benchFirstRow = new Promise<number>((resolve) => {
          button.addEventListener(
            'click',
            () => {
              const t0 = performance.now();
              const seen = () => [...document.querySelectorAll('[role=grid][aria-label=Results] [role=gridcell]')].some((c) => c.textContent);
              const failed = () => document.querySelector('.results-error');
              const observer = new MutationObserver(() => {
                if (failed()) {
                  observer.disconnect();
                  resolve(-1);
                  return;
                }
                if (!seen()) return;
                observer.disconnect();
                // The row is in the DOM; wait for the frame that paints it.
                requestAnimationFrame(() => resolve(performance.now() - t0));
              });
              // Old results leave the DOM when the run starts, so a cell seen from here on is the new result's.
              setTimeout(() => observer.observe(document.body, { childList: true, subtree: true, characterData: true }), 0);
            },
            { once: true, capture: true },
          );
        });
      });
      await run.click();
      const ms = await page.evaluate(() => (window as unknown as { benchFirstRow: Promise<number> }).benchFirstRow);
      if (ms < 0) throw new Error(`the query failed in the UI: ${await page.locator('.results-error').innerText()}`);
      if (i > 0) ui.push(ms);
      await status.getByText(/rows ·/).waitFor({ timeout: 120_000 });
    }

    const api_: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const ms = await page.evaluate(
        async ({ connectionId, sql }) => {
          const token = sessionStorage.getItem('quarry.token') ?? '';
          const ws = new WebSocket(`ws://${location.host}/api?token=${encodeURIComponent(token)}`);
          await new Promise((r) => (ws.onopen = r));
          let nextId = 1;
          const waiters = new Map<number, (v: unknown) => void>();
          let onEvent: (e: { type: string }) => void = () => {};
          ws.onmessage = (m) => {
            const msg = JSON.parse(String(m.data));
            if (msg.type === 'event') onEvent(msg.event);
            else waiters.get(msg.id)?.(msg.result ?? msg.error);
          };
          const call = (method: string, input: unknown) =>
            new Promise<unknown>((r) => {
              const id = nextId++;
              waiters.set(id, r);
              ws.send(JSON.stringify({ type: 'call', id, method, input }));
            });
          const t0 = performance.now();
          const firstResult = new Promise<void>((r) => (onEvent = (e) => e.type === 'resultSet' && r()));
          const done = new Promise<void>((r) => {
            const prev = onEvent;
            onEvent = (e) => {
              prev(e);
              if (e.type === 'done') r();
            };
          });
          const { queryId } = (await call('query.run', { connectionId, sql })) as { queryId: string };
          await firstResult;
          let rows = 0;
          while (rows === 0) rows = ((await call('query.page', { queryId, resultIndex: 0, offset: 0, limit: 500 })) as { rows: unknown[] }).rows.length;
          const ms = performance.now() - t0;
          await done;
          await call('query.close', { queryId });
          ws.close();
          return ms;
        },
        { connectionId: saved.id, sql: SQL },
      );
      if (i > 0) api_.push(ms);
    }

    const value = median(ui);
    const baseline = median(api_);
    return [
      {
        name: `Click Run → first grid row painted (${ROWS.toLocaleString('en')} rows, PostgreSQL, median of ${RUNS})`,
        value,
        unit: 'ms',
        baseline: { name: 'raw WebSocket API: query.run → first page of rows', value: baseline },
        ratio: value / baseline,
        target: '≤ 150 ms',
      },
    ];
  } finally {
    clearInterval(keepAlive);
    await app.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const url = process.argv[2] ?? process.env.QUARRY_TEST_PG_URL;
  if (!url) {
    console.error('usage: node --import tsx bench/gridFirstPage.ts <postgres-url>   (or set QUARRY_TEST_PG_URL)');
    process.exit(2);
  }
  benchGridFirstPage(url).then(
    (results) => {
      for (const r of results) {
        const base = r.baseline ? `  (baseline ${r.baseline.name}: ${r.baseline.value.toFixed(1)} ms, ratio ${r.ratio!.toFixed(2)}×)` : '';
        console.log(`${r.name}: ${r.value.toFixed(1)} ${r.unit}${base}${r.target ? `  target ${r.target}` : ''}`);
      }
    },
    (e: unknown) => {
      console.error(e instanceof Error ? (process.env.BENCH_DEBUG ? e.stack : e.message) : e);
      process.exit(1);
    },
  );
}
