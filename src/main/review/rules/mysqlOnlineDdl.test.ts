import { describe, expect, it } from 'vitest';
import { parseServerVersion } from '../config/parseServerVersion';
import { classifyMysqlAlterStatement } from '../parse/classifyMysqlAlterStatement';
import type { RuleContext } from '../Rule';
import { addColumnIsInstant, onlineDdlOf } from './mysqlOnlineDdl';

/** The facts of the statements node-sql-parser cannot read, through the keyword reader that will hand them over. */
function factsOf(sql: string, version: string): ReturnType<typeof onlineDdlOf>[] {
  const parsed = classifyMysqlAlterStatement(sql)!;
  const ctx = { parsed, dialect: 'mysql', version: parseServerVersion(version, 'mysql'), statements: [], index: 0 } as unknown as RuleContext<unknown>;
  return parsed.alterCommands.filter((c) => c.kind !== 'algorithm' && c.kind !== 'lock').map((c) => onlineDdlOf(c, parsed.alterCommands, ctx));
}

describe('mysqlOnlineDdl', () => {
  it.each([
    ['10.3.1-MariaDB', true, false],
    ['10.3.2-MariaDB', true, true],
    ['10.3.2-MariaDB', false, false],
    ['10.4.0-MariaDB', false, true],
    ['8.0.11', true, false],
    ['8.0.12', true, true],
    ['8.0.28', false, false],
    ['8.0.29', false, true],
  ] as const)('adds a column instantly on %s (at the end: %s): %s', (version, atEnd, expected) => {
    expect(addColumnIsInstant(parseServerVersion(version, 'mysql'), atEnd)).toBe(expected);
  });

  it('changes a default in the catalog (INSTANT) where the server has INSTANT, in place before', () => {
    expect(factsOf('alter table t alter column qty set default 5', '10.11.6-MariaDB')).toMatchObject([{ algorithm: 'INSTANT', lock: 'NONE' }]);
    expect(factsOf('alter table t alter column qty drop default', '8.0.11')).toMatchObject([{ algorithm: 'NOCOPY', lock: 'NONE' }]);
  });

  it('copies the table to convert its character set, except to utf8mb4 on MariaDB (which may convert utf8mb3 in place)', () => {
    expect(factsOf('alter table t convert to character set latin1', '10.11.6-MariaDB')).toMatchObject([{ algorithm: 'COPY', lock: 'SHARED' }]);
    expect(factsOf('alter table t convert to character set utf8mb4', '8.0.36')).toMatchObject([{ algorithm: 'COPY' }]);
    expect(factsOf('alter table t convert to character set utf8mb4', '10.11.6-MariaDB')).toEqual([undefined]);
  });
});
