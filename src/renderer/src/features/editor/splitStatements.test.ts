import { describe, expect, it } from 'vitest';
import { splitStatements, statementAt } from './splitStatements';

describe('splitStatements', () => {
  it('splits on top-level semicolons with offsets into the text', () => {
    const sql = 'SELECT 1;\n  SELECT 2 ;\nSELECT 3';
    const parts = splitStatements(sql);
    expect(parts.map((p) => p.text)).toEqual(['SELECT 1', 'SELECT 2', 'SELECT 3']);
    for (const p of parts) expect(sql.slice(p.start, p.start + p.text.length)).toBe(p.text);
  });
  it('keeps semicolons inside strings, identifiers, comments and dollar quotes', () => {
    const sql = "SELECT ';', \"a;b\" -- x;\n/* y; */ FROM t;\nCREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;";
    expect(splitStatements(sql).map((p) => p.text)).toEqual([
      "SELECT ';', \"a;b\" -- x;\n/* y; */ FROM t",
      'CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql',
    ]);
  });
  it('drops empty and comment-only pieces', () => {
    expect(splitStatements(';;\n-- only a comment\n')).toEqual([]);
  });
});

describe('statementAt', () => {
  const sql = 'SELECT 1;\nSELECT 2;\n\nSELECT 3';
  it('finds the statement under the cursor', () => {
    expect(statementAt(sql, sql.indexOf('2'))?.text).toBe('SELECT 2');
  });
  it('takes the statement just before the cursor when it rests after a semicolon', () => {
    expect(statementAt(sql, sql.indexOf('SELECT 2;') + 'SELECT 2;'.length + 1)?.text).toBe('SELECT 2');
  });
  it('returns undefined for blank text', () => {
    expect(statementAt('   ', 1)).toBeUndefined();
  });
});
