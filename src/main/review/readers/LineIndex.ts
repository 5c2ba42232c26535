/**
 * Line starts of a text, so each statement's position costs a binary search rather than a scan from the top,
 * which matters for files of thousands of statements. Same rules as offsetToPosition: `\r\n`, `\n` and a lone
 * `\r` end a line; columns count UTF-16 code units, 1-based.
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      if (c === 10 || c === 13) this.starts.push(i + 1);
    }
  }

  position(offset: number): { line: number; column: number } {
    const at = Math.max(0, Math.min(Math.trunc(offset), this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    // An offset between \r and \n belongs to the line the \r ends, as offsetToPosition counts it.
    return { line: lo + 1, column: at - this.starts[lo]! + 1 };
  }

  /** Offsets of each line's start and end (before its line break), for readers that scan annotations. */
  lines(): { start: number; end: number; text: string }[] {
    return this.starts.map((start, i) => {
      let end = i + 1 < this.starts.length ? this.starts[i + 1]! : this.text.length;
      if (i + 1 < this.starts.length) {
        if (this.text.charCodeAt(end - 1) === 10) end--;
        if (this.text.charCodeAt(end - 1) === 13) end--;
      }
      return { start, end, text: this.text.slice(start, end) };
    });
  }
}
