import { GgufInsights, InsufficientMemoryError, type GgufFileInfo, type Llama } from 'node-llama-cpp';
import { ApiError } from '../../../shared/api/errors';
import { formatBytes } from '../../../shared/format/formatBytes';
import type { FitEstimate, ModelSettings } from '../../../shared/domain/models';

/** Memory to assume instead of what the machine reports: a "what if", and how tests reach the refusal. */
export interface MemoryOverride {
  ramTotalBytes?: number;
  ramFreeBytes?: number;
  swapFreeBytes?: number;
  vramFreeBytes?: number;
}

export interface EstimateFitOptions {
  llama: Llama;
  /** The header as readModelHeader returns it, read withVocabulary (the context estimate needs its size). */
  info: GgufFileInfo;
  settings: ModelSettings;
  /** Defaults to what llama reports. */
  memory?: MemoryOverride;
}

/**
 * Whether a model fits with the given settings, and what it would take, before loading it, by node-llama-cpp's
 * GgufInsights (the same arithmetic its loader uses to pick 'auto' values).
 *
 * It fits when the GPU's share (model layers offloaded plus their context) fits in free VRAM less
 * node-llama-cpp's padding, the model's CPU share fits in total RAM less padding (it is memory-mapped, so
 * the kernel can page it, but a model larger than RAM would thrash), and the context's CPU share fits in
 * free RAM plus free swap — the check node-llama-cpp itself makes when it creates a context.
 */
export async function estimateFit({ llama, info, settings, memory = {} }: EstimateFitOptions): Promise<FitEstimate> {
  const insights = await GgufInsights.from(info, llama);
  const resolver = insights.configurationResolver;
  const totalLayers = insights.totalLayers;
  const notes: string[] = [];
  const [vram, ram, swap] = await Promise.all([
    llama.getVramState().catch(() => ({ total: 0, used: 0, free: 0, unifiedSize: 0 })),
    llama.getRamState().catch(() => ({ total: 0, free: 0 })),
    llama.getSwapState().catch(() => ({ maxSize: 0, allocated: 0, used: 0 })),
  ]);
  const vramState = { total: vram.total, free: memory.vramFreeBytes ?? vram.free, unifiedSize: vram.unifiedSize };
  const ramState = { total: memory.ramTotalBytes ?? ram.total, free: memory.ramFreeBytes ?? ram.free };
  const swapState = { total: swap.allocated, free: memory.swapFreeBytes ?? Math.max(0, swap.allocated - swap.used) };
  const hardware = {
    getVramState: () => Promise.resolve(vramState),
    getRamState: () => Promise.resolve(ramState),
    getSwapState: () => Promise.resolve(swapState),
  };

  const flashAttention = settings.flashAttention && insights.flashAttentionSupported;
  if (settings.flashAttention && !flashAttention) notes.push('flash attention is not supported by this model, so it stays off');

  let gpuLayers: number;
  if (settings.gpuLayers === 'off' || llama.gpu === false || !llama.supportsGpuOffloading) {
    gpuLayers = 0;
    if (typeof settings.gpuLayers === 'number' && settings.gpuLayers > 0) notes.push('no GPU backend is in use, so every layer stays on the CPU');
  } else if (typeof settings.gpuLayers === 'number') {
    gpuLayers = Math.min(settings.gpuLayers, totalLayers);
  } else {
    try {
      ({ gpuLayers } = await resolver.resolveModelGpuLayersV2('auto', {
        getVramState: hardware.getVramState,
        defaultContextFlashAttention: flashAttention,
        useMmap: 'auto',
      }));
    } catch (error) {
      if (!(error instanceof InsufficientMemoryError)) throw error;
      gpuLayers = 0;
      notes.push('no layer fits in the free VRAM, so all stay on the CPU');
    }
    if (gpuLayers > 0 && gpuLayers < totalLayers) notes.push(`${gpuLayers} of ${totalLayers} layers fit on the GPU; the rest run on the CPU`);
  }

  const trainContext = insights.trainContextSize;
  const batchSize = settings.batchSize;
  let contextSize: number;
  let contextFits = true;
  if (settings.contextSize === 'auto') {
    try {
      contextSize = await resolver.resolveContextContextSize('auto', {
        modelGpuLayers: gpuLayers,
        modelTrainContextSize: trainContext ?? 4096,
        flashAttention,
        batchSize,
        sequences: 1,
        llamaGpu: llama.gpu,
        ...hardware,
      });
    } catch (error) {
      if (!(error instanceof InsufficientMemoryError)) throw error;
      // Estimate the smallest useful context so the refusal can still quote what it would take.
      contextSize = Math.min(trainContext ?? 2048, 2048);
      contextFits = false;
    }
  } else {
    contextSize = settings.contextSize;
    if (trainContext !== undefined && contextSize > trainContext) notes.push(`the context of ${contextSize} tokens is above the ${trainContext} the model was trained with; answers past that may degrade`);
  }

  const model = await insights.estimateModelResourceRequirementsV2({ gpuLayers, useMmap: llama.supportsMmap });
  const context = await insights.estimateContextResourceRequirementsV2({
    contextSize,
    modelGpuLayers: gpuLayers,
    batchSize,
    sequences: 1,
    flashAttention,
    useMmap: llama.supportsMmap,
  });
  const vramBytes = Math.ceil(model.gpuVram + context.gpuVram);
  const ramBytes = Math.ceil(model.cpuRam + context.cpuRam);

  const unsupported = insights.isSupportedByLlamaCpp
    ? undefined
    : `This build of llama.cpp does not know the "${String(info.metadata.general.architecture)}" architecture (a newer Quarry may).`;
  const problems: string[] = [];
  const vramAvailable = Math.max(0, vramState.free - llama.vramPaddingSize);
  if (vramBytes > 0 && vramBytes > vramAvailable) {
    problems.push(`it needs ${formatBytes(vramBytes)} of VRAM and ${formatBytes(vramAvailable)} is free (after ${formatBytes(llama.vramPaddingSize)} kept in reserve)`);
  }
  const ramForModel = Math.max(0, ramState.total - llama.ramPaddingSize);
  if (model.cpuRam > ramForModel) {
    problems.push(`the model needs ${formatBytes(model.cpuRam)} of RAM and the machine has ${formatBytes(ramState.total)} (${formatBytes(llama.ramPaddingSize)} kept for the system)`);
  }
  const ramForContext = ramState.free + swapState.free;
  if (!contextFits || context.cpuRam > ramForContext) {
    problems.push(`a ${contextSize}-token context needs ${formatBytes(context.cpuRam)} of RAM and ${formatBytes(ramForContext)} is free${swapState.total > 0 ? ' (with swap)' : ''}`);
  }
  const fits = problems.length === 0 && unsupported === undefined;
  const memoryNote =
    problems.length === 0
      ? notes.length > 0 ? capitalise(notes.join('; ')) + '.' : undefined
      : `Does not fit: ${problems.join('; ')}. Estimated ${formatBytes(ramBytes)} RAM${vramBytes > 0 ? ` and ${formatBytes(vramBytes)} VRAM` : ''} with ${gpuLayers} of ${totalLayers} layers on the GPU and a ${contextSize}-token context.${
        notes.length > 0 ? ` ${capitalise(notes.join('; '))}.` : ''
      } Try a smaller context, fewer GPU layers or a smaller quantization.`;
  const note = [unsupported, memoryNote].filter((n) => n !== undefined).join(' ') || undefined;
  return { fits, gpuLayers, totalLayers, contextSize, vramBytes, ramBytes, ...(note !== undefined && { note }) };
}

/**
 * Refuses a model that does not fit (or whose architecture this llama.cpp cannot run): an ApiError
 * MODEL_ERROR whose message quotes the estimate and whose detail is the FitEstimate. The runtime calls it before loading, so a too-large model never takes the app down.
 */
export function assertFits(modelId: string, estimate: FitEstimate): void {
  if (estimate.fits) return;
  const note = estimate.note ?? 'Does not fit.';
  const lead = note.includes('Does not fit') ? `${modelId} is too large for this machine.` : `Refusing to load ${modelId}.`;
  throw new ApiError('MODEL_ERROR', `${lead} ${note}`, estimate);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
