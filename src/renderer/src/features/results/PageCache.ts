import type { CellValue } from '../../../../shared/domain/query';

export interface Page {
  offset: number;
  rows: CellValue[][];
}

export type FetchPage = (offset: number, limit: number) => Promise<Page>;

/**
 * A bounded LRU of result pages. The grid asks for the rows it shows; only those pages are fetched, at most
 * `maxPages` stay in memory, and requests for a page already in flight share one call.
 */
export class PageCache {
  private readonly pages = new Map<number, Page>();
  private readonly inFlight = new Map<number, Promise<void>>();
  private generation = 0;

  /**
   * @param fetchPage loads one page from the spool
   * @param pageSize rows per page. Defaults to 500.
   * @param maxPages pages kept before the least recently used is dropped. Defaults to 40.
   * @param onChange called when a page arrives, so the view can redraw.
   */
  constructor(
    private readonly fetchPage: FetchPage,
    readonly pageSize = 500,
    private readonly maxPages = 40,
    private readonly onChange: () => void = () => {},
  ) {}

  get size(): number {
    return this.pages.size;
  }

  /** The row if its page is loaded; marks the page recently used. */
  row(index: number): CellValue[] | undefined {
    const pageNo = Math.floor(index / this.pageSize);
    const page = this.pages.get(pageNo);
    if (!page) return undefined;
    this.pages.delete(pageNo);
    this.pages.set(pageNo, page);
    return page.rows[index - page.offset];
  }

  /**
   * Makes sure the pages covering rows [first, last] are loaded or loading, never past `total`. A page that came
   * back short while the result was still growing is fetched again once `total` has passed its end.
   */
  ensure(first: number, last: number, total: number): Promise<void> {
    if (total <= 0) return Promise.resolve();
    const from = Math.max(0, Math.floor(first / this.pageSize));
    const to = Math.floor(Math.min(last, total - 1) / this.pageSize);
    const waits: Promise<void>[] = [];
    for (let p = from; p <= to; p++) {
      const page = this.pages.get(p);
      const expected = Math.min(this.pageSize, total - p * this.pageSize);
      if (page && page.rows.length >= expected) continue;
      waits.push(this.load(p));
    }
    return Promise.all(waits).then(() => undefined);
  }

  /** Forget every page (a new sort, a new result); pages still in flight are discarded when they land. */
  clear(): void {
    this.generation++;
    this.pages.clear();
    this.inFlight.clear();
  }

  private load(pageNo: number): Promise<void> {
    const running = this.inFlight.get(pageNo);
    if (running) return running;
    const generation = this.generation;
    const promise = this.fetchPage(pageNo * this.pageSize, this.pageSize)
      .then((page) => {
        if (generation !== this.generation) return;
        this.pages.set(pageNo, page);
        while (this.pages.size > this.maxPages) this.pages.delete(this.pages.keys().next().value!);
        this.onChange();
      })
      .finally(() => {
        if (this.inFlight.get(pageNo) === promise) this.inFlight.delete(pageNo);
      });
    this.inFlight.set(pageNo, promise);
    return promise;
  }
}
