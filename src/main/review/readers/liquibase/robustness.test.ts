import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changelogFilesFromInput } from './ChangelogFiles';
import { readLiquibaseFiles } from './readLiquibase';

const FIXTURES = join(process.cwd(), 'test/fixtures/review/liquibase');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

function readOne(path: string, text: string, dialect: 'postgres' | 'mysql' | 'sqlite' = 'postgres') {
  return readLiquibaseFiles('/mem', changelogFilesFromInput([{ path, bytes: new TextEncoder().encode(text) }]), path, { dialect });
}

describe('Liquibase reader on damaged input', () => {
  const changelogs = filesUnder(FIXTURES).filter((p) => /\.(xml|ya?ml|json|sql)$/.test(p));

  it('never throws on any prefix of any fixture changelog, and reports what it cannot read', () => {
    expect(changelogs.length).toBeGreaterThan(15);
    for (const file of changelogs) {
      const text = readFileSync(file, 'utf8');
      const name = relative(FIXTURES, file).split('\\').join('/');
      for (let cut = 0; cut < text.length; cut += Math.max(1, Math.floor(text.length / 40))) {
        for (const dialect of ['postgres', 'mysql', 'sqlite'] as const) {
          const set = readOne(name, text.slice(0, cut), dialect);
          for (const p of set.problems) {
            expect(p.location.line).toBeGreaterThanOrEqual(1);
            expect(p.location.column).toBeGreaterThanOrEqual(1);
            expect(p.message.length).toBeGreaterThan(0);
          }
        }
      }
    }
  });

  it('skips a changeset whose dbms excludes the dialect, and hints no dialect when changesets disagree', () => {
    const xml = `<databaseChangeLog>
  <changeSet id="1" author="a" dbms="postgresql"><dropTable tableName="p"/></changeSet>
  <changeSet id="2" author="a" dbms="mysql, mariadb"><dropTable tableName="m"/></changeSet>
  <changeSet id="3" author="a" dbms="!sqlite"><dropTable tableName="not_sqlite"/></changeSet>
</databaseChangeLog>`;
    const onMysql = readOne('c.xml', xml, 'mysql');
    expect(onMysql.dialectHint).toBeUndefined();
    expect(onMysql.migrations.map((m) => m.id)).toEqual(['a:2', 'a:3']);
    expect(onMysql.problems.map((p) => [p.ruleId, p.severity, p.location.line])).toEqual([['changeset-skipped', 'info', 2]]);
    expect(readOne('c.xml', xml, 'sqlite').migrations.map((m) => m.id)).toEqual([]);
  });

  it('reports a duplicate changeset in one file and keeps the first', () => {
    const set = readOne('c.xml', `<databaseChangeLog><changeSet id="1" author="a"><dropTable tableName="x"/></changeSet>\n<changeSet id="1" author="a"><dropTable tableName="y"/></changeSet></databaseChangeLog>`);
    expect(set.migrations.map((m) => m.up[0]!.sql)).toEqual(['DROP TABLE x']);
    expect(set.problems.map((p) => [p.ruleId, p.location.line])).toEqual([['duplicate-changeset', 2]]);
  });

  it('treats a rollback that refers to a missing changeset as no rollback, and says so', () => {
    const set = readOne('c.xml', `<databaseChangeLog><changeSet id="1" author="a"><createTable tableName="x"><column name="id" type="int"/></createTable><rollback changeSetId="nope"/></changeSet></databaseChangeLog>`);
    expect(set.migrations[0]!.down).toBeUndefined();
    expect(set.problems.map((p) => [p.ruleId, p.message])).toEqual([['read-error', 'rollback refers to changeset a:nope, which is not in the changelog']]);
  });

  it('refuses a numeric value that is not a number instead of writing it into SQL', () => {
    const set = readOne('c.xml', `<databaseChangeLog><changeSet id="1" author="a"><insert tableName="t"><column name="n" valueNumeric="1); DROP TABLE t; --"/></insert></changeSet></databaseChangeLog>`);
    expect(set.migrations[0]!.up).toEqual([]);
    expect(set.problems.map((p) => p.ruleId)).toEqual(['unsupported-change']);
  });

  it('reads a changeset without author as a problem in formatted SQL too', () => {
    const set = readOne('c.sql', '--liquibase formatted sql\n--changeset maria\nSELECT 1;\n');
    expect(set.migrations).toEqual([]);
    expect(set.problems.map((p) => [p.ruleId, p.location.line, p.location.column])).toEqual([['invalid-changeset', 2, 1]]);
  });
});

describe('Liquibase changelog parameters', () => {
  const xml = `<databaseChangeLog>
  <property name="schema" value="app"/>
  <property name="id_type" value="bigint" dbms="postgresql"/>
  <property name="id_type" value="int"/>
  <property name="schema" value="ignored"/>
  <changeSet id="1" author="a">
    <createTable tableName="t" schemaName="\${schema}"><column name="id" type="\${id_type}"/></createTable>
    <sql>INSERT INTO \${schema}.t VALUES (1); SELECT '\${unknown}'</sql>
  </changeSet>
</databaseChangeLog>`;

  it('substitutes ${name} with the first definition for the dialect, leaving unknown ones as written', () => {
    const pg = readOne('c.xml', xml, 'postgres');
    expect(pg.problems).toEqual([]);
    expect(pg.migrations[0]!.up.map((s) => s.sql)).toEqual(['CREATE TABLE app.t (id bigint)', 'INSERT INTO app.t VALUES (1)', "SELECT '${unknown}'"]);
    expect(pg.migrations[0]!.up[1]!.location.column).toBe(10);
    expect(readOne('c.xml', xml, 'mysql').migrations[0]!.up[0]!.sql).toBe('CREATE TABLE app.t (id int)');
  });

  it('lets the caller override a property, and reads properties of YAML and formatted SQL', () => {
    const set = readLiquibaseFiles('/mem', changelogFilesFromInput([{ path: 'c.xml', bytes: new TextEncoder().encode(xml) }]), 'c.xml', { dialect: 'postgres', properties: { schema: 'tenant1' } });
    expect(set.migrations[0]!.up[0]!.sql).toBe('CREATE TABLE tenant1.t (id bigint)');
    const yaml = readOne('c.yaml', 'databaseChangeLog:\n  - property:\n      name: tbl\n      value: audit\n  - changeSet:\n      id: 1\n      author: a\n      changes:\n        - dropTable:\n            tableName: ${tbl}\n');
    expect(yaml.migrations[0]!.up[0]!.sql).toBe('DROP TABLE audit');
    const sql = readOne('c.sql', '--liquibase formatted sql\n--property name:tbl value:audit\n--changeset a:1\nDELETE FROM ${tbl};\n');
    expect(sql.migrations[0]!.up[0]!.sql).toBe('DELETE FROM audit');
  });
});

describe('Liquibase reader on large changelogs', () => {
  it('reads thousands of changesets with entity-escaped text, each statement at its own line', () => {
    const body = Array.from({ length: 3000 }, (_, i) => `  <changeSet id="${i}" author="a"><delete tableName="t"><where>id &gt; ${i}</where></delete></changeSet>`).join('\n');
    const set = readOne('big.xml', `<databaseChangeLog>\n${body}\n</databaseChangeLog>`);
    expect(set.problems).toEqual([]);
    expect(set.migrations).toHaveLength(3000);
    expect(set.migrations[2999]!.up[0]).toMatchObject({ sql: 'DELETE FROM t WHERE id > 2999', location: { line: 3001, column: 35 } });
  });
});
