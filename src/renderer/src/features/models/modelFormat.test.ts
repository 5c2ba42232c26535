import { describe, expect, it } from 'vitest';
import { formatEta, formatParameterCount, gpuLabel, percentDone } from './modelFormat';

describe('modelFormat', () => {
  it('writes parameter counts as model cards do', () => {
    expect(formatParameterCount(260_000)).toBe('260K');
    expect(formatParameterCount(1_543_714_304)).toBe('1.5B');
    expect(formatParameterCount(7_615_616_512)).toBe('7.6B');
    expect(formatParameterCount(70_553_706_496)).toBe('71B');
    expect(formatParameterCount(999)).toBe('999');
    expect(formatParameterCount(Number.NaN)).toBe('?');
  });

  it('rounds the time left to what is worth reading', () => {
    expect(formatEta(0.2)).toBe('1 s');
    expect(formatEta(44.6)).toBe('45 s');
    expect(formatEta(185)).toBe('3 min');
    expect(formatEta(4800)).toBe('1 h 20 min');
    expect(formatEta(-1)).toBe('unknown');
    expect(formatEta(Number.POSITIVE_INFINITY)).toBe('unknown');
  });

  it('names the GPU backend, or says there is none', () => {
    expect(gpuLabel('cuda')).toBe('CUDA');
    expect(gpuLabel(false)).toBe('None (CPU only)');
  });

  it('gives the percent done only when the total is known, never over 100', () => {
    expect(percentDone(50, 200)).toBe(25);
    expect(percentDone(1, 3)).toBe(33.3);
    expect(percentDone(10, undefined)).toBeUndefined();
    expect(percentDone(10, 0)).toBeUndefined();
    expect(percentDone(300, 200)).toBe(100);
  });
});
