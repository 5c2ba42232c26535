// models.download / downloads / pause / resume / cancel through the app's dispatcher, as every door calls them,
// with the 'download' stream, against the local Range server. With QUARRY_TEST_MODELS_DIR set, the served file is
// the stories260K fixture, so the catalog must list the downloaded model with its header read and its sha256.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, packageRoot, type App } from '../../../src/main/app';
import type { StreamMessage } from '../../../src/shared/api/contract';
import type { DownloadState, ModelFile } from '../../../src/shared/domain/models';
import { startRangeServer, type RangeServer } from '../../support/rangeServer';

const modelsFixtures = process.env.QUARRY_TEST_MODELS_DIR;
if (!modelsFixtures) console.warn('QUARRY_TEST_MODELS_DIR is not set: the app download test serves random bytes and skips the catalog check of the stories260K fixture.');
const served = modelsFixtures ? readFileSync(join(modelsFixtures, 'llm', 'stories260K.gguf')) : randomBytes(1_200_000);
const sha256 = createHash('sha256').update(served).digest('hex');

describe('downloads through the app', () => {
  let dir: string;
  let app: App | undefined;
  let server: RangeServer;
  const events: DownloadState[] = [];

  beforeAll(async () => {
    server = await startRangeServer({ 'stories.gguf': served });
    dir = mkdtempSync(join(tmpdir(), 'quarry-download-app-'));
    app = await createApp({ dataDir: join(dir, 'data'), resourcesDir: join(packageRoot, 'resources'), door: 'cli', demo: false, modelsDir: join(dir, 'models') });
    app.dispatcher.subscribe((m: StreamMessage) => {
      if (m.stream === 'download') events.push(m.event as DownloadState);
    });
  });

  afterAll(async () => {
    await app?.dispose();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const call = (method: string, input: unknown): Promise<unknown> => app!.dispatcher.call(method, input);

  it('downloads, verifies and lists the model; the stream carries the states', async () => {
    const { downloadId } = (await call('models.download', { url: `${server.url}/slow/stories.gguf?bps=2000000`, sha256 })) as { downloadId: string };
    const end = await app!.downloads.whenSettled(downloadId);
    expect(end).toMatchObject({ status: 'done', receivedBytes: served.length, totalBytes: served.length });
    const mine = events.filter((e) => e.downloadId === downloadId);
    expect(mine[0]!.status).toBe('downloading');
    expect(mine.at(-1)!.status).toBe('done');
    expect(mine.some((e) => e.status === 'downloading' && e.receivedBytes > 0 && e.receivedBytes < served.length && e.bytesPerSecond > 0)).toBe(true);
    expect(await call('models.downloads', {})).toEqual([expect.objectContaining({ downloadId, status: 'done' })]);
    if (modelsFixtures) {
      const { models } = (await call('models.list', {})) as { models: ModelFile[] };
      expect(models).toEqual([expect.objectContaining({ id: 'stories.gguf', sha256, metadata: expect.objectContaining({ architecture: 'llama' }) })]);
    }
  });

  it('pauses, resumes and cancels by id, and says so for unknown ids and bad input', async () => {
    const { downloadId } = (await call('models.download', { url: `${server.url}/slow/stories.gguf?bps=100000`, file: 'again.gguf' })) as { downloadId: string };
    await call('models.pauseDownload', { downloadId });
    expect(app!.downloads.get(downloadId).status).toBe('paused');
    await call('models.resumeDownload', { downloadId });
    expect(app!.downloads.get(downloadId).status).toBe('downloading');
    await call('models.cancelDownload', { downloadId });
    expect(app!.downloads.get(downloadId).status).toBe('cancelled');
    await expect(call('models.pauseDownload', { downloadId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(call('models.download', { url: `${server.url}/x.gguf`, sha256: 'short' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(call('models.download', { recommendedId: 'no-such-model' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
