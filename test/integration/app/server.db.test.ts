import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WireResponse } from '../../../src/shared/api/wire';
import { createApp, type App } from '../../../src/main/app';
import { startServer, type RunningServer } from '../../../src/main/server/startServer';

interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request, so paths are sent exactly as written (no URL normalisation of '..'). */
function get(port: number, path: string, headers: Record<string, string> = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a socket; resolves with the HTTP status of a refused upgrade, or the open socket. */
function openSocket(url: string, origin?: string): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin === undefined ? {} : { origin });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode });
      ws.terminate();
    });
    ws.once('error', (e) => reject(e));
  });
}

class Client {
  readonly messages: WireResponse[] = [];
  #nextId = 1;
  #waiters: { test: (m: WireResponse) => boolean; resolve: (m: WireResponse) => void }[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as WireResponse;
      this.messages.push(message);
      this.#waiters = this.#waiters.filter((w) => (w.test(message) ? (w.resolve(message), false) : true));
    });
  }

  next(test: (m: WireResponse) => boolean): Promise<WireResponse> {
    const seen = this.messages.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.push({ test, resolve }));
  }

  async call(method: string, input: unknown): Promise<WireResponse> {
    const id = this.#nextId++;
    this.ws.send(JSON.stringify({ type: 'call', id, method, input }));
    return this.next((m) => m.type !== 'event' && m.id === id);
  }
}

describe('quarry serve: the browser door', () => {
  let dir: string;
  let app: App;
  let server: RunningServer;
  let wsUrl: string;
  let origin: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'quarry-server-'));
    const rendererDir = join(dir, 'renderer');
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Quarry</title><script type="module" src="/assets/app.js"></script>');
    writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("quarry")');
    writeFileSync(join(dir, 'outside.txt'), 'secret outside the renderer');
    app = await createApp({ dataDir: join(dir, 'data'), resourcesDir: join(dir, 'no-resources'), door: 'browser' });
    server = await startServer({ app, rendererDir });
    wsUrl = `ws://127.0.0.1:${server.port}/api?token=${server.token}`;
    origin = `http://127.0.0.1:${server.port}`;
  });

  afterAll(async () => {
    await server?.close();
    await app?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives a loopback URL with a 256-bit token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(Buffer.from(server.token, 'base64url')).toHaveLength(32);
  });

  it('serves the renderer with security headers and content types', async () => {
    const index = await get(server.port, '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toMatch(/^text\/html/);
    expect(index.body).toContain('<title>Quarry</title>');
    const csp = String(index.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect(csp).not.toMatch(/https?:/);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.headers['referrer-policy']).toBe('no-referrer');
    const js = await get(server.port, '/assets/app.js');
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect((await get(server.port, '/assets/missing.js')).status).toBe(404);
  });

  it('refuses path traversal and foreign Host headers', async () => {
    for (const path of ['/../outside.txt', '/%2e%2e/outside.txt', '/assets/..%2f..%2foutside.txt', '/%00', '/%E0%A4%A']) {
      const res = await get(server.port, path);
      expect([400, 404]).toContain(res.status);
      expect(res.body).not.toContain('secret outside');
    }
    expect((await get(server.port, '/', { host: 'evil.example:80' })).status).toBe(403);
  });

  it('rejects a missing or wrong token (401) and a foreign Origin (403) at the upgrade', async () => {
    expect((await openSocket(`ws://127.0.0.1:${server.port}/api`, origin)).status).toBe(401);
    expect((await openSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token.slice(1)}x`, origin)).status).toBe(401);
    expect((await openSocket(wsUrl, 'http://evil.example')).status).toBe(403);
    expect((await openSocket(wsUrl, `http://127.0.0.1:${server.port + 1}`)).status).toBe(403);
    const ok = await openSocket(wsUrl, `http://localhost:${server.port}`);
    expect(ok.ws?.readyState).toBe(WebSocket.OPEN);
    ok.ws?.close();
  });

  it('answers bad JSON and bad requests with errors and keeps the socket open', async () => {
    const { ws } = await openSocket(wsUrl, origin);
    const client = new Client(ws!);
    ws!.send('{not json');
    const bad = await client.next((m) => m.type === 'error' && m.id === -1);
    expect(bad).toMatchObject({ type: 'error', error: { code: 'BAD_INPUT' } });
    expect(await client.call('no.such.method', {})).toMatchObject({ type: 'error', error: { code: 'UNKNOWN_METHOD' } });
    expect(await client.call('connections.delete', { id: '' })).toMatchObject({ type: 'error', error: { code: 'BAD_INPUT' } });
    expect(await client.call('connections.delete', { id: 'missing' })).toMatchObject({ type: 'error', error: { code: 'NOT_FOUND' } });
    expect(await client.call('app.info', {})).toMatchObject({ type: 'result', result: { door: 'browser', dataDir: join(dir, 'data') } });
    ws!.close();
  });

  it('closes a socket that sends an oversized message, and the server keeps serving', async () => {
    const small = await startServer({ app, rendererDir: join(dir, 'renderer'), maxMessageBytes: 1024 });
    try {
      const { ws } = await openSocket(`ws://127.0.0.1:${small.port}/api?token=${small.token}`, `http://127.0.0.1:${small.port}`);
      const closed = new Promise<number>((resolve) => ws!.once('close', (code) => resolve(code)));
      ws!.send(JSON.stringify({ type: 'call', id: 1, method: 'app.info', input: { pad: 'x'.repeat(4096) } }));
      expect(await closed).toBe(1009);
      const again = new Client((await openSocket(`ws://127.0.0.1:${small.port}/api?token=${small.token}`, `http://127.0.0.1:${small.port}`)).ws!);
      expect(await again.call('app.info', {})).toMatchObject({ type: 'result' });
      again.ws.close();
    } finally {
      await small.close();
    }
  });

  it('runs a query on the demo connection, streaming its events, and downloads the result', async () => {
    const { ws } = await openSocket(wsUrl, origin);
    const client = new Client(ws!);
    // Events go to every connected client, not only the caller.
    const watcher = new Client((await openSocket(wsUrl, origin)).ws!);
    const list = await client.call('connections.list', {});
    expect(list.type).toBe('result');
    const demo = (list as { result: { id: string; builtin: boolean; config: { dialect: string; allowWrites: boolean } }[] }).result.find((c) => c.builtin);
    expect(demo?.config).toMatchObject({ dialect: 'sqlite', allowWrites: false });

    const run = await client.call('query.run', { connectionId: demo!.id, sql: "SELECT 1 AS n, 'a,b' AS t UNION ALL SELECT 2, NULL" });
    expect(run.type).toBe('result');
    const queryId = (run as { result: { queryId: string } }).result.queryId;
    const done = await client.next((m) => m.type === 'event' && m.stream === 'query' && m.id === queryId && (m.event as { type: string }).type === 'done');
    expect(done).toMatchObject({ event: { cancelled: false } });
    const status = client.messages.find((m) => m.type === 'event' && m.stream === 'connectionStatus');
    expect(status).toMatchObject({ id: demo!.id, event: { state: 'connecting' } });
    await watcher.next((m) => m.type === 'event' && m.id === queryId && (m.event as { type: string }).type === 'done');
    expect(watcher.messages.filter((m) => m.type === 'event' && m.id === queryId).map((m) => (m as { event: { type: string } }).event.type)).toEqual(
      client.messages.filter((m) => m.type === 'event' && m.id === queryId).map((m) => (m as { event: { type: string } }).event.type),
    );
    watcher.ws.close();

    const page = await client.call('query.page', { queryId, resultIndex: 0, offset: 0, limit: 10 });
    expect(page).toMatchObject({ type: 'result', result: { rows: [[1, 'a,b'], [2, null]], done: true } });

    const unauth = await get(server.port, `/export/${queryId}/0?format=csv`);
    expect(unauth.status).toBe(401);
    const csv = await get(server.port, `/export/${queryId}/0?format=csv&token=${server.token}`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename=".*\.csv"$/);
    expect(csv.body.split(/\r?\n/).filter(Boolean)).toEqual(['n,t', '1,"a,b"', '2,']);
    const json = await get(server.port, `/export/${queryId}/0?format=json&token=${server.token}`);
    expect(JSON.parse(json.body)).toEqual([{ n: 1, t: 'a,b' }, { n: 2, t: null }]);
    expect((await get(server.port, `/export/${queryId}/7?format=csv&token=${server.token}`)).status).toBe(404);
    expect((await get(server.port, `/export/nope/0?format=csv&token=${server.token}`)).status).toBe(404);
    ws!.close();
  });
});
