import type { HardwareInfo } from '../../../../shared/domain/models';

/** A parameter count as model cards write it: 260K, 1.5B, 7.6B, 70B. */
export function formatParameterCount(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [size, suffix] of units) {
    if (n >= size) {
      const v = n / size;
      return `${v < 10 ? Math.round(v * 10) / 10 : Math.round(v)}${suffix}`;
    }
  }
  return String(Math.round(n));
}

/** Seconds left, rounded to what is worth reading: "45 s", "3 min", "1 h 20 min". */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return 'unknown';
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The GPU backend in words. */
export function gpuLabel(gpu: HardwareInfo['gpu']): string {
  switch (gpu) {
    case 'cuda':
      return 'CUDA';
    case 'vulkan':
      return 'Vulkan';
    case 'metal':
      return 'Metal';
    default:
      return 'None (CPU only)';
  }
}

/** Percent done, 0–100 with one decimal, or undefined when the total is unknown. */
export function percentDone(received: number, total: number | undefined): number | undefined {
  if (!total || total <= 0) return undefined;
  return Math.min(100, Math.floor((1000 * received) / total) / 10);
}
