import { describe, expect, it } from 'vitest';
import { EarlyEvents } from './EarlyEvents';

describe('EarlyEvents', () => {
  it('hands back one id’s events in order, at most max of them, and drops the rest', () => {
    const early = new EarlyEvents<number>(2);
    early.hold('a', 1);
    early.hold('b', 9);
    early.hold('a', 2);
    early.hold('a', 3);
    expect(early.take('a')).toEqual([1, 2]);
    expect(early.take('b')).toEqual([]);
  });
});
