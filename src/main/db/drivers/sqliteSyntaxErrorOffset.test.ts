import { describe, expect, it } from 'vitest';
import { sqliteSyntaxErrorOffset } from './sqliteSyntaxErrorOffset';

describe('SQLite syntax error offsets', () => {
  it('points at the whole-word token SQLite names', () => {
    const sql = 'SELECT platform\n  FORM t';
    expect(sqliteSyntaxErrorOffset(sql, 'near "FORM": syntax error')).toBe(sql.indexOf('FORM'));
  });

  it('points at the end of an unfinished statement', () => {
    expect(sqliteSyntaxErrorOffset('SELECT * FROM ', 'incomplete input')).toBe('SELECT * FROM'.length);
  });

  it('handles quotes in the token and leaves the offset undefined without a hint', () => {
    expect(sqliteSyntaxErrorOffset(`SELECT 1 "a""b" x y`, 'near "y": syntax error')).toBe(18);
    expect(sqliteSyntaxErrorOffset('SELECT 1', 'no such table: t')).toBeUndefined();
  });
});
