import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The Electron binary, if the optional dependency installed one that can run here. */
function electronBinary(): string | undefined {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    if (typeof path !== 'string') return undefined;
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();
if (!binary) console.warn('electron.e2e: skipped — no Electron binary exists on this machine (the `electron` package is installed without its binary, which could not be downloaded).');

describe.skipIf(!binary)('Quarry in Electron', () => {
  it('opens the window with the demo connection and runs the starter query', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'quarry-electron-'));
    const app = await electron.launch({
      executablePath: binary!,
      args: [root, '--no-sandbox', '--disable-gpu', `--user-data-dir=${dataDir}`],
    });
    try {
      const page = await app.firstWindow();
      await page.getByRole('tablist', { name: 'Editor tabs' }).waitFor({ timeout: 60_000 });
      await expect.poll(() => page.getByRole('list', { name: 'Connections' }).getByRole('listitem').count()).toBeGreaterThan(0);
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await expect.poll(() => page.getByRole('grid', { name: 'Results' }).getByRole('row').count()).toBeGreaterThan(1);
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
