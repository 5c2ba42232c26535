import { describe, expect, it } from 'vitest';
import { defaultThreadCount } from './detectHardware';
import { defaultModelSettings } from '../../../shared/domain/models';
import { mergeModelSettings, parseModelSettings, resolveThreads } from './modelSettings';
import { gpuFromEnv } from './sharedLlama';

describe('model settings', () => {
  it('fills what is missing or invalid with the documented defaults, field by field', () => {
    expect(parseModelSettings(undefined)).toEqual(defaultModelSettings);
    expect(parseModelSettings('garbage')).toEqual(defaultModelSettings);
    expect(parseModelSettings({ gpuLayers: 12, contextSize: 'huge', flashAttention: true, idleUnloadMinutes: -1 })).toEqual({
      ...defaultModelSettings,
      gpuLayers: 12,
      flashAttention: true,
    });
  });

  it('merges changes over a base and validates the result', () => {
    const merged = mergeModelSettings(defaultModelSettings, { threads: 4, contextSize: undefined });
    expect(merged).toEqual({ ...defaultModelSettings, threads: 4 });
    expect(() => mergeModelSettings(defaultModelSettings, { contextSize: 16 })).toThrow();
  });

  it('resolves auto threads to physical cores − 1, at least 1', () => {
    expect([1, 2, 4, 16].map(defaultThreadCount)).toEqual([1, 1, 3, 15]);
    expect(resolveThreads(defaultModelSettings, 3)).toBe(3);
    expect(resolveThreads({ ...defaultModelSettings, threads: 1 }, 3)).toBe(1);
  });

  it('reads QUARRY_LLAMA_GPU, falling back to auto', () => {
    expect([undefined, '', 'auto', 'nonsense'].map(gpuFromEnv)).toEqual(['auto', 'auto', 'auto', 'auto']);
    expect(['false', 'off', 'CPU', '0'].map(gpuFromEnv)).toEqual([false, false, false, false]);
    expect(['cuda', 'Vulkan', 'metal'].map(gpuFromEnv)).toEqual(['cuda', 'vulkan', 'metal']);
  });
});
