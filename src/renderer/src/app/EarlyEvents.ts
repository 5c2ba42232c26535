/**
 * A stream's events that arrive before the call starting the run has answered with the run's id (the server may
 * emit before its answer reaches us): held per id, at most `max` each, until the id is known, then replayed.
 */
export class EarlyEvents<E> {
  readonly #held = new Map<string, E[]>();

  constructor(private readonly max: number) {}

  hold(id: string, event: E): void {
    const list = this.#held.get(id) ?? [];
    if (list.length < this.max) list.push(event);
    this.#held.set(id, list);
  }

  /** The events held for `id`, in order; everything held for other ids is dropped. */
  take(id: string): E[] {
    const list = this.#held.get(id) ?? [];
    this.#held.clear();
    return list;
  }

  clear(): void {
    this.#held.clear();
  }
}
