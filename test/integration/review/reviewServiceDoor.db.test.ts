import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ReviewEvent, ReviewReport, RuleDoc } from '../../../src/shared/domain/review';
import type { WireResponse } from '../../../src/shared/api/wire';
import { createApp, type App } from '../../../src/main/app';
import { startServer, type RunningServer } from '../../../src/main/server/startServer';

const shop = new URL('../../fixtures/review/sandbox/sqlite-shop', import.meta.url).pathname;

/** The browser door end to end: review.* over the real WebSocket, as the Reviewer's upload sends them. */
describe('review.* through the browser door', () => {
  let dir: string;
  let app: App;
  let server: RunningServer;
  let ws: WebSocket;
  const messages: WireResponse[] = [];
  let waiters: { test: (m: WireResponse) => boolean; resolve: (m: WireResponse) => void }[] = [];
  let nextId = 1;

  const next = (test: (m: WireResponse) => boolean): Promise<WireResponse> => {
    const seen = messages.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => waiters.push({ test, resolve }));
  };
  const call = async (method: string, input: unknown): Promise<WireResponse> => {
    const id = nextId++;
    ws.send(JSON.stringify({ type: 'call', id, method, input }));
    return next((m) => m.type !== 'event' && m.id === id);
  };
  const reviewEvents = (reviewId: string): ReviewEvent[] =>
    messages.filter((m) => m.type === 'event' && m.stream === 'review' && m.id === reviewId).map((m) => (m as { event: ReviewEvent }).event);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'quarry-review-door-'));
    mkdirSync(join(dir, 'renderer'));
    app = await createApp({ dataDir: join(dir, 'data'), resourcesDir: join(dir, 'resources'), door: 'browser', demo: false });
    server = await startServer({ app, rendererDir: join(dir, 'renderer') });
    ws = await new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, { origin: `http://127.0.0.1:${server.port}` });
      socket.once('open', () => resolve(socket));
      socket.once('error', reject);
    });
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as WireResponse;
      messages.push(message);
      waiters = waiters.filter((w) => (w.test(message) ? (w.resolve(message), false) : true));
    });
  });

  afterAll(async () => {
    ws?.close();
    await server?.close();
    await app?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads a dropped folder, streams progress then the report, and serves its files', async () => {
    const files = readdirSync(shop).map((name) => ({ path: `migrations/${name}`, base64: readFileSync(join(shop, name)).toString('base64') }));
    const started = await call('review.start', { source: { kind: 'files', name: 'shop', files }, dialect: 'sqlite', prove: true });
    expect(started.type).toBe('result');
    const { reviewId } = (started as { result: { reviewId: string } }).result;
    const done = (await next((m) => m.type === 'event' && m.stream === 'review' && m.id === reviewId && (m.event as ReviewEvent).type !== 'progress')) as { event: ReviewEvent };
    expect(done.event.type).toBe('done');
    const report = (done.event as { report: ReviewReport }).report;
    expect(report).toMatchObject({ reviewId, root: 'shop', format: 'golang-migrate', dialect: 'sqlite' });
    expect(report.files).toEqual(readdirSync(shop).map((n) => `migrations/${n}`).sort());
    expect(report.proof?.map((r) => r.status)).toEqual(['reversible', 'not-reversible', 'down-failed', 'no-down']);
    const phases = reviewEvents(reviewId).flatMap((e) => (e.type === 'progress' ? [e.phase] : []));
    expect([...new Set(phases)]).toEqual(['reading', 'parsing', 'proving']);

    const source = await call('review.source', { reviewId, file: 'migrations/000002_add_orders.down.sql' });
    expect(source).toMatchObject({ type: 'result', result: { text: readFileSync(join(shop, '000002_add_orders.down.sql'), 'utf8') } });
    expect(existsSync(join(dir, 'data', 'review-inbox', reviewId, 'shop', 'migrations'))).toBe(true);
  });

  it('answers a hostile upload with BAD_INPUT naming the file, and starts nothing', async () => {
    const before = messages.filter((m) => m.type === 'event' && m.stream === 'review').length;
    const response = await call('review.start', { source: { kind: 'files', name: 'x', files: [{ path: '../../outside.sql', base64: '' }] }, dialect: 'postgres' });
    expect(response).toMatchObject({ type: 'error', error: { code: 'BAD_INPUT', message: expect.stringMatching(/files\[0\].*"\.\." is not allowed/) } });
    expect(existsSync(join(dir, 'data', 'outside.sql'))).toBe(false);
    expect(existsSync(join(dir, 'outside.sql'))).toBe(false);
    expect(messages.filter((m) => m.type === 'event' && m.stream === 'review').length).toBe(before);
  });

  it('checks the input at the door and lists the rules', async () => {
    expect(await call('review.start', { source: { kind: 'files', name: 'x', files: [] } })).toMatchObject({ type: 'error', error: { code: 'BAD_INPUT' } });
    expect(await call('review.cancel', { reviewId: 'nope' })).toMatchObject({ type: 'error', error: { code: 'NOT_FOUND' } });
    const rules = (await call('review.rules', {})) as { result: RuleDoc[] };
    expect(rules.result.map((r) => r.id)).toContain('setting-not-null');
    expect(rules.result.every((r) => r.docs.problem && r.docs.solution && r.dialects.length > 0)).toBe(true);
  });
});
