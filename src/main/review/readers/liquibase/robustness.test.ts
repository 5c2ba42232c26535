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
