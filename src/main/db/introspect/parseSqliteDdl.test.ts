import { describe, expect, it } from 'vitest';
import { parseCreateIndex, parseCreateTable, parseCreateTrigger, tokenizeSqlite, viewSelect } from './parseSqliteDdl';

describe('tokenizeSqlite', () => {
  it('reads every quoting style and skips comments', () => {
    const tokens = tokenizeSqlite(`select "a""b", [c d], \`e\`, 'it''s' -- gone\n /* gone too */ from x`);
    expect(tokens.map((t) => [t.kind, t.value])).toEqual([
      ['word', 'SELECT'], ['ident', 'a"b'], ['punct', ','], ['ident', 'c d'], ['punct', ','], ['ident', 'e'], ['punct', ','], ['string', "'it''s'"], ['word', 'FROM'], ['word', 'X'],
    ]);
  });

  it('says where an unterminated string starts', () => {
    expect(() => tokenizeSqlite("select 'oops")).toThrow(/Unterminated string starting at offset 7/);
    expect(() => tokenizeSqlite('select [oops')).toThrow(/Unterminated \[identifier\] starting at offset 7/);
  });
});

describe('parseCreateTable', () => {
  const ddl = parseCreateTable(`CREATE TABLE "Order Lines" (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    "Qty" integer not null constraint qty_positive check (qty > 0), -- trailing comment, with a comma
    price decimal(10, 2) default (1 + 2) check (price >= 0 and price < (10 * 1000)),
    total real generated always as (qty * price) stored,
    label text as (upper(name)),
    name text constraint name_unique unique,
    parent_id integer constraint parent_fk references parent (id) on delete cascade,
    constraint lines_pk_alt unique (name, "Qty"),
    constraint lines_parent_fk foreign key (parent_id, name) references parent (id, name),
    check (total < 1e6)
  )`);

  it('finds column and table CHECKs in declaration order, with their names', () => {
    expect(ddl.checks).toEqual([
      { name: 'qty_positive', expression: 'qty > 0' },
      { expression: 'price >= 0 and price < (10 * 1000)' },
      { expression: 'total < 1e6' },
    ]);
  });

  it('reads generated columns and AUTOINCREMENT, keyed by lower-cased name', () => {
    expect(ddl.columns.get('total')?.generated).toEqual({ expression: 'qty * price', stored: true });
    expect(ddl.columns.get('label')?.generated).toEqual({ expression: 'upper(name)', stored: false });
    expect(ddl.columns.get('id')?.autoincrement).toBe(true);
    expect(ddl.columns.get('qty')?.name).toBe('Qty');
    expect(ddl.columns.get('price')?.generated).toBeUndefined();
    expect([...ddl.columns.keys()]).toEqual(['id', 'qty', 'price', 'total', 'label', 'name', 'parent_id']);
  });

  it('reads the names of UNIQUE and FOREIGN KEY constraints with their columns', () => {
    expect(ddl.uniqueNames).toEqual([
      { name: 'name_unique', columns: ['name'] },
      { name: 'lines_pk_alt', columns: ['name', 'Qty'] },
    ]);
    expect(ddl.foreignKeyNames).toEqual([
      { name: 'parent_fk', columns: ['parent_id'] },
      { name: 'lines_parent_fk', columns: ['parent_id', 'name'] },
    ]);
  });

  it('reads a named table-level primary key', () => {
    expect(parseCreateTable('create table t (a int, b int, constraint t_pk primary key (a, b)) without rowid').primaryKeyName).toBe('t_pk');
  });

  it('has nothing to say about CREATE TABLE … AS SELECT', () => {
    const copy = parseCreateTable('create table copy as select (1) as a, 2 as b');
    expect(copy.columns.size).toBe(0);
    expect(copy.checks).toEqual([]);
  });

  it('says so when parentheses do not balance', () => {
    expect(() => parseCreateTable('create table t (a int check (a > 0)')).toThrow(/Unbalanced parentheses/);
  });
});

describe('parseCreateIndex', () => {
  it('splits parts at top-level commas only and strips COLLATE and ordering', () => {
    const index = parseCreateIndex(`CREATE UNIQUE INDEX IF NOT EXISTS i ON t (lower(a), coalesce(b, 'x, y') DESC, c COLLATE nocase ASC) WHERE a IS NOT NULL AND b > 0;`);
    expect(index.parts).toEqual(['lower(a)', "coalesce(b, 'x, y')", 'c']);
    expect(index.where).toBe('a IS NOT NULL AND b > 0');
  });

  it('has no predicate for a full index', () => {
    expect(parseCreateIndex('create index i on t (a)').where).toBeUndefined();
  });

  it('refuses text that is not CREATE INDEX', () => {
    expect(() => parseCreateIndex('create view v as select 1')).toThrow(/Not a CREATE INDEX statement/);
  });
});

describe('parseCreateTrigger', () => {
  it.each([
    ['create trigger t before insert on x begin select 1; end', 'before', ['insert']],
    ['CREATE TEMP TRIGGER IF NOT EXISTS t AFTER UPDATE OF a, b ON x BEGIN SELECT 1; END', 'after', ['update']],
    ['create trigger t instead of delete on v begin select 1; end', 'instead of', ['delete']],
    ['create trigger t delete on x begin select 1; end', 'after', ['delete']],
  ] as const)('%s', (sql, timing, events) => {
    expect(parseCreateTrigger(sql)).toEqual({ timing, events });
  });

  it('ignores words after ON, in the body', () => {
    expect(parseCreateTrigger('create trigger t after insert on x begin update y set a = 1; delete from z; end').events).toEqual(['insert']);
  });
});

describe('viewSelect', () => {
  it('returns the SELECT after the first top-level AS', () => {
    expect(viewSelect('CREATE VIEW v (a, b) AS SELECT x AS a, y AS b FROM t;')).toBe('SELECT x AS a, y AS b FROM t');
    expect(viewSelect('create view "as" as select 1')).toBe('select 1');
  });
});
