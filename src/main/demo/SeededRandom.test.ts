import { describe, expect, it } from 'vitest';
import { SeededRandom } from './SeededRandom';

describe('SeededRandom', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const take = (seed: number) => {
      const r = new SeededRandom(seed);
      return Array.from({ length: 50 }, () => r.next());
    };
    expect(take(42)).toEqual(take(42));
    expect(take(42)).not.toEqual(take(43));
  });

  it('stays in range and spreads over it', () => {
    const r = new SeededRandom(7);
    const counts = new Map<number, number>();
    for (let i = 0; i < 6_000; i++) {
      const n = r.int(1, 6);
      counts.set(n, (counts.get(n) ?? 0) + 1);
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
    }
    expect([...counts.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    for (const count of counts.values()) expect(count).toBeGreaterThan(800);
  });

  it('never picks a zero weight and refuses an empty list', () => {
    const r = new SeededRandom(1);
    for (let i = 0; i < 1_000; i++) expect(r.weighted([['a', 1], ['never', 0], ['b', 3]] as const)).not.toBe('never');
    expect(() => r.pick([])).toThrow(/empty list/);
  });

  it('gives money with at most two decimals', () => {
    const r = new SeededRandom(3);
    for (let i = 0; i < 1_000; i++) {
      const p = r.price(2, 150);
      expect(Math.round(p * 100) / 100).toBe(p);
      expect(p >= 2 && p <= 150).toBe(true);
    }
  });
});
