// `quarry models download` against the local Range server, into a real data dir.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelsDownloadCommand } from '../../../src/cli/modelsDownloadCommand';
import { CliError } from '../../../src/cli/CliError';
import { startRangeServer, type RangeServer } from '../../support/rangeServer';

const body = randomBytes(200_000);
const sha = createHash('sha256').update(body).digest('hex');
let server: RangeServer;
let root: string;

beforeAll(async () => {
  server = await startRangeServer({ 'cli.gguf': body });
  root = mkdtempSync(join(tmpdir(), 'quarry-download-cli-'));
});
afterAll(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

function capture(tty = false): { text: () => string; write: (t: string) => void; isTTY: boolean } {
  let all = '';
  return { text: () => all, write: (t: string) => void (all += t), isTTY: tty };
}

describe('quarry models download', () => {
  it('downloads into the models folder, prints the path and checks the sha256', async () => {
    const dataDir = mkdtempSync(join(root, 'data-'));
    const stdout = capture();
    const stderr = capture();
    const code = await modelsDownloadCommand({ dataDir, source: `${server.url}/files/cli.gguf`, sha256: sha, stdout, stderr });
    expect(code).toBe(0);
    expect(stdout.text()).toBe(`${join(dataDir, 'models', 'cli.gguf')}\n`);
    expect(stderr.text()).toMatch(/Downloaded cli.gguf \(200 kB\)/);
    expect(readFileSync(join(dataDir, 'models', 'cli.gguf')).equals(body)).toBe(true);
  });

  it('pauses on Ctrl-C (exit 130, partial kept) and the same command resumes', async () => {
    const dataDir = mkdtempSync(join(root, 'data-'));
    const url = `${server.url}/slow/cli.gguf?bps=200000`;
    const interrupt = new AbortController();
    const stderr = capture(true);
    const stop = setInterval(() => {
      if (/cli.gguf: [1-9]/.test(stderr.text())) interrupt.abort();
    }, 10);
    const first = await modelsDownloadCommand({ dataDir, source: url, signal: interrupt.signal, stderr, stdout: capture() });
    clearInterval(stop);
    expect(first).toBe(130);
    expect(stderr.text()).toMatch(/Paused at .* of 200 kB; run the same command again to resume/);
    expect(readdirSync(join(dataDir, 'models', '.downloads')).some((n) => n.endsWith('.part'))).toBe(true);

    const again = capture();
    expect(await modelsDownloadCommand({ dataDir, source: url, stderr: again, stdout: capture() })).toBe(0);
    expect(again.text()).toMatch(/^Resuming cli.gguf at /);
    expect(server.requests.at(-1)!.range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(readFileSync(join(dataDir, 'models', 'cli.gguf')).equals(body)).toBe(true);
  });

  it('fails with the server status and leaves no state behind when nothing was kept', async () => {
    const dataDir = mkdtempSync(join(root, 'data-'));
    const run = modelsDownloadCommand({ dataDir, source: `${server.url}/files/gone.gguf`, stderr: capture(), stdout: capture() });
    await expect(run).rejects.toThrow(CliError);
    await expect(run).rejects.toThrow(/HTTP 404 Not Found/);
    expect(readdirSync(join(dataDir, 'models', '.downloads'))).toEqual([]);
  });

  it('refuses a source that is neither a URL nor a recommended id, and a bad --sha256', async () => {
    const dataDir = mkdtempSync(join(root, 'data-'));
    await expect(modelsDownloadCommand({ dataDir, source: 'no-such-model', stderr: capture(), stdout: capture() })).rejects.toThrow(/neither an http\(s\) URL/);
    await expect(modelsDownloadCommand({ dataDir, source: `${server.url}/files/cli.gguf`, sha256: 'xyz', stderr: capture(), stdout: capture() })).rejects.toThrow(
      /--sha256 must be 64 hexadecimal digits/,
    );
    expect(existsSync(join(dataDir, 'models', 'cli.gguf'))).toBe(false);
  });
});
