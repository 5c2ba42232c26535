import { getLlama, LlamaLogLevel, type Llama, type LlamaGpuType } from 'node-llama-cpp';

/** Which backend the shared Llama uses: 'auto' tries the GPU builds that shipped, false is CPU only. */
export type LlamaGpuChoice = 'auto' | LlamaGpuType;

export interface SharedLlamaOptions {
  /** Defaults to the QUARRY_LLAMA_GPU environment variable ('auto', 'false' or 'off', 'cuda', 'vulkan', 'metal'), else 'auto'. */
  gpu?: LlamaGpuChoice;
}

/** Called with llama.cpp's warnings and errors, so a failed load can quote the native reason. */
export type LlamaLogListener = (level: 'warn' | 'error', message: string) => void;

let pending: Promise<Llama> | undefined;
const listeners = new Set<LlamaLogListener>();

/**
 * The one llama.cpp backend of this process, created on first use. node-llama-cpp wants a single Llama per
 * process (each loads the native backend and probes the GPU), so the catalog's hardware and fit estimates
 * and the runtime's loaded model share it. The options of the first call win; later calls get the same
 * instance. It never builds or downloads llama.cpp: only the prebuilt binaries that shipped are tried.
 */
export function sharedLlama(options: SharedLlamaOptions = {}): Promise<Llama> {
  if (pending === undefined) {
    const attempt = createLlama(options.gpu ?? gpuFromEnv(process.env.QUARRY_LLAMA_GPU));
    pending = attempt;
    // A failed start (no binary for this platform) is not cached, so fixing the cause and retrying works.
    attempt.catch(() => {
      if (pending === attempt) pending = undefined;
    });
  }
  return pending;
}

/** Hears llama.cpp's warnings and errors until the returned function is called. */
export function addLlamaLogListener(listener: LlamaLogListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Disposes the shared Llama (and with it every model and context still loaded on it); the next
 * sharedLlama() starts a fresh one. The app calls this last on quit; tests call it in afterAll, since a
 * live native handle keeps the process from exiting.
 */
export async function disposeSharedLlama(): Promise<void> {
  const current = pending;
  pending = undefined;
  if (current === undefined) return;
  const llama = await current.catch(() => undefined);
  if (llama !== undefined && !llama.disposed) await llama.dispose();
}

/** Reads QUARRY_LLAMA_GPU; anything unrecognised is 'auto', the safe choice that falls back to the CPU. */
export function gpuFromEnv(value: string | undefined): LlamaGpuChoice {
  const v = value?.trim().toLowerCase();
  if (v === 'false' || v === 'off' || v === 'cpu' || v === '0') return false;
  if (v === 'cuda' || v === 'vulkan' || v === 'metal') return v;
  return 'auto';
}

function createLlama(gpu: LlamaGpuChoice): Promise<Llama> {
  return getLlama({
    gpu,
    build: 'never',
    skipDownload: true,
    progressLogs: false,
    logLevel: LlamaLogLevel.warn,
    logger: (level, message) => {
      if (listeners.size === 0) return;
      const kind = level === LlamaLogLevel.error || level === LlamaLogLevel.fatal ? 'error' : level === LlamaLogLevel.warn ? 'warn' : undefined;
      if (kind === undefined) return;
      for (const listener of listeners) listener(kind, message);
    },
  });
}
