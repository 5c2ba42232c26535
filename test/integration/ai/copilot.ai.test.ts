// Ask and Explain with the real fixture model (stories260K through QUARRY_TEST_MODELS_DIR) against the shipped demo
// database. The model writes nonsense, so what is tested is the path around it: the JSON grammar, validation,
// bounded retries, trimming to the context, NO_MODEL and cancelling. validateSql's unit tests show it passes good SQL.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/shared/api/errors';
import type { GenerationEvent, ModelSettings } from '../../../src/shared/domain/models';
import type { SchemaModel } from '../../../src/shared/domain/SchemaModel';
import { CopilotService, noModelMessage } from '../../../src/main/ai/copilot/CopilotService';
import { demoSchemaForTests } from '../../../src/main/ai/copilot/demoSchemaForTests';
import { disposeSharedLlama } from '../../../src/main/ai/models/sharedLlama';
import { LlamaRuntime } from '../../../src/main/ai/runtime/LlamaRuntime';

const modelsDir = process.env.QUARRY_TEST_MODELS_DIR;
const modelPath = modelsDir ? join(modelsDir, 'llm', 'stories260K.gguf') : undefined;
if (!modelsDir) console.warn('QUARRY_TEST_MODELS_DIR is not set: skipping the copilot model tests (set it to the folder holding llm/stories260K.gguf).');

/** One thread: two were ~200× slower on the 2-core machine. */
const settings = (contextSize: number): ModelSettings => ({ gpuLayers: 'off', contextSize, threads: 1, batchSize: 512, flashAttention: false, idleUnloadMinutes: 0 });
const stories = { id: 'llm/stories260K.gguf', path: modelPath ?? '', sha256: '270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d' };

describe.skipIf(!modelsDir)('copilot with the fixture model', () => {
  let demo: SchemaModel;
  let runtime: LlamaRuntime;
  const services: CopilotService[] = [];
  const runtimes: LlamaRuntime[] = [];

  function copilot(generator = runtime, emit: (id: string, e: GenerationEvent) => void = () => undefined): CopilotService {
    const service = new CopilotService({ generator, getSchema: async () => demo, emit, maxAttempts: 3, maxAnswerTokens: 96 });
    services.push(service);
    return service;
  }

  beforeAll(async () => {
    if (!existsSync(stories.path)) throw new Error(`QUARRY_TEST_MODELS_DIR is set, but ${stories.path} does not exist.`);
    demo = await demoSchemaForTests();
    runtime = new LlamaRuntime();
    runtimes.push(runtime);
    await runtime.load(stories, settings(2048));
  });

  afterAll(async () => {
    for (const s of services) await s.dispose();
    for (const r of runtimes) await r.dispose();
    await disposeSharedLlama();
  });

  it('Ask: schema-valid JSON whose SQL fails validation, retried a bounded number of times, then a clear failure', async () => {
    const events: GenerationEvent[] = [];
    const suggestion = await copilot().suggest(demo, 'Which customers placed the most orders?', { onEvent: (e) => events.push(e) });
    expect(suggestion.valid).toBe(false);
    expect(suggestion.attempts).toBe(3);
    expect(suggestion.problems.length).toBeGreaterThan(0);
    expect(typeof suggestion.sql).toBe('string');
    expect(typeof suggestion.explanation).toBe('string');

    const attempts = events.filter((e) => e.type === 'attempt');
    expect(attempts.map((e) => e.attempt)).toEqual([1, 2, 3]);
    // Each try's streamed text is the JSON the grammar allows, or the try says it could not finish it.
    let text = '';
    let parsed = 0;
    for (const e of events) {
      if (e.type === 'token') text += e.text;
      if (e.type !== 'attempt') continue;
      if (e.problems.some((p) => p.startsWith('The answer was not the JSON asked for'))) {
        expect(() => JSON.parse(text)).toThrow();
      } else {
        const json = JSON.parse(text) as Record<string, unknown>;
        expect(Object.keys(json).sort()).toEqual(['explanation', 'sql', 'tables']);
        parsed++;
      }
      text = '';
    }
    expect(parsed).toBeGreaterThan(0);
    // The demo schema does not fit beside the rules in 2,048 tokens of this tokenizer: the relevant tables stay.
    expect(suggestion.trimmed).toMatch(/most relevant to the question fit the model's context\. Left out: /);
    const leftOut = /Left out: ([^.]*)\./.exec(suggestion.trimmed!)![1]!.split(', ');
    expect(leftOut).not.toContain('customers');
    expect(leftOut).not.toContain('orders');
  });

  it('Ask: a schema that does not fit a tiny context is cut, and the suggestion says what was left out', async () => {
    const tiny = new LlamaRuntime();
    runtimes.push(tiny);
    await tiny.load(stories, settings(256));
    const suggestion = await copilot(tiny).suggest(demo, 'average quantity of order items per product', {});
    expect(suggestion.valid).toBe(false);
    expect(suggestion.trimmed).toMatch(/The schema \(12 tables and views\) does not fit the model's context|most relevant to the question fit/);
    expect(suggestion.trimmed).toMatch(/The prompt was cut to fit the model's context: /);
    await tiny.dispose();
  });

  it('Explain: an explanation, and a proposed fix that is checked before it is offered', async () => {
    const result = await copilot().explainSql({ model: demo, sql: 'SELECT * FROM orderz LIMIT 5', error: 'no such table: orderz' });
    expect(typeof result.explanation).toBe('string');
    if (result.valid) expect(result.problems).toEqual([]);
    else {
      expect(result.problems.length).toBeGreaterThan(0);
      expect(result.fixedSql).toBeUndefined();
    }
  });

  it('NO_MODEL with no model loaded: suggest rejects, ask reports it on the stream', async () => {
    const empty = new LlamaRuntime();
    runtimes.push(empty);
    const events: [string, GenerationEvent][] = [];
    const service = copilot(empty, (id, e) => events.push([id, e]));
    await expect(service.suggest(demo, 'orders?')).rejects.toMatchObject({ code: 'NO_MODEL', message: noModelMessage });
    const { generationId } = service.ask('demo', 'orders?');
    await expect.poll(() => events.length).toBe(1);
    expect(events[0]).toEqual([generationId, { type: 'error', code: 'NO_MODEL', message: noModelMessage }]);
  });

  it('cancel stops a running Ask on the stream with CANCELLED, and an aborted signal rejects', async () => {
    const events: GenerationEvent[] = [];
    const service = copilot(runtime, (_, e) => {
      events.push(e);
      if (e.type === 'token' && events.length === 1) service.cancel(generationId);
    });
    const { generationId } = service.ask('demo', 'List the ten most recent orders');
    await expect.poll(() => events.at(-1)?.type, { timeout: 60_000 }).toBe('error');
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'CANCELLED' });
    expect(events.some((e) => e.type === 'suggestion')).toBe(false);

    const abort = new AbortController();
    abort.abort();
    await expect(service.suggest(demo, 'orders', { signal: abort.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await service.suggest(demo, 'orders', { signal: abort.signal }).catch((e: unknown) => e)).toBeInstanceOf(ApiError);
  });
});
