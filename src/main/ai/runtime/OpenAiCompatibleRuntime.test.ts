// Against a small OpenAI-compatible server written here: a real HTTP server on loopback that streams SSE the
// way llama-server and vLLM do, so the client's requests, streaming, errors and abort are exercised end to end.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KeyFileSecretBox } from '../../secrets/KeyFileSecretBox';
import { AppStore } from '../../store/AppStore';
import { LlamaRuntime } from './LlamaRuntime';
import { ModelRuntime } from './ModelRuntime';
import { OpenAiCompatibleRuntime } from './OpenAiCompatibleRuntime';

interface Received {
  path: string;
  authorization?: string;
  body: {
    model: string;
    messages: { role: string; content: string }[];
    stream: boolean;
    max_tokens: number;
    temperature: number;
    response_format?: { type: string; json_schema: { schema: unknown } };
  };
}

type Mode = 'stream' | 'json' | 'status500' | 'badEvent' | 'slow' | 'plain' | 'length';

class FakeOpenAiServer {
  readonly received: Received[] = [];
  mode: Mode = 'stream';
  answer = 'SELECT 1;';
  #server: Server;
  #open = new Set<ServerResponse>();

  constructor() {
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const res of this.#open) res.destroy();
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    const body = JSON.parse(raw) as Received['body'];
    this.received.push({ path: req.url ?? '', ...(req.headers.authorization !== undefined && { authorization: req.headers.authorization }), body });
    if (req.url !== '/v1/chat/completions') {
      res.writeHead(404).end('not found');
      return;
    }
    if (this.mode === 'status500') {
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"model not loaded"}}');
      return;
    }
    const text = body.response_format ? JSON.stringify({ sql: this.answer, tables: ['orders'] }) : this.answer;
    if (this.mode === 'plain') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ message: { content: text }, finish_reason: 'stop' }], usage: { prompt_tokens: 11, completion_tokens: 3 } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    this.#open.add(res);
    res.on('close', () => this.#open.delete(res));
    const send = (data: unknown): boolean => res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
    if (this.mode === 'badEvent') {
      res.end('data: {not json\n\n');
      return;
    }
    const pieces = text.match(/.{1,3}/gs) ?? [];
    for (const piece of pieces) {
      send({ choices: [{ delta: { content: piece }, finish_reason: null }] });
      if (this.mode === 'slow') await new Promise((r) => setTimeout(r, 200));
      if (res.destroyed) return;
    }
    send({ choices: [{ delta: {}, finish_reason: this.mode === 'length' ? 'length' : 'stop' }] });
    send({ choices: [], usage: { prompt_tokens: 42, completion_tokens: pieces.length } });
    res.end('data: [DONE]\n\n');
  }
}

const schema = { type: 'object', properties: { sql: { type: 'string' }, tables: { type: 'array', items: { type: 'string' } } }, required: ['sql', 'tables'] };

describe('OpenAiCompatibleRuntime', () => {
  const server = new FakeOpenAiServer();
  let baseUrl: string;

  beforeAll(async () => {
    baseUrl = await server.start();
  });
  afterAll(() => server.stop());
  afterEach(() => {
    server.mode = 'stream';
    server.received.length = 0;
  });

  it('streams the answer from /v1/chat/completions with the system and user messages', async () => {
    const runtime = new OpenAiCompatibleRuntime({ baseUrl, model: 'qwen-coder', apiKey: 'sk-test' });
    const pieces: string[] = [];
    const result = await runtime.generate({ system: 'You write SQL.', prompt: 'one', maxTokens: 64, purpose: 'test', onToken: (t) => pieces.push(t) });
    expect(result).toMatchObject({ text: 'SELECT 1;', promptTokens: 42, completionTokens: 3, cached: false, stopReason: 'end' });
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe('SELECT 1;');
    expect(result.timeToFirstTokenMs).toBeDefined();
    const [req] = server.received;
    expect(req).toMatchObject({ path: '/v1/chat/completions', authorization: 'Bearer sk-test' });
    expect(req!.body).toMatchObject({
      model: 'qwen-coder',
      stream: true,
      max_tokens: 64,
      temperature: 0,
      messages: [
        { role: 'system', content: 'You write SQL.' },
        { role: 'user', content: 'one' },
      ],
    });
    expect(req!.body.response_format).toBeUndefined();
  });

  it('accepts a base URL that already ends in /v1, and sends no key when there is none', async () => {
    const runtime = new OpenAiCompatibleRuntime({ baseUrl: `${baseUrl}/v1/`, model: 'm' });
    expect(runtime.url).toBe(`${baseUrl}/v1/chat/completions`);
    await runtime.generate({ system: '', prompt: 'x', purpose: 'test' });
    expect(server.received[0]!.authorization).toBeUndefined();
    expect(server.received[0]!.body.messages).toEqual([{ role: 'user', content: 'x' }]);
  });

  it('sends the JSON schema as response_format and parses the answer', async () => {
    const runtime = new OpenAiCompatibleRuntime({ baseUrl, model: 'm' });
    const result = await runtime.generate({ system: 's', prompt: 'p', jsonSchema: schema, purpose: 'test' });
    expect(result.json).toEqual({ sql: 'SELECT 1;', tables: ['orders'] });
    expect(server.received[0]!.body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'answer', strict: true, schema } });
  });

  it('reads a server that answers with one JSON object instead of a stream', async () => {
    server.mode = 'plain';
    const result = await new OpenAiCompatibleRuntime({ baseUrl, model: 'm' }).generate({ system: 's', prompt: 'p', purpose: 'test' });
    expect(result).toMatchObject({ text: 'SELECT 1;', promptTokens: 11, completionTokens: 3 });
  });

  it('says what the server answered when it fails', async () => {
    server.mode = 'status500';
    const run = new OpenAiCompatibleRuntime({ baseUrl, model: 'm' }).generate({ system: 's', prompt: 'p', purpose: 'test' });
    await expect(run).rejects.toMatchObject({ code: 'MODEL_ERROR', message: expect.stringMatching(/answered 500.*model not loaded/) });
  });

  it('refuses an event that is not JSON', async () => {
    server.mode = 'badEvent';
    const run = new OpenAiCompatibleRuntime({ baseUrl, model: 'm' }).generate({ system: 's', prompt: 'p', purpose: 'test' });
    await expect(run).rejects.toMatchObject({ code: 'MODEL_ERROR', message: expect.stringContaining('not JSON') });
  });

  it('fails clearly when the JSON answer was cut by max_tokens', async () => {
    server.mode = 'length';
    const run = new OpenAiCompatibleRuntime({ baseUrl, model: 'm' }).generate({ system: 's', prompt: 'p', jsonSchema: schema, purpose: 'test' });
    await expect(run).rejects.toMatchObject({ code: 'MODEL_ERROR', message: expect.stringContaining('ran out of tokens') });
  });

  it('stops streaming when aborted', async () => {
    server.mode = 'slow';
    const abort = new AbortController();
    const pieces: string[] = [];
    const run = new OpenAiCompatibleRuntime({ baseUrl, model: 'm' }).generate({
      system: 's',
      prompt: 'p',
      purpose: 'test',
      signal: abort.signal,
      onToken: (t) => {
        pieces.push(t);
        abort.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(pieces).toHaveLength(1);
  });

  it('says it cannot reach a server that is not there', async () => {
    const closed = new FakeOpenAiServer();
    const url = await closed.start();
    await closed.stop();
    await expect(new OpenAiCompatibleRuntime({ baseUrl: url, model: 'm' }).generate({ system: 's', prompt: 'p', purpose: 'test' })).rejects.toMatchObject({
      code: 'MODEL_ERROR',
      message: expect.stringContaining('Cannot reach the AI endpoint'),
    });
  });

  it('refuses a base URL that is not http(s)', () => {
    expect(() => new OpenAiCompatibleRuntime({ baseUrl: 'file:///etc', model: 'm' })).toThrow(/must be http/);
    expect(() => new OpenAiCompatibleRuntime({ baseUrl: 'not a url', model: 'm' })).toThrow(/not a URL/);
  });

  it('trims a prompt larger than the configured context and says so', async () => {
    const runtime = new OpenAiCompatibleRuntime({ baseUrl, model: 'm', contextSize: 1024 });
    const result = await runtime.generate({ system: 'x'.repeat(20_000), prompt: 'q', maxTokens: 100, purpose: 'test' });
    expect(result.trimmed).toMatch(/characters from the middle of the system prompt/);
    const sent = server.received[0]!.body.messages;
    expect(sent[0]!.content.length + sent[1]!.content.length).toBeLessThanOrEqual((1024 - 100) * 4);
  });
});

describe('ModelRuntime with the endpoint', () => {
  const server = new FakeOpenAiServer();
  let baseUrl: string;
  let dir: string;
  let store: AppStore;
  let runtime: ModelRuntime;
  const announced: string[] = [];

  beforeAll(async () => {
    baseUrl = await server.start();
    dir = mkdtempSync(join(tmpdir(), 'quarry-endpoint-'));
    store = new AppStore({ dataDir: dir });
    runtime = new ModelRuntime({
      store,
      secretBox: new KeyFileSecretBox(join(dir, 'secret.key')),
      local: new LlamaRuntime(),
      catalog: {
        planLoad: () => Promise.reject(new Error('no local model in this test')),
        sha256: () => Promise.reject(new Error('no local model in this test')),
      },
      onEndpointInUse: (url) => announced.push(url),
    });
  });
  afterAll(async () => {
    await runtime.dispose();
    store.dispose();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is off by default: nothing answers until it is enabled', async () => {
    expect(runtime.endpointSetting()).toBeUndefined();
    expect(runtime.endpointInfo()).toBeNull();
    expect(runtime.loaded()).toBeUndefined();
    await expect(runtime.generate({ system: 's', prompt: 'p', purpose: 'test' })).rejects.toMatchObject({ code: 'NO_MODEL' });
    runtime.setEndpoint({ baseUrl, model: 'served' }, 'sk-secret');
    expect(runtime.endpointSetting()).toEqual({ enabled: false, baseUrl, model: 'served' });
    expect(runtime.loaded()).toBeUndefined();
    expect(server.received).toHaveLength(0);
  });

  it('keeps the API key sealed, out of the settings and out of what the UI sees', () => {
    expect(runtime.endpointInfo()).toEqual({ enabled: false, baseUrl, model: 'served', hasApiKey: true });
    expect(JSON.stringify(runtime.endpointInfo())).not.toContain('sk-secret');
    expect(JSON.stringify(store.getAllSettings())).not.toContain('sk-secret');
    const sealed = store.getSealedValue('ai.endpoint.apiKey');
    expect(sealed).toBeInstanceOf(Buffer);
    expect(sealed!.toString('latin1')).not.toContain('sk-secret');
  });

  it('once enabled, answers through the endpoint, says so, caches and audits', async () => {
    runtime.setEndpoint({ enabled: true, baseUrl, model: 'served' });
    expect(runtime.loaded()).toMatchObject({ provider: 'openai', modelId: 'served' });
    expect(announced).toEqual([`${baseUrl}/v1/chat/completions`]);
    const request = { system: 'schema', prompt: 'question', maxTokens: 32, purpose: 'endpoint-test' };
    const first = await runtime.generate(request);
    const second = await runtime.generate(request);
    expect(first).toMatchObject({ text: 'SELECT 1;', cached: false });
    expect(second).toMatchObject({ text: 'SELECT 1;', cached: true });
    expect(server.received).toHaveLength(1);
    expect(server.received[0]!.authorization).toBe('Bearer sk-secret');
    const rows = store.listGenerationAudit(5).filter((r) => r.purpose === 'endpoint-test');
    expect(rows.map((r) => [r.provider, r.modelId, r.cached])).toEqual([
      ['openai', 'served', true],
      ['openai', 'served', false],
    ]);
  });

  it('refuses to load a local model while the endpoint is enabled', async () => {
    await expect(runtime.load('stories.gguf')).rejects.toMatchObject({ code: 'MODEL_ERROR', message: expect.stringContaining('turn it off') });
  });

  it('removes the key with null and goes back to local when disabled', async () => {
    runtime.setEndpoint({ enabled: true, baseUrl, model: 'served' }, null);
    server.received.length = 0;
    await runtime.generate({ system: 's', prompt: 'another', purpose: 'test' });
    expect(server.received[0]!.authorization).toBeUndefined();
    expect(runtime.endpointInfo()?.hasApiKey).toBe(false);
    runtime.setEndpoint({ enabled: false, baseUrl, model: 'served' });
    expect(runtime.loaded()).toBeUndefined();
  });

  it('refuses an endpoint setting with a bad URL', async () => {
    expect(() => runtime.setEndpoint({ enabled: true, baseUrl: 'ftp://x', model: 'm' })).toThrow(/http/);
    // Written around setEndpoint (settings.set): nothing answers, and generate says why.
    store.setSetting('ai.endpoint', { enabled: true, baseUrl: 'ftp://x', model: 'm' });
    expect(runtime.loaded()).toBeUndefined();
    await expect(runtime.generate({ system: 's', prompt: 'p', purpose: 'test' })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('http') });
    store.setSetting('ai.endpoint', undefined);
  });
});
