/**
 * Download throughput: ModelDownloader (HTTP → .part file with the sha256 computed as it writes, then verified and
 * moved into place) against `curl -o` (no hash) from the same local Range server, in the same run, best of 3,
 * interleaved. `curl -o` + `sha256sum` is printed too, as the like-for-like baseline of "downloaded and checked".
 *
 * The server (test/support/rangeServer.ts) runs in its own process, so it shares no event loop with the client.
 * The file is generated (random bytes, not compressible) in a temp folder and deleted afterwards.
 *
 * Alone: node --import tsx bench/download.ts [megabytes]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ModelDownloader } from '../src/main/ai/download/ModelDownloader';
import type { BenchResult } from './BenchResult';

const RUNS = 3;
const DEFAULT_MB = 300;

export async function benchDownload(megabytes = DEFAULT_MB): Promise<BenchResult[]> {
  const curl = spawnSync('curl', ['--version'], { encoding: 'utf8' });
  if (curl.error || curl.status !== 0) throw new Error('curl is not installed (apt-get install -y curl): the baseline needs it');
  const root = mkdtempSync(join(tmpdir(), 'quarry-bench-download-'));
  let server: ChildProcess | undefined;
  try {
    const served = join(root, 'served');
    mkdirSync(served);
    const bytes = megabytes * 1_000_000;
    const sha256 = generate(join(served, 'bench.gguf'), bytes);
    const started = await startServer(served);
    server = started.child;
    const url = `${started.url}/files/bench.gguf`;

    let curlMs = Infinity;
    let curlHashMs = Infinity;
    let quarryMs = Infinity;
    for (let i = 0; i < RUNS; i++) {
      curlMs = Math.min(curlMs, runCurl(url, join(root, 'curl.bin'), false));
      quarryMs = Math.min(quarryMs, await runQuarry(url, sha256, join(root, `models-${i}`)));
      curlHashMs = Math.min(curlHashMs, runCurl(url, join(root, 'curl.bin'), true));
    }
    const mbps = (ms: number): number => bytes / 1e6 / (ms / 1000);
    const curlBase = { name: `curl -o (best of ${RUNS})`, value: mbps(curlMs) };
    const curlHashBase = { name: `curl -o && sha256sum (best of ${RUNS})`, value: mbps(curlHashMs) };
    return [
      {
        name: `Quarry ModelDownloader, ${megabytes} MB with sha256, throughput`,
        value: mbps(quarryMs),
        unit: 'MB/s',
        baseline: curlBase,
        ratio: mbps(quarryMs) / curlBase.value,
        detail: `${quarryMs.toFixed(0)} ms`,
      },
      { name: 'The same against curl -o && sha256sum (also downloaded and checked)', value: mbps(quarryMs), unit: 'MB/s', baseline: curlHashBase, ratio: mbps(quarryMs) / curlHashBase.value },
      { name: 'curl -o, no hash', value: curlBase.value, unit: 'MB/s', detail: `${curlMs.toFixed(0)} ms` },
    ];
  } finally {
    server?.kill('SIGTERM');
    rmSync(root, { recursive: true, force: true });
  }
}

/** Random bytes (nothing to compress), written in 16 MB slices; returns their sha256. */
function generate(path: string, bytes: number): string {
  const hash = createHash('sha256');
  const chunk = Buffer.alloc(16 * 1024 * 1024);
  const fd = openSync(path, 'w');
  try {
    for (let written = 0; written < bytes; ) {
      const n = Math.min(chunk.length, bytes - written);
      randomFillSync(chunk, 0, n);
      writeSync(fd, chunk, 0, n);
      hash.update(chunk.subarray(0, n));
      written += n;
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

async function startServer(folder: string): Promise<{ child: ChildProcess; url: string }> {
  const script = fileURLToPath(new URL('../test/support/rangeServer.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, folder], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the range server exited (${code}) before it listened`)));
  });
  lines.close();
  return { child, url: (JSON.parse(first) as { url: string }).url };
}

function runCurl(url: string, out: string, hash: boolean): number {
  rmSync(out, { force: true });
  const start = performance.now();
  const r = spawnSync('curl', ['-sS', '--fail', '-o', out, url]);
  if (r.status !== 0) throw new Error(`curl failed: ${r.stderr?.toString().trim()}`);
  if (hash) {
    const h = spawnSync('sha256sum', [out]);
    if (h.status !== 0) throw new Error('sha256sum failed');
  }
  const ms = performance.now() - start;
  rmSync(out, { force: true });
  return ms;
}

async function runQuarry(url: string, sha256: string, modelsDir: string): Promise<number> {
  const downloader = new ModelDownloader({ modelsDir: () => modelsDir, emit: () => undefined, retries: 0 });
  try {
    const start = performance.now();
    const { downloadId } = downloader.start({ url, sha256 });
    const end = await downloader.whenSettled(downloadId);
    const ms = performance.now() - start;
    if (end.status !== 'done') throw new Error(`the download ended ${end.status}: ${end.error ?? ''}`);
    return ms;
  } finally {
    await downloader.dispose();
    rmSync(modelsDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const mb = process.argv[2] ? Number(process.argv[2]) : DEFAULT_MB;
  for (const r of await benchDownload(mb)) console.log(r);
}
