// The local model runtime: load time, time to first token and tokens/s for the fixture model (stories260K via
// QUARRY_TEST_MODELS_DIR, or any GGUF via QUARRY_BENCH_MODEL), with and without KV prefix reuse. Threads from
// QUARRY_LLAMA_THREADS, else 1 (on two cores two threads were ~200x slower). Run alone: `node --import tsx bench/llm.ts`.
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { disposeSharedLlama } from '../src/main/ai/models/sharedLlama';
import { LlamaRuntime } from '../src/main/ai/runtime/LlamaRuntime';
import type { GenerateResult } from '../src/main/ai/runtime/TextGenerator';
import type { BenchResult } from './BenchResult';

const rounds = 7;
const answerTokens = 64;

function modelPath(): string {
  const explicit = process.env.QUARRY_BENCH_MODEL;
  if (explicit) return explicit;
  const dir = process.env.QUARRY_TEST_MODELS_DIR;
  if (!dir) throw new Error('set QUARRY_TEST_MODELS_DIR (the folder holding llm/stories260K.gguf) or QUARRY_BENCH_MODEL (a GGUF file)');
  const path = join(dir, 'llm', 'stories260K.gguf');
  if (!existsSync(path)) throw new Error(`${path} does not exist`);
  return path;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** A schema-sized system prompt, as Ask sends: byte-identical across questions about one database. */
function schemaPrompt(variant: number): string {
  const tables = Array.from({ length: 12 }, (_, i) => `CREATE TABLE t${variant}_${i} (id int PRIMARY KEY, name text, created_at timestamp);`);
  return `You write SQL for this database (variant ${variant}).\n${tables.join('\n')}`;
}

export async function benchLlm(): Promise<BenchResult[]> {
  const path = modelPath();
  const threads = Number(process.env.QUARRY_LLAMA_THREADS) || 1;
  const runtime = new LlamaRuntime();
  try {
    const loadStart = performance.now();
    const loaded = await runtime.load(
      { id: basename(path), path, sha256: '' },
      { gpuLayers: process.env.QUARRY_LLAMA_GPU === undefined ? 'off' : 'auto', contextSize: 2048, threads, batchSize: 512, flashAttention: false, idleUnloadMinutes: 0 },
    );
    const loadMs = performance.now() - loadStart;
    const generate = (system: string, prompt: string): Promise<GenerateResult> =>
      runtime.generate({ system, prompt, maxTokens: answerTokens, purpose: 'bench', noCache: true });

    await generate(schemaPrompt(999), 'warm up');
    const cold: GenerateResult[] = [];
    const warm: GenerateResult[] = [];
    for (let i = 0; i < rounds; i++) {
      // Cold: a system prompt the sequence has never seen, so every prompt token is evaluated.
      cold.push(await generate(schemaPrompt(i), `Question ${i}: how many rows are in t${i}_0?`));
      // Warm: the same system prompt again with another question; only the question is evaluated.
      warm.push(await generate(schemaPrompt(i), `Question ${i}b: list the names in t${i}_1.`));
    }
    const ttft = (r: GenerateResult): number => r.timeToFirstTokenMs ?? r.durationMs;
    const tokensPerSecond = (r: GenerateResult): number => (r.completionTokens - 1) / ((r.durationMs - ttft(r)) / 1000);
    const coldTtft = median(cold.map(ttft));
    const warmTtft = median(warm.map(ttft));
    const where = `${basename(path)}, ${loaded.gpu === false ? 'CPU' : `${loaded.gpu} ${loaded.gpuLayers} layers`}, ${threads} thread${threads === 1 ? '' : 's'}`;
    return [
      { name: 'load', value: loadMs, unit: 'ms', detail: where },
      {
        name: 'time to first token, prefix reused',
        value: warmTtft,
        unit: 'ms',
        baseline: { name: 'no reuse', value: coldTtft },
        ratio: warmTtft / coldTtft,
        detail: `median of ${rounds}; prompt tokens evaluated ${median(warm.map((r) => r.promptTokensEvaluated ?? 0))} of ${median(warm.map((r) => r.promptTokens))} vs ${median(cold.map((r) => r.promptTokensEvaluated ?? 0))} of ${median(cold.map((r) => r.promptTokens))}`,
      },
      {
        name: 'generation speed',
        value: median([...cold, ...warm].map(tokensPerSecond)),
        unit: 'tokens/s',
        detail: `median of ${2 * rounds} answers of ${answerTokens} tokens after the first`,
      },
      {
        name: 'whole answer, prefix reused',
        value: median(warm.map((r) => r.durationMs)),
        unit: 'ms',
        baseline: { name: 'no reuse', value: median(cold.map((r) => r.durationMs)) },
        ratio: median(warm.map((r) => r.durationMs)) / median(cold.map((r) => r.durationMs)),
      },
    ];
  } finally {
    await runtime.dispose();
    await disposeSharedLlama();
  }
}

if (import.meta.filename === process.argv[1]) {
  for (const r of await benchLlm()) {
    const base = r.baseline ? `  baseline ${r.baseline.name}: ${r.baseline.value.toFixed(1)} ${r.unit}  ratio ${r.ratio!.toFixed(2)}x` : '';
    console.log(`  ${r.name}: ${r.value.toFixed(r.unit === 'ms' ? 1 : 2)} ${r.unit}${r.detail ? ` [${r.detail}]` : ''}${base}`);
  }
}
