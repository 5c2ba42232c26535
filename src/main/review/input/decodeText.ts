import type { Finding } from '../../../shared/domain/review';
import { readProblem } from './InputFile';

/** How far into a file NUL bytes mark it as binary, as git and grep look. */
const BINARY_SNIFF_BYTES = 8192;

export type DecodedText = { text: string; problem?: undefined } | { text?: undefined; problem: Finding };

/**
 * Text of a file: UTF-8 (BOM stripped), or UTF-16 LE/BE when a BOM says so. A NUL byte in the first 8 KiB marks
 * a binary file; invalid UTF-8 is reported with the byte offset, line and column of the first bad byte, since
 * guessing another encoding would put wrong SQL in front of the rules.
 */
export function decodeText(path: string, bytes: Uint8Array): DecodedText {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return utf8(path, bytes, 3);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16(path, bytes, 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16(path, bytes, 'utf-16be');
  const nul = bytes.subarray(0, BINARY_SNIFF_BYTES).indexOf(0);
  if (nul >= 0) {
    return { problem: readProblem(path, `${path} is a binary file (NUL byte at offset ${nul}), not a text migration`) };
  }
  return utf8(path, bytes, 0);
}

function utf8(path: string, bytes: Uint8Array, start: number): DecodedText {
  const body = bytes.subarray(start);
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body) };
  } catch {
    const bad = firstInvalidUtf8(body);
    const offset = start + bad;
    let line = 1;
    let lineStart = start;
    for (let i = start; i < offset; i++) {
      if (bytes[i] === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    // Column counts characters, as the editor would show them, up to the bad byte.
    const column = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset)).length + 1;
    return {
      problem: readProblem(
        path,
        `${path} is not valid UTF-8: byte 0x${(bytes[offset] ?? 0).toString(16).padStart(2, '0')} at offset ${offset} (line ${line}, column ${column}); save it as UTF-8`,
        line,
        column,
      ),
    };
  }
}

function utf16(path: string, bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): DecodedText {
  try {
    return { text: new TextDecoder(encoding, { fatal: true }).decode(bytes) };
  } catch {
    return { problem: readProblem(path, `${path} starts with a ${encoding.toUpperCase()} byte order mark but is not valid ${encoding.toUpperCase()}`) };
  }
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let min = 0x80;
    let max = 0xbf;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) min = 0xa0;
      if (b === 0xed) max = 0x9f; // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) min = 0x90;
      if (b === 0xf4) max = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      const lo = k === 1 ? min : 0x80;
      const hi = k === 1 ? max : 0xbf;
      if (c < lo || c > hi) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}
