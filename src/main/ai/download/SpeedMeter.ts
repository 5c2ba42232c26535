/** Bytes per second over a sliding window, so a burst or a pause moves the figure without making it jump. */
export class SpeedMeter {
  private samples: { at: number; bytes: number }[] = [];

  /** @param windowMs How far back the speed looks. Defaults to 3 s. */
  constructor(private readonly windowMs = 3000) {}

  /** Records the running total of bytes at `at` (ms, monotonic). */
  add(bytes: number, at = performance.now()): void {
    this.samples.push({ at, bytes });
    while (this.samples.length > 2 && at - this.samples[1]!.at >= this.windowMs) this.samples.shift();
  }

  bytesPerSecond(): number {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.at - first.at < 50) return 0;
    return ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
  }

  reset(): void {
    this.samples = [];
  }
}
