import { describe, expect, it } from 'vitest';
import type { Dialect } from '../domain/connection';
import { splitStatements, statementAtOffset } from './splitStatements';

const texts = (sql: string, dialect: Dialect): string[] => splitStatements(sql, dialect).map((s) => s.text);

describe('splitStatements', () => {
  it('splits at semicolons and keeps offsets into the input', () => {
    const sql = 'select 1;\n  select 2 ;select 3';
    const spans = splitStatements(sql, 'postgres');
    expect(spans.map((s) => s.text)).toEqual(['select 1', 'select 2', 'select 3']);
    for (const s of spans) expect(sql.slice(s.start, s.end)).toBe(s.text);
  });

  it('drops empty and comment-only statements', () => {
    expect(texts(';;  ; -- just a comment\n; /* block */ ; select 1; -- trailing', 'postgres')).toEqual(['select 1']);
    expect(texts('', 'sqlite')).toEqual([]);
    expect(texts('   \n\t', 'mysql')).toEqual([]);
  });

  it('starts a statement at its first token, after leading comments', () => {
    const sql = '-- pick users\n/* note */ select * from users';
    const [s] = splitStatements(sql, 'sqlite');
    expect(s!.text).toBe('select * from users');
    expect(s!.start).toBe(sql.indexOf('select'));
  });

  it('keeps semicolons inside single quotes, with doubled-quote escapes', () => {
    expect(texts("select 'a;b', 'it''s;'; select 2", 'sqlite')).toEqual(["select 'a;b', 'it''s;'", 'select 2']);
  });

  it('keeps semicolons inside quoted identifiers', () => {
    expect(texts('select "a;""b" from t; select 2', 'postgres')).toEqual(['select "a;""b" from t', 'select 2']);
    expect(texts('select `a;``b` from t; select 2', 'mysql')).toEqual(['select `a;``b` from t', 'select 2']);
    expect(texts('select [a;b] from t; select 2', 'sqlite')).toEqual(['select [a;b] from t', 'select 2']);
  });

  it('honours backslash escapes in MySQL strings but not in standard PostgreSQL strings', () => {
    expect(texts("select 'a\\';b'; select 2", 'mysql')).toEqual(["select 'a\\';b'", 'select 2']);
    expect(texts('select "a\\";b"; select 2', 'mysql')).toEqual(['select "a\\";b"', 'select 2']);
    // In PostgreSQL 'a\' is a complete literal.
    expect(texts("select 'a\\'; select 2", 'postgres')).toEqual(["select 'a\\'", 'select 2']);
  });

  it("honours backslash escapes in PostgreSQL E'' strings", () => {
    expect(texts("select E'a\\';b'; select 2", 'postgres')).toEqual(["select E'a\\';b'", 'select 2']);
    expect(texts("select e'\\\\'; select 2", 'postgres')).toEqual(["select e'\\\\'", 'select 2']);
  });

  it('keeps PostgreSQL dollar-quoted bodies whole, with and without tags', () => {
    const fn = `create function f() returns int language plpgsql as $$
begin
  delete from t where id = 1; return 1;
end $$`;
    expect(texts(`${fn};\nselect f()`, 'postgres')).toEqual([fn, 'select f()']);
    const tagged = 'select $body$ a; $$ still; $body$';
    expect(texts(`${tagged}; select 2`, 'postgres')).toEqual([tagged, 'select 2']);
  });

  it('does not treat $1 parameters or words with $ as dollar quotes', () => {
    expect(texts('select $1; select a$b$ from t; select 3', 'postgres')).toEqual(['select $1', 'select a$b$ from t', 'select 3']);
  });

  it('does not dollar-quote outside PostgreSQL', () => {
    expect(texts('select $$a; select 2$$', 'sqlite')).toEqual(['select $$a', 'select 2$$']);
  });

  it('ignores semicolons in line comments, including MySQL # comments', () => {
    expect(texts('select 1 -- no; split\n, 2; select 3', 'postgres')).toEqual(['select 1 -- no; split\n, 2', 'select 3']);
    expect(texts('select 1 # no; split\n; select 3', 'mysql')).toEqual(['select 1', 'select 3']);
    // '#' is not a comment in PostgreSQL (it is an operator).
    expect(texts('select 1 # 2; select 3', 'postgres')).toEqual(['select 1 # 2', 'select 3']);
  });

  it('needs whitespace after -- in MySQL', () => {
    expect(texts('select 5--1; select 2', 'mysql')).toEqual(['select 5--1', 'select 2']);
  });

  it('nests block comments in PostgreSQL only', () => {
    expect(texts('/* a /* b; */ still comment; */ select 1; select 2', 'postgres')).toEqual(['select 1', 'select 2']);
    expect(texts('/* a /* b */ select 1; select 2', 'sqlite')).toEqual(['select 1', 'select 2']);
  });

  it('keeps MySQL executable comments as code', () => {
    expect(texts('/*!40101 SET NAMES utf8mb4 */;\nselect 1', 'mysql')).toEqual(['/*!40101 SET NAMES utf8mb4 */', 'select 1']);
  });

  it('keeps CREATE TRIGGER … BEGIN … END whole in SQLite', () => {
    const trig = `CREATE TRIGGER audit AFTER UPDATE ON t
WHEN new.a <> old.a
BEGIN
  INSERT INTO log VALUES (new.id, CASE WHEN new.a > 0 THEN 'up' ELSE 'down' END);
  UPDATE t SET touched = 1 WHERE id = new.id;
END`;
    expect(texts(`${trig};\nselect 1;`, 'sqlite')).toEqual([trig, 'select 1']);
    expect(texts(`CREATE TEMP TRIGGER IF NOT EXISTS x BEFORE DELETE ON t BEGIN SELECT 1; END; select 2`, 'sqlite')).toEqual([
      'CREATE TEMP TRIGGER IF NOT EXISTS x BEFORE DELETE ON t BEGIN SELECT 1; END',
      'select 2',
    ]);
  });

  it('keeps MySQL trigger bodies with IF … END IF whole', () => {
    const trig = `CREATE DEFINER=\`root\`@\`localhost\` TRIGGER trg BEFORE INSERT ON t FOR EACH ROW
BEGIN
  IF NEW.a < 0 THEN SET NEW.a = 0; END IF;
  WHILE NEW.b > 10 DO SET NEW.b = NEW.b - 1; END WHILE;
  CASE NEW.c WHEN 1 THEN SET NEW.d = 1; ELSE SET NEW.d = 2; END CASE;
END`;
    expect(texts(`${trig};\nselect 1`, 'mysql')).toEqual([trig, 'select 1']);
  });

  it('does not treat a transaction BEGIN as a compound body', () => {
    expect(texts('BEGIN; update t set a = 1 where id = 2; COMMIT;', 'sqlite')).toEqual([
      'BEGIN',
      'update t set a = 1 where id = 2',
      'COMMIT',
    ]);
    expect(texts('create table trigger_log (a int); select 1', 'mysql')).toEqual(['create table trigger_log (a int)', 'select 1']);
  });

  it('keeps PostgreSQL BEGIN ATOMIC function bodies whole', () => {
    const fn = 'CREATE FUNCTION one() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END';
    expect(texts(`${fn}; select one()`, 'postgres')).toEqual([fn, 'select one()']);
  });

  it("follows the mysql client's DELIMITER command", () => {
    const sql = `DELIMITER $$
CREATE PROCEDURE p()
BEGIN
  SELECT 1; SELECT 2;
END$$
DELIMITER ;
select 3; select 4`;
    expect(texts(sql, 'mysql')).toEqual(['CREATE PROCEDURE p()\nBEGIN\n  SELECT 1; SELECT 2;\nEND', 'select 3', 'select 4']);
    expect(texts('delimiter //\nselect 1 // select 2//', 'mysql')).toEqual(['select 1', 'select 2']);
  });

  it('does not let a custom delimiter split inside strings', () => {
    expect(texts("DELIMITER //\nselect '//' //\n", 'mysql')).toEqual(["select '//'"]);
  });

  it('rejects DELIMITER without a terminator', () => {
    expect(() => splitStatements('DELIMITER\nselect 1', 'mysql')).toThrow(/DELIMITER at line 1, column 1 needs a terminator/);
  });

  it('treats DELIMITER as an ordinary word outside MySQL', () => {
    expect(texts('delimiter $$', 'sqlite')).toEqual(['delimiter $$']);
  });

  it('refuses psql meta-commands with the line where they are', () => {
    expect(() => splitStatements('select 1;\n\\dt users\nselect 2', 'postgres')).toThrow(
      /\\dt users at line 2, column 1 is a psql meta-command/,
    );
    expect(() => splitStatements('select 1 \\gx', 'postgres')).toThrow(/psql meta-command/);
    expect(() => splitStatements('select 1; \\dt', 'postgres')).toThrow(/\\dt at line 1, column 11 is a psql meta-command/);
    expect(() => splitStatements('select 1\\G', 'mysql')).toThrow(/mysql meta-command/);
    try {
      splitStatements('\n\n  \\copy t to x', 'postgres');
      expect.unreachable();
    } catch (e) {
      expect((e as { code: string }).code).toBe('SYNTAX_ERROR');
      expect((e as { detail: { position: { line: number; column: number } } }).detail.position).toMatchObject({ line: 3, column: 3 });
    }
  });

  it('refuses sqlite3 dot-commands at the start of a statement', () => {
    expect(() => splitStatements('.tables\nselect 1', 'sqlite')).toThrow(/sqlite3 meta-command/);
    expect(texts('select\n.5', 'sqlite')).toEqual(['select\n.5']);
  });

  it('does not flag backslashes inside literals', () => {
    expect(texts("select '\\dt'; select $$\\x$$", 'postgres')).toEqual(["select '\\dt'", 'select $$\\x$$']);
  });

  it('keeps an unterminated literal to the end rather than failing', () => {
    expect(texts("select 'abc; select 2", 'postgres')).toEqual(["select 'abc; select 2"]);
    expect(texts('select 1; /* open comment; select 2', 'postgres')).toEqual(['select 1']);
  });

  it('handles non-ASCII text and surrogate pairs', () => {
    const sql = "select 'ü😀;'; select \"名前\" from t";
    const spans = splitStatements(sql, 'postgres');
    expect(spans.map((s) => s.text)).toEqual(["select 'ü😀;'", 'select "名前" from t']);
    for (const s of spans) expect(sql.slice(s.start, s.end)).toBe(s.text);
  });

  it('splits a large script in linear time without blowing the stack', () => {
    const sql = "insert into t values (1, 'x;y');\n".repeat(50_000);
    const spans = splitStatements(sql, 'mysql');
    expect(spans).toHaveLength(50_000);
    expect(spans[49_999]!.text).toBe("insert into t values (1, 'x;y')");
  });
});

describe('statementAtOffset', () => {
  const sql = 'select 1;\n\nselect 2;   \n-- note\n';
  const spans = splitStatements(sql, 'postgres');

  it('finds the statement containing the cursor, ends inclusive', () => {
    expect(statementAtOffset(spans, 0)?.text).toBe('select 1');
    expect(statementAtOffset(spans, 3)?.text).toBe('select 1');
    expect(statementAtOffset(spans, sql.indexOf('select 2') + 8)?.text).toBe('select 2');
  });

  it('falls back to the statement before when the cursor sits after it', () => {
    expect(statementAtOffset(spans, sql.indexOf(';') + 1)?.text).toBe('select 1');
    expect(statementAtOffset(spans, sql.length)?.text).toBe('select 2');
  });

  it('gives the first statement before everything, and nothing without statements', () => {
    const lead = splitStatements('\n\n  select 9', 'sqlite');
    expect(statementAtOffset(lead, 0)?.text).toBe('select 9');
    expect(statementAtOffset([], 0)).toBeUndefined();
  });
});
