/** The onLost listeners of a driver; fires at most once per underlying connection. */
export class LostListeners {
  readonly #listeners = new Set<(error: Error) => void>();
  #firedFor: unknown;

  add(listener: (error: Error) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Tells every listener that `connection` dropped; a second report for the same connection is ignored. */
  fire(connection: unknown, error: Error): void {
    if (this.#firedFor === connection) return;
    this.#firedFor = connection;
    for (const listener of [...this.#listeners]) {
      try {
        listener(error);
      } catch {
        // A listener's failure must not stop the others from hearing about the drop.
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
