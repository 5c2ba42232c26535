import { describe, expect, it } from 'vitest';
import { formatBytes } from './formatBytes';

describe('formatBytes', () => {
  it('counts bytes below a kilobyte, then one decimal below ten units and whole units above', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(999)).toBe('999 bytes');
    expect(formatBytes(1000)).toBe('1.0 kB');
    expect(formatBytes(4_250)).toBe('4.3 kB');
    expect(formatBytes(37_400_000)).toBe('37 MB');
    expect(formatBytes(1.5e12)).toBe('1.5 TB');
    expect(formatBytes(3e18)).toBe('3000 PB');
  });

  it('does not print NaN or a negative size', () => {
    expect(formatBytes(Number.NaN)).toBe('? bytes');
    expect(formatBytes(-5)).toBe('0 bytes');
  });
});
