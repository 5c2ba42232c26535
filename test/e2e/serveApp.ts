import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import WebSocket from 'ws';
import type { MethodInput, MethodName, MethodResult } from '../../src/shared/api/contract';
import type { WireResponse } from '../../src/shared/api/wire';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A typed API client over the browser door's WebSocket, for setting up and checking what the UI did. */
export class ApiClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as WireResponse;
      if (message.type === 'event') return;
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.type === 'result') waiter.resolve(message.result);
      else waiter.reject(new Error(`${message.error.code}: ${message.error.message}`));
    });
    socket.on('close', () => {
      for (const w of this.pending.values()) w.reject(new Error('API socket closed'));
      this.pending.clear();
    });
  }

  static async open(baseUrl: string, token: string): Promise<ApiClient> {
    const url = new URL('/api', baseUrl);
    url.protocol = 'ws:';
    url.searchParams.set('token', token);
    const socket = new WebSocket(url);
    await new Promise<void>((ok, fail) => {
      socket.once('open', () => ok());
      socket.once('error', fail);
    });
    return new ApiClient(socket);
  }

  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodResult<M>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.socket.send(JSON.stringify({ type: 'call', id, method, input }));
    });
  }

  close(): void {
    this.socket.close();
  }
}

export interface ServedApp {
  /** The page URL with the token, as `quarry serve` printed it. */
  url: string;
  token: string;
  dataDir: string;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  api: ApiClient;
  /** Everything the server printed, for failure messages. */
  output(): string;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** Defaults to 'light'. */
  colorScheme?: 'light' | 'dark';
  /** Defaults to 1400 × 900. */
  viewport?: { width: number; height: number };
}

/**
 * Starts `quarry serve` on a free port with a fresh data dir (the renderer must be built: `npm run test:e2e`
 * builds it first), opens headless Chromium on its URL and waits for the app shell.
 */
export async function serveApp(options: ServeOptions = {}): Promise<ServedApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'quarry-e2e-'));
  const child = spawn(process.execPath, [join(root, 'bin/quarry.mjs'), 'serve', '--port', '0', '--data-dir', dataDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += String(d)));
  child.stderr.on('data', (d) => (output += String(d)));
  let browser: Browser | undefined;
  let api: ApiClient | undefined;
  const stop = async () => {
    api?.close();
    await browser?.close().catch(() => {});
    await killChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const url = await waitForUrl(child, () => output);
    const token = new URL(url).searchParams.get('token') ?? '';
    api = await ApiClient.open(url, token);
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
    const context = await browser.newContext({
      colorScheme: options.colorScheme ?? 'light',
      viewport: options.viewport ?? { width: 1400, height: 900 },
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(url);
    await page.getByRole('tablist', { name: 'Editor tabs' }).waitFor({ timeout: 30_000 });
    return { url, token, dataDir, browser, context, page, api, output: () => `${output}${pageErrors.length ? `\npage errors:\n${pageErrors.join('\n')}` : ''}`, close: stop };
  } catch (error) {
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nquarry serve said:\n${output}`);
  }
}

function waitForUrl(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('quarry serve printed no URL within 30 s')), 30_000);
    const check = () => {
      const m = /Quarry is serving on (http:\/\/127\.0\.0\.1:\d+\/\?token=[^\s]+)/.exec(output());
      if (m) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve(m[1]!);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`quarry serve exited with code ${code} before serving`));
    });
    check();
  });
}

async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
