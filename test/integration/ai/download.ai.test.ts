// Downloads against a real HTTP server on 127.0.0.1 (test/support/rangeServer.ts) into real folders. No model is
// needed, so nothing here reads QUARRY_TEST_MODELS_DIR.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DownloadState, RecommendedModel } from '../../../src/shared/domain/models';
import { ModelDownloader, type ModelDownloaderOptions } from '../../../src/main/ai/download/ModelDownloader';
import { startRangeServer, type RangeServer } from '../../support/rangeServer';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const body = randomBytes(3 * 1024 * 1024 + 123);
const small = randomBytes(100_000);

let server: RangeServer;
let root: string;
const open: ModelDownloader[] = [];

beforeAll(async () => {
  server = await startRangeServer({
    'model.gguf': body,
    'small.gguf': small,
    'split-00001-of-00003.gguf': randomBytes(40_000),
    'split-00002-of-00003.gguf': randomBytes(50_000),
    'split-00003-of-00003.gguf': randomBytes(7_000),
  });
  root = mkdtempSync(join(tmpdir(), 'quarry-download-'));
});

afterAll(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

afterEach(async () => {
  for (const d of open.splice(0)) await d.dispose();
});

/** A downloader into a fresh models folder, recording every state it emits. */
function downloader(options: Partial<ModelDownloaderOptions> & { dir?: string } = {}): { d: ModelDownloader; dir: string; events: DownloadState[] } {
  const dir = options.dir ?? mkdtempSync(join(root, 'models-'));
  const events: DownloadState[] = [];
  const d = new ModelDownloader({ modelsDir: () => dir, emit: (s) => events.push(s), retries: 0, progressIntervalMs: 0, ...options });
  open.push(d);
  return { d, dir, events };
}

function requestsFor(path: string): typeof server.requests {
  return server.requests.filter((r) => r.path.startsWith(path));
}

/** What the server serves under /files/<name>, fetched over HTTP. */
async function requestBody(name: string): Promise<Buffer> {
  return Buffer.from(await (await fetch(`${server.url}/files/${name}`)).arrayBuffer());
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('ModelDownloader', () => {
  it('downloads a file, verifies its sha256 and moves it into the models folder', async () => {
    const { d, dir, events } = downloader();
    const { downloadId } = d.start({ url: `${server.url}/files/model.gguf`, sha256: sha256(body) });
    const end = await d.whenSettled(downloadId);
    expect(end).toMatchObject({ status: 'done', receivedBytes: body.length, totalBytes: body.length, file: 'model.gguf' });
    expect(sha256(readFileSync(join(dir, 'model.gguf')))).toBe(sha256(body));
    expect(readdirSync(join(dir, '.downloads'))).toEqual([]);
    const statuses = events.map((e) => e.status);
    expect(statuses[0]).toBe('downloading');
    expect(statuses.at(-1)).toBe('done');
    const received = events.map((e) => e.receivedBytes);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    expect(d.list().map((s) => s.status)).toEqual(['done']);
  });

  it('names the file from an explicit file option, in a subfolder', async () => {
    const { d, dir } = downloader();
    const { downloadId } = d.start({ url: `${server.url}/redirect/3/files/small.gguf`, file: 'tiny/renamed.gguf' });
    expect((await d.whenSettled(downloadId)).status).toBe('done');
    expect(readFileSync(join(dir, 'tiny', 'renamed.gguf')).equals(small)).toBe(true);
  });

  it('after a cut connection, resumes with Range and If-Range and fetches only the missing bytes', async () => {
    const { d, dir } = downloader();
    const cutAt = 1_000_000;
    server.cutNext('model.gguf', cutAt);
    const before = server.requests.length;
    const { downloadId } = d.start({ url: `${server.url}/files/model.gguf`, sha256: sha256(body) });
    const failed = await d.whenSettled(downloadId);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/cut|closed the connection/);
    expect(failed.receivedBytes).toBe(cutAt);
    const part = readdirSync(join(dir, '.downloads')).find((n) => n.endsWith('.part'))!;
    expect(statSync(join(dir, '.downloads', part)).size).toBe(cutAt);

    d.resume(downloadId);
    expect((await d.whenSettled(downloadId)).status).toBe('done');
    const [first, second] = server.requests.slice(before);
    expect(first!.range).toBeUndefined();
    expect(second).toMatchObject({ range: `bytes=${cutAt}-`, status: 206, bytesSent: body.length - cutAt });
    expect(second!.ifRange).toMatch(/^"/);
    expect(sha256(readFileSync(join(dir, 'model.gguf')))).toBe(sha256(body));
  });

  it('retries a cut transfer by itself, from where it stopped', async () => {
    const { d, dir } = downloader({ retries: 1, retryDelayMs: 10 });
    server.cutNext('small.gguf', 30_000);
    const before = server.requests.length;
    const { downloadId } = d.start({ url: `${server.url}/files/small.gguf`, sha256: sha256(small) });
    expect((await d.whenSettled(downloadId)).status).toBe('done');
    expect(server.requests.slice(before).map((r) => r.range)).toEqual([undefined, 'bytes=30000-']);
    expect(readFileSync(join(dir, 'small.gguf')).equals(small)).toBe(true);
  });

  it('starts over honestly when the server ignores Range (200 instead of 206)', async () => {
    const { d, dir } = downloader();
    server.cutNext('small.gguf', 40_000);
    const before = server.requests.length;
    const { downloadId } = d.start({ url: `${server.url}/no-range/small.gguf`, sha256: sha256(small) });
    expect((await d.whenSettled(downloadId)).status).toBe('failed');
    d.resume(downloadId);
    expect((await d.whenSettled(downloadId)).status).toBe('done');
    const second = server.requests.slice(before)[1]!;
    expect(second).toMatchObject({ range: 'bytes=40000-', status: 200, bytesSent: small.length });
    expect(readFileSync(join(dir, 'small.gguf')).equals(small)).toBe(true);
  });

  it('starts over when If-Range says the file changed on the server', async () => {
    const { d, dir } = downloader();
    const original = randomBytes(80_000);
    const changed = randomBytes(90_000);
    server.setFile('changing.gguf', original);
    server.cutNext('changing.gguf', 20_000);
    const { downloadId } = d.start({ url: `${server.url}/files/changing.gguf` });
    expect((await d.whenSettled(downloadId)).status).toBe('failed');
    server.setFile('changing.gguf', changed);
    d.resume(downloadId);
    expect((await d.whenSettled(downloadId)).status).toBe('done');
    const last = requestsFor('/files/changing.gguf').at(-1)!;
    expect(last).toMatchObject({ range: 'bytes=20000-', status: 200 });
    expect(readFileSync(join(dir, 'changing.gguf')).equals(changed)).toBe(true);
  });

  it('resumes a paused download in a new instance (a restart) from the state saved beside the partial file', async () => {
    const first = downloader();
    const before = server.requests.length;
    const { downloadId } = first.d.start({ url: `${server.url}/slow/small.gguf?bps=100000`, sha256: sha256(small) });
    await until(() => first.events.some((e) => e.receivedBytes > 0), 'the first bytes');
    await first.d.pause(downloadId);
    const paused = first.d.get(downloadId);
    expect(paused.status).toBe('paused');
    expect(paused.receivedBytes).toBeGreaterThan(0);
    expect(paused.receivedBytes).toBeLessThan(small.length);
    await first.d.dispose();

    const second = downloader({ dir: first.dir });
    expect(second.d.list()).toEqual([expect.objectContaining({ downloadId, status: 'paused', receivedBytes: paused.receivedBytes })]);
    second.d.resume(downloadId);
    expect((await second.d.whenSettled(downloadId)).status).toBe('done');
    const requests = server.requests.slice(before);
    expect(requests.at(-1)!.range).toBe(`bytes=${paused.receivedBytes}-`);
    expect(requests.at(-1)!.bytesSent).toBe(small.length - paused.receivedBytes);
    expect(readFileSync(join(first.dir, 'small.gguf')).equals(small)).toBe(true);
    expect(existsSync(join(first.dir, '.downloads', `${downloadId}.json`))).toBe(false);
  });

  it('treats a download that was running when the process died as paused, and the same request again resumes it', async () => {
    const first = downloader();
    const { downloadId } = first.d.start({ url: `${server.url}/slow/small.gguf?bps=100000` });
    await until(() => first.events.some((e) => e.receivedBytes > 0), 'the first bytes');
    // What a crash leaves: the record says downloading.
    const recordPath = join(first.dir, '.downloads', `${downloadId}.json`);
    await first.d.pause(downloadId);
    const record = JSON.parse(readFileSync(recordPath, 'utf8')) as { status: string };
    writeFileSync(recordPath, JSON.stringify({ ...record, status: 'downloading' }));

    const second = downloader({ dir: first.dir });
    expect(second.d.list()[0]).toMatchObject({ downloadId, status: 'paused' });
    expect(second.d.start({ url: `${server.url}/slow/small.gguf?bps=100000` }).downloadId).toBe(downloadId);
    expect((await second.d.whenSettled(downloadId)).status).toBe('done');
    expect(readFileSync(join(first.dir, 'small.gguf')).equals(small)).toBe(true);
  });

  it('pauses, resumes and cancels; cancel deletes the partial file and the saved state', async () => {
    const { d, dir, events } = downloader();
    const { downloadId } = d.start({ url: `${server.url}/slow/small.gguf?bps=100000` });
    await until(() => events.some((e) => e.receivedBytes > 0), 'the first bytes');
    await d.pause(downloadId);
    expect(events.at(-1)!.status).toBe('paused');
    const at = d.get(downloadId).receivedBytes;
    d.resume(downloadId);
    await until(() => events.at(-1)!.status === 'downloading' && events.at(-1)!.receivedBytes > at, 'more bytes after resume');
    await d.cancel(downloadId);
    expect(d.get(downloadId).status).toBe('cancelled');
    expect(readdirSync(join(dir, '.downloads'))).toEqual([]);
    expect(existsSync(join(dir, 'small.gguf'))).toBe(false);
    expect(() => d.resume(downloadId)).toThrow(/cancelled/);
  });

  it('deletes the file and says expected and got on a checksum mismatch', async () => {
    const { d, dir } = downloader();
    const wrong = 'ab'.repeat(32);
    const { downloadId } = d.start({ url: `${server.url}/files/small.gguf`, sha256: wrong });
    const end = await d.whenSettled(downloadId);
    expect(end.status).toBe('failed');
    expect(end.error).toContain(`expected sha256 ${wrong}, got ${sha256(small)}`);
    expect(end.error).toMatch(/deleted/);
    expect(existsSync(join(dir, 'small.gguf'))).toBe(false);
    expect(readdirSync(join(dir, '.downloads')).filter((n) => n.endsWith('.part')).map((n) => statSync(join(dir, '.downloads', n)).size)).toEqual([0]);
  });

  it('with no sha256 pinned, verifies against the one the server publishes (X-Linked-Etag, as Hugging Face sends)', async () => {
    const good = downloader();
    const ok = await good.d.whenSettled(good.d.start({ url: `${server.url}/hf/small.gguf?sha256=${sha256(small)}` }).downloadId);
    expect(ok.status).toBe('done');
    expect(readFileSync(join(good.dir, 'small.gguf'))).toEqual(small);

    const bad = downloader();
    const wrong = 'cd'.repeat(32);
    const end = await bad.d.whenSettled(bad.d.start({ url: `${server.url}/hf/small.gguf?sha256=${wrong}` }).downloadId);
    expect(end.status).toBe('failed');
    expect(end.error).toContain(`expected sha256 ${wrong} (as the server published it), got ${sha256(small)}`);
    expect(existsSync(join(bad.dir, 'small.gguf'))).toBe(false);
  });

  it('fails with the status on 404, 403 and 500', async () => {
    const { d } = downloader();
    const cases: [string, RegExp][] = [
      ['/files/missing.gguf', /HTTP 404 Not Found/],
      ['/status/403/x.gguf', /HTTP 403 Forbidden: access denied/],
      ['/status/500/x.gguf', /HTTP 500 Internal Server Error/],
    ];
    for (const [path, message] of cases) {
      const { downloadId } = d.start({ url: `${server.url}${path}` });
      const end = await d.whenSettled(downloadId);
      expect(end.status).toBe('failed');
      expect(end.error).toMatch(message);
      await d.cancel(downloadId);
    }
  });

  it('names a redirect loop and a chain that is too long', async () => {
    const { d } = downloader({ maxRedirects: 2 });
    const loop = d.start({ url: `${server.url}/loop/a.gguf` });
    expect((await d.whenSettled(loop.downloadId)).error).toMatch(/^Redirect loop: .*\/loop\/a/);
    const long = d.start({ url: `${server.url}/redirect/5/files/small.gguf` });
    expect((await d.whenSettled(long.downloadId)).error).toMatch(/Too many redirects: more than 2/);
  });

  it('fails a stalled transfer after the stall timeout and keeps the bytes it got', async () => {
    const { d, dir } = downloader({ stallTimeoutMs: 300 });
    const { downloadId } = d.start({ url: `${server.url}/stall/small.gguf?after=25000` });
    const end = await d.whenSettled(downloadId);
    expect(end.status).toBe('failed');
    expect(end.error).toMatch(/sent nothing for 0.3 s \(stalled at 25000 of 100000 bytes\)/);
    expect(end.receivedBytes).toBe(25_000);
    const part = readdirSync(join(dir, '.downloads')).find((n) => n.endsWith('.part'))!;
    expect(statSync(join(dir, '.downloads', part)).size).toBe(25_000);
  });

  it('downloads every part of a multi-part GGUF', async () => {
    const { d, dir } = downloader();
    const { downloadId } = d.start({ url: `${server.url}/files/split-00002-of-00003.gguf` });
    const end = await d.whenSettled(downloadId);
    expect(end).toMatchObject({ status: 'done', file: 'split-00001-of-00003.gguf', totalBytes: 97_000, receivedBytes: 97_000 });
    expect(readdirSync(dir).filter((n) => n.endsWith('.gguf')).sort()).toEqual([1, 2, 3].map((n) => `split-0000${n}-of-00003.gguf`));
  });

  it('downloads a recommended model with each file checked against the list', async () => {
    const split3Sha = sha256(await requestBody('split-00003-of-00003.gguf'));
    const model = (tokenizerSha: string): RecommendedModel => ({
      id: 'tiny',
      name: 'Tiny',
      kind: 'embedding',
      license: 'MIT',
      ramBytes: 1,
      description: '',
      files: [
        { url: `${server.url}/files/small.gguf`, sizeBytes: small.length, sha256: sha256(small), path: 'tiny/onnx/model.onnx' },
        { url: `${server.url}/files/split-00003-of-00003.gguf`, sizeBytes: 7_000, sha256: tokenizerSha, path: 'tiny/tokenizer.json' },
      ],
    });
    const finished: { file: string; sha256: string }[] = [];
    const good = downloader({ findRecommended: (id) => (id === 'tiny' ? model(split3Sha) : undefined), onFinished: (files) => void finished.push(...files) });
    expect(() => good.d.start({ recommendedId: 'nope' })).toThrow(/No recommended model with id "nope"/);
    const ok = await good.d.whenSettled(good.d.start({ recommendedId: 'tiny' }).downloadId);
    expect(ok).toMatchObject({ status: 'done', totalBytes: small.length + 7_000, file: 'tiny/onnx/model.onnx' });
    expect(finished.map((f) => f.file)).toEqual(['tiny/onnx/model.onnx', 'tiny/tokenizer.json']);
    expect(readFileSync(join(good.dir, 'tiny', 'onnx', 'model.onnx')).equals(small)).toBe(true);

    // A list whose hash is wrong for the second file: nothing may land in the models folder.
    const bad = downloader({ findRecommended: () => model(sha256(Buffer.alloc(0))) });
    const end = await bad.d.whenSettled(bad.d.start({ recommendedId: 'tiny' }).downloadId);
    expect(end.status).toBe('failed');
    expect(end.error).toMatch(/Checksum mismatch for tiny\/tokenizer.json/);
    expect(existsSync(join(bad.dir, 'tiny'))).toBe(false);
  });

  it('refuses a file already in the models folder, and a name that leaves it', async () => {
    const { d, dir } = downloader();
    writeFileSync(join(dir, 'small.gguf'), 'x');
    expect(() => d.start({ url: `${server.url}/files/small.gguf` })).toThrow(/already in the models directory/);
    expect(() => d.start({ url: `${server.url}/files/small.gguf`, file: '../escape.gguf' })).toThrow(/must stay inside the models directory/);
    expect(() => d.start({ url: 'ftp://127.0.0.1/x.gguf' })).toThrow(/only http and https/);
  });

  it('checks free space before it writes (free-space probe reporting less than the file)', async () => {
    const { d, dir } = downloader({ freeBytes: async () => 50_000 });
    const { downloadId } = d.start({ url: `${server.url}/files/small.gguf` });
    const end = await d.whenSettled(downloadId);
    expect(end.status).toBe('failed');
    expect(end.error).toMatch(/Not enough free disk space in .*: the download needs 100 kB more and 50 kB is free/);
    expect(end.receivedBytes).toBe(0);
    expect(existsSync(join(dir, 'small.gguf'))).toBe(false);
  });

  describe('on a real 1 MB tmpfs', () => {
    let mount: string | undefined;
    let why = '';
    beforeAll(() => {
      const dir = mkdtempSync(join(root, 'tmpfs-'));
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'pipe' });
        mount = dir;
      } catch (error) {
        why = `cannot mount a tmpfs here (${(error as Error).message.split('\n')[0]}); the free-space probe test above covers the check`;
      }
    });
    afterAll(() => {
      if (mount) execFileSync('umount', [mount]);
    });

    it('refuses to start when statfs shows less free space than the Content-Length', async (ctx) => {
      if (!mount) return ctx.skip(why);
      const dir = join(mount, 'a');
      mkdirSync(dir);
      const { d } = downloader({ dir });
      const { downloadId } = d.start({ url: `${server.url}/files/model.gguf` });
      const end = await d.whenSettled(downloadId);
      expect(end.error).toMatch(/Not enough free disk space/);
      rmSync(dir, { recursive: true });
    });

    it('fails clearly on ENOSPC mid-way and keeps the partial file for a resume', async (ctx) => {
      if (!mount) return ctx.skip(why);
      const dir = join(mount, 'b');
      mkdirSync(dir);
      // The probe says there is room, so the transfer starts and the disk fills under it.
      const { d } = downloader({ dir, freeBytes: async () => 1e12 });
      const { downloadId } = d.start({ url: `${server.url}/files/model.gguf` });
      const end = await d.whenSettled(downloadId);
      expect(end.status).toBe('failed');
      expect(end.error).toMatch(/The disk is full \(ENOSPC\).*partial file is kept/);
      const part = readdirSync(join(dir, '.downloads')).find((n) => n.endsWith('.part'))!;
      expect(statSync(join(dir, '.downloads', part)).size).toBe(end.receivedBytes);
      rmSync(dir, { recursive: true });
    });
  });
});
