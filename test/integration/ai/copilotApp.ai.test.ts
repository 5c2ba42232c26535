// ai.ask / ai.explain / ai.cancel through the app's dispatcher, as both UI doors call them: the built-in demo
// connection, the fixture model loaded with models.load from a models folder of the test's own (the shared
// fixture folder is read-only), and the 'generation' stream.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamMessage } from '../../../src/shared/api/contract';
import type { ConnectionInfo } from '../../../src/shared/domain/connection';
import type { GenerationEvent } from '../../../src/shared/domain/models';
import { createApp, packageRoot, type App } from '../../../src/main/app';

const modelsDir = process.env.QUARRY_TEST_MODELS_DIR;
if (!modelsDir) console.warn('QUARRY_TEST_MODELS_DIR is not set: skipping the ai.ask / ai.explain app tests (set it to the folder holding llm/stories260K.gguf).');

describe.skipIf(!modelsDir)('ai.ask and ai.explain through the dispatcher', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quarry-copilot-app-'));
  let app: App;
  let demoId: string;
  const messages: StreamMessage<'generation'>[] = [];
  const eventsOf = (id: string): GenerationEvent[] => messages.filter((m) => m.id === id).map((m) => m.event);
  const call = (method: string, input: unknown): Promise<unknown> => app.dispatcher.call(method, input);

  beforeAll(async () => {
    mkdirSync(join(dir, 'models'));
    copyFileSync(join(modelsDir!, 'llm', 'stories260K.gguf'), join(dir, 'models', 'stories260K.gguf'));
    app = await createApp({ dataDir: join(dir, 'data'), resourcesDir: join(packageRoot, 'resources'), door: 'browser', modelsDir: join(dir, 'models') });
    app.dispatcher.subscribe((m) => m.stream === 'generation' && messages.push(m as StreamMessage<'generation'>));
    demoId = ((await call('connections.list', {})) as ConnectionInfo[])[0]!.id;
  });

  afterAll(async () => {
    await app?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('with no model: ai.ask answers with an id, then NO_MODEL on the stream', async () => {
    const { generationId } = (await call('ai.ask', { connectionId: demoId, question: 'orders?' })) as { generationId: string };
    await expect.poll(() => eventsOf(generationId).length).toBe(1);
    expect(eventsOf(generationId)[0]).toMatchObject({ type: 'error', code: 'NO_MODEL', message: expect.stringMatching(/Models screen/) });
  });

  it('with the fixture model: tokens, the refused tries, then a suggestion that is not valid and was never run', async () => {
    // One thread: two were ~200× slower on the 2-core machine.
    await call('models.load', { modelId: 'stories260K.gguf', settings: { threads: 1, contextSize: 1024, gpuLayers: 'off' } });
    const { generationId } = (await call('ai.ask', { connectionId: demoId, question: 'How many orders were shipped to Berlin?' })) as { generationId: string };
    await expect.poll(() => eventsOf(generationId).at(-1)?.type, { timeout: 60_000 }).toBe('suggestion');
    const events = eventsOf(generationId);
    expect(events.filter((e) => e.type === 'token').length).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === 'attempt').map((e) => (e as { attempt: number }).attempt)).toEqual([1, 2, 3]);
    expect(events.at(-1)).toMatchObject({ type: 'suggestion', suggestion: { valid: false, attempts: 3, problems: [expect.any(String)] } });
    // Nothing the model wrote ran: the query history is empty.
    expect(await call('history.list', {})).toEqual([]);
  });

  it('ai.explain reports an explanation; ai.cancel ends a running one with CANCELLED', async () => {
    const { generationId } = (await call('ai.explain', { connectionId: demoId, sql: 'SELECT * FROM orderz', error: 'no such table: orderz' })) as { generationId: string };
    await expect.poll(() => eventsOf(generationId).at(-1)?.type, { timeout: 60_000 }).toBe('explanation');

    const { generationId: second } = (await call('ai.ask', { connectionId: demoId, question: 'List every customer in Paris' })) as { generationId: string };
    await call('ai.cancel', { generationId: second });
    await expect.poll(() => eventsOf(second).at(-1)?.type, { timeout: 60_000 }).toBe('error');
    expect(eventsOf(second).at(-1)).toMatchObject({ type: 'error', code: 'CANCELLED' });
  });

  it('bad input is refused at the door', async () => {
    await expect(call('ai.ask', { connectionId: demoId, question: '' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
