import { describe, expect, it } from 'vitest';
import { decodeText, firstInvalidUtf8 } from './decodeText';
import { utf16 } from '../../../../test/fixtures/review/readers/utf16';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('decodeText', () => {
  it('reads UTF-8 and strips its BOM', () => {
    expect(decodeText('a.sql', enc('SELECT \'ø\';'))).toEqual({ text: "SELECT 'ø';" });
    expect(decodeText('a.sql', new Uint8Array([0xef, 0xbb, 0xbf, ...enc('SELECT 1;')]))).toEqual({ text: 'SELECT 1;' });
  });

  it('reads UTF-16 LE and BE when a BOM says so, NUL bytes and all', () => {
    const sql = "CREATE TABLE t (name text DEFAULT 'Łódź');\n";
    expect(decodeText('le.sql', utf16(sql, false))).toEqual({ text: sql });
    expect(decodeText('be.sql', utf16(sql, true))).toEqual({ text: sql });
  });

  it('reports a NUL byte in the first 8 KiB as a binary file', () => {
    const bytes = new Uint8Array(100).fill(0x41);
    bytes[42] = 0;
    const result = decodeText('db/logo.sql', bytes);
    expect(result.text).toBeUndefined();
    expect(result.problem).toMatchObject({ ruleId: 'read-error', severity: 'error', location: { file: 'db/logo.sql', line: 1, column: 1 } });
    expect(result.problem?.message).toContain('binary');
    expect(result.problem?.message).toContain('offset 42');
  });

  it('names the line, column and byte offset of the first invalid UTF-8 byte', () => {
    // Latin-1 "é" (0xe9) on line 3 after "-- caf": byte 10 + 6 ("-- ø\n", ø is two bytes) + 6 = 22.
    const bytes = new Uint8Array([...enc('SELECT 1;\n-- ø\n-- caf'), 0xe9, ...enc('\nSELECT 2;')]);
    const result = decodeText('V1__latin1.sql', bytes);
    expect(result.problem).toMatchObject({ ruleId: 'read-error', location: { file: 'V1__latin1.sql', line: 3, column: 7 } });
    expect(result.problem?.message).toContain('offset 22');
    expect(result.problem?.message).toContain('0xe9');
  });

  it('finds invalid sequences the way the WHATWG decoder rejects them', () => {
    expect(firstInvalidUtf8(enc('aé€😀'))).toBe(enc('aé€😀').length);
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0xc0, 0x80]))).toBe(1); // overlong
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0x62, 0xed, 0xa0, 0x80]))).toBe(2); // surrogate
    expect(firstInvalidUtf8(new Uint8Array([0xe2, 0x82]))).toBe(0); // truncated
  });
});
