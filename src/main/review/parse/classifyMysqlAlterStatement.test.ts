import { describe, expect, it } from 'vitest';
import { classifyMysqlAlterStatement } from './classifyMysqlAlterStatement';

describe('classifyMysqlAlterStatement', () => {
  it.each([
    ['alter table t alter column qty set default 5', [{ kind: 'set-default', column: 'qty' }]],
    ['ALTER TABLE shop.`Order` ALTER Qty SET DEFAULT -1.5;', [{ kind: 'set-default', column: 'Qty' }]],
    ["alter table t alter column note set default 'n/a', algorithm = instant, lock = none", [{ kind: 'set-default', column: 'note' }, { kind: 'algorithm', value: 'INSTANT' }, { kind: 'lock', value: 'NONE' }]],
    ['alter table t alter column qty drop default', [{ kind: 'drop-default', column: 'qty' }]],
    ['alter table t alter column qty set default null, alter column note drop default', [{ kind: 'set-default', column: 'qty' }, { kind: 'drop-default', column: 'note' }]],
    // A column called `column`.
    ['alter table t alter column set default 1', [{ kind: 'set-default', column: 'column' }]],
    ['alter table t convert to character set latin1', [{ kind: 'other', value: 'CONVERT TO CHARACTER SET LATIN1' }]],
    ['alter table t convert to charset utf8mb4 collate utf8mb4_unicode_ci, algorithm=copy', [{ kind: 'other', value: 'CONVERT TO CHARACTER SET UTF8MB4' }, { kind: 'algorithm', value: 'COPY' }]],
  ])('reads %s', (sql, commands) => {
    const s = classifyMysqlAlterStatement(sql);
    expect(s).toMatchObject({ kind: 'alter-table', parser: 'mysql-keywords', alterCommands: commands });
    expect(s?.table).toBe(sql.includes('shop.') ? 'Order' : 't');
  });

  it.each([
    // Only these forms: anything else stays unparsed, with node-sql-parser's error.
    'alter table t alter column qty set default (qty + 1)',
    'alter table t alter column qty set default 5 extra',
    'alter table t alter column qty set visible',
    'alter table t add column x int, alter column qty set default 5',
    'alter table t algorithm = instant',
    'alter table t alter column qty set default',
    "alter table t alter column note set default 'unclosed",
    'alter table t convert to character set',
    'alter table t convert character set latin1',
    'alter view v alter column qty set default 5',
    'select 1',
  ])('leaves %s alone', (sql) => {
    expect(classifyMysqlAlterStatement(sql)).toBeUndefined();
  });
});
