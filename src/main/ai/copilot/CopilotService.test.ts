// CopilotService's retry loop end to end through the OpenAI-compatible runtime, against a small OpenAI-compatible
// server written here: a real HTTP server on loopback that streams each scripted answer as SSE. A local fixture
// model only ever writes nonsense (test/integration/ai/copilot.ai.test.ts), so this is where the loop is shown to
// succeed: a refused answer's problems reach the model, and a corrected answer is accepted.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GenerationEvent } from '../../../shared/domain/models';
import type { SchemaModel } from '../../../shared/domain/SchemaModel';
import { OpenAiCompatibleRuntime } from '../runtime/OpenAiCompatibleRuntime';
import { CopilotService } from './CopilotService';
import { demoSchemaForTests } from './demoSchemaForTests';

interface Request {
  messages: { role: string; content: string }[];
  response_format?: unknown;
}

/** Answers each request with the next scripted text, streamed three characters an event. */
class ScriptedServer {
  readonly requests: Request[] = [];
  answers: string[] = [];
  readonly #server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      this.requests.push(JSON.parse(raw) as Request);
      const text = this.answers.shift() ?? '{}';
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const piece of text.match(/.{1,3}/gs) ?? []) res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: piece } }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ choices: [{ delta: {}, finish_reason: 'stop' }] })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}

const ask = (sql: string, explanation = 'e', tables: string[] = []): string => JSON.stringify({ sql, explanation, tables });

let server: ScriptedServer;
let generator: OpenAiCompatibleRuntime;
let demo: SchemaModel;
let copilot: CopilotService;
const events: [string, GenerationEvent][] = [];

beforeAll(async () => {
  server = new ScriptedServer();
  generator = new OpenAiCompatibleRuntime({ baseUrl: await server.start(), model: 'scripted' });
  demo = await demoSchemaForTests();
  copilot = new CopilotService({ generator, getSchema: async () => demo, emit: (id, e) => events.push([id, e]) });
});
afterAll(async () => {
  await copilot.dispose();
  await server.stop();
});
beforeEach(() => {
  server.requests.length = 0;
  server.answers = [];
  events.length = 0;
});

describe('CopilotService.suggest', () => {
  it('feeds a refused answer back with its problems, then accepts the corrected one', async () => {
    server.answers = [ask('SELECT name FROM customers LIMIT 5'), ask('SELECT first_name, last_name FROM customers ORDER BY created_at LIMIT 5', 'Newest customers.')];
    const attempts: GenerationEvent[] = [];
    const s = await copilot.suggest(demo, 'the five newest customers', { onEvent: (e) => e.type === 'attempt' && attempts.push(e) });
    expect(s).toEqual({ sql: 'SELECT first_name, last_name FROM customers ORDER BY created_at LIMIT 5', explanation: 'Newest customers.', tables: ['customers'], attempts: 2, valid: true, problems: [] });
    expect(attempts).toEqual([{ type: 'attempt', attempt: 1, problems: [expect.stringMatching(/^Column name does not exist in customers/)] }]);
    const [first, second] = server.requests;
    // The system prompt (rules and schema) is the same for both tries; only the user's part changes.
    expect(second!.messages[0]).toEqual(first!.messages[0]);
    expect(first!.messages[0]!.content).toContain('CREATE TABLE customers (');
    expect(first!.messages[1]!.content).toBe('Question: the five newest customers');
    expect(second!.messages[1]!.content).toMatch(/Your previous answer was: SELECT name FROM customers LIMIT 5\nIt was refused:\n- Column name does not exist in customers/);
    expect(first!.response_format).toMatchObject({ type: 'json_schema' });
  });

  it('gives up after maxAttempts tries with the last problems, and never more requests than that', async () => {
    server.answers = [ask('DROP TABLE orders'), ask('SELECT * FROM nowhere LIMIT 1'), ask('SELECT id FROM orders')];
    const s = await copilot.suggest(demo, 'orders', {});
    expect(s).toMatchObject({ sql: 'SELECT id FROM orders', valid: false, attempts: 3, problems: ['Add a LIMIT (100 unless the question asks for a number of rows).'] });
    expect(server.requests).toHaveLength(3);
  });

  it('an answer that is not the JSON asked for is a failed try, retried', async () => {
    server.answers = ['Sure! Here is your query: SELECT 1', ask('SELECT count(*) FROM orders')];
    const s = await copilot.suggest(demo, 'how many orders', {});
    expect(s).toMatchObject({ valid: true, attempts: 2, sql: 'SELECT count(*) FROM orders' });
    expect(server.requests[1]!.messages[1]!.content).toMatch(/It was refused:\n- The answer was not the JSON asked for: /);
  });

  it('a question larger than the context is cut, and the suggestion says so', async () => {
    const small = new CopilotService({ generator: new OpenAiCompatibleRuntime({ baseUrl: generator.url.replace(/\/v1\/chat\/completions$/, ''), model: 'scripted', contextSize: 1024 }), getSchema: async () => demo, emit: () => undefined });
    try {
      server.answers = [ask('SELECT id FROM orders LIMIT 1')];
      const s = await small.suggest(demo, `orders ${'and more words '.repeat(2000)}`, {});
      expect(s.valid).toBe(true);
      expect(s.trimmed).toMatch(/^The question was cut to its first \d+ of \d+ tokens to fit the model's context\./);
      expect(s.trimmed).toMatch(/The schema (has 12 tables and views|\(12 tables and views\) does not fit)/);
      expect(server.requests[0]!.messages[1]!.content.length).toBeLessThan(2000 * 15);

      // Explain says what it left out beside the explanation, not inside the model's words.
      server.answers = [JSON.stringify({ explanation: 'Reads orders.', fixedSql: '' })];
      const explained = await small.explainSql({ model: demo, sql: `SELECT id FROM orders WHERE note = '${'x'.repeat(20_000)}'` });
      expect(explained.explanation).toBe('Reads orders.');
      expect(explained.trimmed).toMatch(/^Only the first \d+ of \d+ tokens of the query fit the model's context/);
    } finally {
      await small.dispose();
    }
  });
});

describe('CopilotService.ask / explain on the stream', () => {
  it('answers with an id first, then streams tokens and the suggestion under it', async () => {
    server.answers = [ask('SELECT id FROM orders LIMIT 10')];
    const { generationId } = copilot.ask('demo', 'ten orders');
    expect(events).toEqual([]);
    await expect.poll(() => events.at(-1)?.[1].type).toBe('suggestion');
    expect(events.every(([id]) => id === generationId)).toBe(true);
    const tokens = events.filter(([, e]) => e.type === 'token').map(([, e]) => (e as { text: string }).text).join('');
    expect(JSON.parse(tokens)).toEqual({ sql: 'SELECT id FROM orders LIMIT 10', explanation: 'e', tables: [] });
  });

  it('explain: a fix that is valid is offered; one that turns a read into a write is refused and retried', async () => {
    server.answers = [
      JSON.stringify({ explanation: 'The table is orders.', fixedSql: 'DELETE FROM orders' }),
      JSON.stringify({ explanation: 'The table is orders, not orderz.', fixedSql: 'SELECT * FROM orders LIMIT 5' }),
    ];
    const { generationId } = copilot.explain({ connectionId: 'demo', sql: 'SELECT * FROM orderz LIMIT 5', error: 'no such table: orderz' });
    await expect.poll(() => events.at(-1)?.[1].type).toBe('explanation');
    expect(events.at(-1)).toEqual([generationId, { type: 'explanation', result: { explanation: 'The table is orders, not orderz.', fixedSql: 'SELECT * FROM orders LIMIT 5', valid: true, problems: [] } }]);
    expect(events.filter(([, e]) => e.type === 'attempt')).toEqual([[generationId, { type: 'attempt', attempt: 1, problems: [expect.stringMatching(/^Only a read-only query/)] }]]);
    expect(server.requests[0]!.messages[1]!.content).toBe('Query:\nSELECT * FROM orderz LIMIT 5\n\nIt failed with: no such table: orderz');
  });

  it('explain: no fix needed is valid with no fixedSql; the write being explained may be fixed as a write', async () => {
    server.answers = [JSON.stringify({ explanation: 'Counts orders.', fixedSql: '' })];
    expect(await copilot.explainSql({ model: demo, sql: 'SELECT count(*) FROM orders' })).toEqual({ explanation: 'Counts orders.', valid: true, problems: [] });
    server.answers = [JSON.stringify({ explanation: 'status, not state.', fixedSql: "UPDATE orders SET status = 'paid' WHERE id = 1" })];
    const fixed = await copilot.explainSql({ model: demo, sql: "UPDATE orders SET state = 'paid' WHERE id = 1", error: 'no such column: state' });
    expect(fixed).toMatchObject({ valid: true, fixedSql: "UPDATE orders SET status = 'paid' WHERE id = 1" });
  });

  it('an unknown connection ends the generation with its error', async () => {
    const failing = new CopilotService({ generator, getSchema: async (id) => Promise.reject(new (await import('../../../shared/api/errors')).ApiError('NOT_FOUND', `No connection ${id}.`)), emit: (id, e) => events.push([id, e]) });
    const { generationId } = failing.ask('nope', 'orders');
    await expect.poll(() => events.length).toBe(1);
    expect(events[0]).toEqual([generationId, { type: 'error', code: 'NOT_FOUND', message: 'No connection nope.' }]);
    await failing.dispose();
  });
});
