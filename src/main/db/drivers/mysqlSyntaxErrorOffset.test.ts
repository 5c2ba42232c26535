import { describe, expect, it } from 'vitest';
import { mysqlSyntaxErrorOffset } from './mysqlSyntaxErrorOffset';

const prefix = 'You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use';

describe('mysqlSyntaxErrorOffset', () => {
  it('finds the near-text on the reported line', () => {
    const sql = 'SELECT *\nFROM t\nWHERE a = 1 FORM x';
    expect(mysqlSyntaxErrorOffset(sql, `${prefix} near 'FORM x' at line 3`)).toBe(sql.indexOf('FORM'));
  });

  it('searches from the reported line, not the first occurrence', () => {
    const sql = "SELECT 'x y' AS a,\n x y z";
    expect(mysqlSyntaxErrorOffset(sql, `${prefix} near 'y z' at line 2`)).toBe(sql.lastIndexOf('y z'));
  });

  it('points at the end for an unfinished statement', () => {
    expect(mysqlSyntaxErrorOffset('SELECT * FROM  ', `${prefix} near '' at line 1`)).toBe('SELECT * FROM'.length);
  });

  it('copes with a near-text cut short and with quotes inside it', () => {
    const sql = `SELECT 1 FORM t WHERE b = 'it''s' ${'x'.repeat(200)}`;
    const near = sql.slice(sql.indexOf('FORM'), sql.indexOf('FORM') + 80);
    expect(mysqlSyntaxErrorOffset(sql, `${prefix} near '${near}' at line 1`)).toBe(9);
  });

  it('returns undefined without a near-hint', () => {
    expect(mysqlSyntaxErrorOffset('SELECT 1', "Table 'x.y' doesn't exist")).toBeUndefined();
  });
});
