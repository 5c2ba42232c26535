import { availableParallelism, freemem, totalmem } from 'node:os';
import type { Llama } from 'node-llama-cpp';
import type { HardwareInfo } from '../../../shared/domain/models';

/**
 * The machine as node-llama-cpp sees it: the GPU backend it loaded, VRAM, RAM and cores.
 *
 * Cores: llama.cpuMathCores, node-llama-cpp's count of the cores worth a math thread (physical cores on
 * the usual x86 and Apple hosts, where a hyper-thread sibling adds nothing to matrix work); os gives only
 * logical CPUs, used when that count is missing. Threads default to cores − 1, at least 1, leaving a core
 * to the UI and the database drivers — on a 2-core machine two llama threads were ~200× slower than one.
 */
export async function detectHardware(llama: Llama): Promise<HardwareInfo> {
  const [vram, ram, gpuNames] = await Promise.all([
    llama.getVramState().catch(() => ({ total: 0, free: 0 })),
    llama.getRamState().catch(() => ({ total: totalmem(), free: freemem() })),
    llama.gpu === false ? Promise.resolve([]) : llama.getGpuDeviceNames().catch(() => []),
  ]);
  const cpuCores = llama.cpuMathCores > 0 ? llama.cpuMathCores : availableParallelism();
  return {
    gpu: llama.gpu,
    gpuNames,
    vramTotalBytes: vram.total,
    vramFreeBytes: vram.free,
    ramTotalBytes: ram.total,
    ramFreeBytes: ram.free,
    cpuCores,
    defaultThreads: defaultThreadCount(cpuCores),
  };
}

/** Physical cores − 1, and at least 1. */
export function defaultThreadCount(cpuCores: number): number {
  return Math.max(1, Math.floor(cpuCores) - 1);
}
