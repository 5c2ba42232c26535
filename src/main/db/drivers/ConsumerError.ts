/**
 * An error thrown by a stream's own handlers (onColumns, onRows), carried through the driver's error mapping so
 * that stream() rejects with it unchanged: a full disk while spooling is the consumer's IO_ERROR, not a query failure.
 */
export class ConsumerError {
  constructor(readonly error: unknown) {}
}

/** Runs a stream handler, marking what it throws as the consumer's. */
export async function deliver(handler: () => void | Promise<void>): Promise<void> {
  try {
    await handler();
  } catch (error) {
    throw new ConsumerError(error);
  }
}
