// Proves GPU offload where a GPU is lent: loads a model with every layer on the GPU and compares tokens/s with
// the same model on the CPU. Each side runs in its own process (one llama.cpp backend per process). On a
// machine without a usable GPU backend it says "no GPU" plainly and exits 0.
//
//   node --import tsx scripts/gpuProof.ts [--model file.gguf] [--tokens 128] [--rounds 5]
//
// The model defaults to QUARRY_BENCH_MODEL, else QUARRY_TEST_MODELS_DIR/llm/stories260K.gguf. CPU threads come
// from QUARRY_LLAMA_THREADS, else the math cores less one. Exits 1 when a GPU is there but not every layer went to it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { disposeSharedLlama, sharedLlama } from '../src/main/ai/models/sharedLlama';
import { LlamaRuntime } from '../src/main/ai/runtime/LlamaRuntime';

interface Measurement {
  side: 'cpu' | 'gpu';
  backend: string | false;
  devices: string[];
  gpuLayers: number;
  totalLayers?: number;
  threads: number;
  vramUsedBytes?: number;
  tokensPerSecond: number;
  timeToFirstTokenMs: number;
  loadMs: number;
}

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    tokens: { type: 'string', default: '128' },
    rounds: { type: 'string', default: '5' },
    measure: { type: 'string' },
  },
});

function modelPath(): string {
  const path =
    values.model ?? process.env.QUARRY_BENCH_MODEL ?? (process.env.QUARRY_TEST_MODELS_DIR ? join(process.env.QUARRY_TEST_MODELS_DIR, 'llm', 'stories260K.gguf') : undefined);
  if (!path) throw new Error('give --model, or set QUARRY_BENCH_MODEL or QUARRY_TEST_MODELS_DIR');
  if (!existsSync(path)) throw new Error(`${path} does not exist`);
  return path;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measure(side: 'cpu' | 'gpu'): Promise<Measurement | { side: 'gpu'; backend: false; reason: string }> {
  const path = modelPath();
  const llama = await sharedLlama({ gpu: side === 'cpu' ? false : 'auto' });
  const runtime = new LlamaRuntime();
  try {
    if (side === 'gpu' && llama.gpu === false) {
      return { side, backend: false, reason: 'llama.cpp found no usable GPU backend (no CUDA, Vulkan or Metal device with a prebuilt binary)' };
    }
    const threads = Number(process.env.QUARRY_LLAMA_THREADS) || Math.max(1, llama.cpuMathCores - 1);
    const loadStart = performance.now();
    const loaded = await runtime.load(
      { id: basename(path), path, sha256: '' },
      // 1000 is more layers than any model has: every layer goes to the GPU, or the estimate refuses.
      { gpuLayers: side === 'cpu' ? 'off' : 1000, contextSize: 2048, threads, batchSize: 512, flashAttention: false, idleUnloadMinutes: 0 },
    );
    const loadMs = performance.now() - loadStart;
    const tokens = Number(values.tokens);
    const speeds: number[] = [];
    const ttfts: number[] = [];
    for (let i = 0; i < Number(values.rounds) + 1; i++) {
      const r = await runtime.generate({ system: 'You tell stories.', prompt: `Story ${i}: once upon a time`, maxTokens: tokens, purpose: 'gpu-proof', noCache: true });
      if (i === 0) continue; // warm-up
      const ttft = r.timeToFirstTokenMs ?? r.durationMs;
      ttfts.push(ttft);
      speeds.push((r.completionTokens - 1) / ((r.durationMs - ttft) / 1000));
    }
    const vram = side === 'gpu' ? await llama.getVramState() : undefined;
    const totalLayers = (await runtime.estimate(path, { gpuLayers: 'off', contextSize: 2048, threads, batchSize: 512, flashAttention: false, idleUnloadMinutes: 0 })).totalLayers;
    return {
      side,
      backend: llama.gpu,
      devices: side === 'gpu' ? await llama.getGpuDeviceNames() : [],
      gpuLayers: loaded.gpuLayers,
      totalLayers,
      threads,
      ...(vram && { vramUsedBytes: vram.used }),
      tokensPerSecond: median(speeds),
      timeToFirstTokenMs: median(ttfts),
      loadMs,
    };
  } finally {
    await runtime.dispose();
    await disposeSharedLlama();
  }
}

function runSide(side: 'cpu' | 'gpu'): Measurement | { side: 'gpu'; backend: false; reason: string } {
  const args = ['--import', 'tsx', import.meta.filename, '--measure', side, '--tokens', values.tokens!, '--rounds', values.rounds!, ...(values.model ? ['--model', values.model] : [])];
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, QUARRY_LLAMA_GPU: side === 'cpu' ? 'false' : 'auto' } });
  const line = out.trim().split('\n').findLast((l) => l.startsWith('{'));
  if (!line) throw new Error(`the ${side} measurement printed no result:\n${out}`);
  return JSON.parse(line) as Measurement;
}

if (values.measure === 'cpu' || values.measure === 'gpu') {
  console.log(JSON.stringify(await measure(values.measure)));
} else {
  const path = modelPath();
  console.log(`GPU proof with ${basename(path)}, ${values.tokens} tokens a round, median of ${values.rounds} rounds`);
  const cpu = runSide('cpu') as Measurement;
  console.log(`  CPU: ${cpu.tokensPerSecond.toFixed(1)} tokens/s, time to first token ${cpu.timeToFirstTokenMs.toFixed(1)} ms, ${cpu.threads} thread(s), ${cpu.totalLayers} layers`);
  const gpu = runSide('gpu');
  if (gpu.backend === false) {
    console.log(`  no GPU: ${'reason' in gpu ? gpu.reason : 'llama.cpp runs on the CPU here'}. Nothing to offload; the CPU figure above is the only one.`);
    process.exitCode = 0;
  } else {
    const g = gpu as Measurement;
    console.log(`  GPU backend: ${g.backend} (${g.devices.join(', ') || 'device name unknown'})`);
    console.log(`  offloaded layers: ${g.gpuLayers} of ${g.totalLayers}${g.vramUsedBytes !== undefined ? `, VRAM in use ${(g.vramUsedBytes / 1024 ** 2).toFixed(0)} MiB` : ''}`);
    console.log(`  GPU: ${g.tokensPerSecond.toFixed(1)} tokens/s, time to first token ${g.timeToFirstTokenMs.toFixed(1)} ms`);
    console.log(`  GPU / CPU: ${(g.tokensPerSecond / cpu.tokensPerSecond).toFixed(2)}x tokens/s`);
    if (g.gpuLayers < (g.totalLayers ?? Infinity)) {
      console.log(`  NOT fully offloaded: ${g.gpuLayers} of ${g.totalLayers} layers on the GPU.`);
      process.exitCode = 1;
    }
  }
}
