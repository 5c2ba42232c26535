import type { SourcePosition } from '../domain/query';

/**
 * 1-based line and column of a 0-based offset, counting UTF-16 code units as Monaco does. `\r\n`, `\n` and a
 * lone `\r` each end a line. Offsets outside the text are clamped to it.
 */
export function offsetToPosition(text: string, offset: number): SourcePosition {
  const at = Math.max(0, Math.min(Math.trunc(offset), text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = i + 1;
    } else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) {
        if (i + 1 >= at) break;
        i++;
      }
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: at - lineStart + 1, offset: at };
}
