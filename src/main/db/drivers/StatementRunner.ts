import { SerialQueue } from './SerialQueue';

/**
 * The one statement a server session runs at a time, and its cancel. Statements queue behind each other.
 * cancel() sends the dialect's kill (pg_cancel_backend, KILL QUERY) from a second session and repeats it while
 * the same statement still runs, because a kill that reaches the server before the statement does is lost.
 * The next statement starts only once a kill in flight has landed, so it can never stop the wrong statement.
 */
export class StatementRunner {
  readonly #queue = new SerialQueue();
  #running: Promise<unknown> | undefined;
  #cancelRequested = false;
  #cancelling: Promise<void> | undefined;

  /** True from cancel() until the cancelled statement has ended; drivers map errors and stop batches on it. */
  get cancelRequested(): boolean {
    return this.#cancelRequested;
  }

  get busy(): boolean {
    return this.#running !== undefined;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    const tracked = async (): Promise<T> => {
      this.#cancelRequested = false;
      const running = task();
      this.#running = running;
      try {
        return await running;
      } finally {
        this.#running = undefined;
        await this.#cancelling;
        this.#cancelling = undefined;
        this.#cancelRequested = false;
      }
    };
    return this.#queue.run(tracked);
  }

  /**
   * Stops the running statement, if any, with `kill`. Tries at most `attempts` times (Defaults to 5), waiting
   * `settleMs` (Defaults to 1000) after each kill for the statement to end. Rejects with kill's error.
   */
  async cancel(kill: () => Promise<void>, { attempts = 5, settleMs = 1_000 } = {}): Promise<void> {
    const running = this.#running;
    if (!running) return;
    this.#cancelRequested = true;
    const cancelling = (async () => {
      for (let attempt = 0; attempt < attempts && this.#running === running; attempt++) {
        await kill();
        let timer: NodeJS.Timeout | undefined;
        const settled = await Promise.race([
          running.then(() => true, () => true),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), settleMs))),
        ]);
        clearTimeout(timer);
        if (settled) return;
      }
    })();
    this.#cancelling = cancelling.catch(() => undefined);
    await cancelling;
  }

  /** Forget the running statement, e.g. when the session is gone and nothing is left to cancel. */
  forget(): void {
    this.#running = undefined;
  }
}
