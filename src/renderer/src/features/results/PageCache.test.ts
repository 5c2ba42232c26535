import { describe, expect, it } from 'vitest';
import { PageCache, type Page } from './PageCache';

/** A spool of `total` rows whose cells are their row numbers; records each fetch. */
function spool(total: { n: number }) {
  const calls: number[] = [];
  const fetch = async (offset: number, limit: number): Promise<Page> => {
    calls.push(offset);
    const rows = [];
    for (let i = offset; i < Math.min(total.n, offset + limit); i++) rows.push([i]);
    return { offset, rows };
  };
  return { calls, fetch };
}

describe('PageCache', () => {
  it('fetches only the pages covering the window and serves rows from them', async () => {
    const s = spool({ n: 1_000_000 });
    const cache = new PageCache(s.fetch, 100, 10);
    await cache.ensure(250, 420, 1_000_000);
    expect(s.calls).toEqual([200, 300, 400]);
    expect(cache.row(420)).toEqual([420]);
    expect(cache.row(199)).toBeUndefined();
  });

  it('keeps at most maxPages, dropping the least recently used', async () => {
    const s = spool({ n: 10_000 });
    const cache = new PageCache(s.fetch, 100, 3);
    await cache.ensure(0, 299, 10_000);
    cache.row(0); // page 0 becomes most recent
    await cache.ensure(300, 399, 10_000);
    expect(cache.size).toBe(3);
    expect(cache.row(5)).toEqual([5]);
    expect(cache.row(150)).toBeUndefined();
  });

  it('shares one call between concurrent requests for the same page', async () => {
    const s = spool({ n: 1000 });
    const cache = new PageCache(s.fetch, 100, 10);
    await Promise.all([cache.ensure(0, 50, 1000), cache.ensure(10, 90, 1000)]);
    expect(s.calls).toEqual([0]);
  });

  it('refetches a page that came back short once the result has grown', async () => {
    const total = { n: 150 };
    const s = spool(total);
    const cache = new PageCache(s.fetch, 100, 10);
    await cache.ensure(100, 199, 150);
    expect(cache.row(160)).toBeUndefined();
    total.n = 400;
    await cache.ensure(100, 199, 400);
    expect(cache.row(160)).toEqual([160]);
    expect(s.calls).toEqual([100, 100]);
  });

  it('drops pages that land after clear()', async () => {
    const s = spool({ n: 1000 });
    const cache = new PageCache(s.fetch, 100, 10);
    const pending = cache.ensure(0, 10, 1000);
    cache.clear();
    await pending;
    expect(cache.row(0)).toBeUndefined();
  });
});
