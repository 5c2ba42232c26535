import Database from 'better-sqlite3';
import { parse } from 'libpg-query';
import { describe, expect, it } from 'vitest';
import type { Dialect } from '../../../../shared/domain/connection';
import type { MigrationSet } from '../../../../shared/domain/review';
import { changelogFilesFromInput } from './ChangelogFiles';
import { readLiquibaseFiles } from './readLiquibase';

/** A changelog using every change type SQLite can do in place, each with its rollback. */
const CHANGELOG = `<?xml version="1.0" encoding="UTF-8"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="1" author="qa">
    <createTable tableName="customer">
      <column name="id" type="int" autoIncrement="true"><constraints primaryKey="true"/></column>
      <column name="email" type="varchar(255)"><constraints nullable="false" unique="true"/></column>
      <column name="active" type="boolean" defaultValueBoolean="true"/>
    </createTable>
  </changeSet>
  <changeSet id="2" author="qa">
    <createTable tableName="orders">
      <column name="id" type="int"><constraints primaryKey="true" primaryKeyName="pk_orders"/></column>
      <column name="customer_id" type="int"><constraints nullable="false" foreignKeyName="fk_orders_customer" references="customer(id)"/></column>
      <column name="total" type="decimal(10,2)" defaultValueNumeric="0"/>
    </createTable>
    <createIndex indexName="idx_orders_customer" tableName="orders"><column name="customer_id"/></createIndex>
  </changeSet>
  <changeSet id="3" author="qa">
    <addColumn tableName="orders"><column name="note" type="varchar(50)"/></addColumn>
    <renameColumn tableName="orders" oldColumnName="note" newColumnName="remark" columnDataType="varchar(50)"/>
    <addUniqueConstraint tableName="orders" columnNames="remark" constraintName="uq_orders_remark"/>
  </changeSet>
  <changeSet id="4" author="qa">
    <createView viewName="spend" replaceIfExists="true">SELECT customer_id, sum(total) AS spent FROM orders GROUP BY customer_id</createView>
    <renameTable oldTableName="orders" newTableName="purchase"/>
  </changeSet>
  <changeSet id="5" author="qa">
    <insert tableName="customer"><column name="email" value="o'neil@example.com"/><column name="active" valueBoolean="false"/></insert>
    <update tableName="customer"><column name="active" valueBoolean="true"/><where>email LIKE '%@example.com'</where></update>
    <delete tableName="customer"><where>active = 0</where></delete>
    <rollback>
      <delete tableName="customer"><where>email = 'o''neil@example.com'</where></delete>
    </rollback>
  </changeSet>
</databaseChangeLog>
`;

function read(dialect: Dialect): MigrationSet {
  const files = changelogFilesFromInput([{ path: 'changelog.xml', bytes: new TextEncoder().encode(CHANGELOG) }]);
  const set = readLiquibaseFiles('/mem', files, 'changelog.xml', { dialect });
  expect(set.problems).toEqual([]);
  return set;
}

function schema(db: Database.Database): string[] {
  return (db.prepare("SELECT type || ' ' || name AS o FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY 1").all() as { o: string }[]).map((r) => r.o);
}

describe('generated SQL on real engines', () => {
  it('runs every up on SQLite, then every down in reverse, back to an empty schema', () => {
    const set = read('sqlite');
    const db = new Database(':memory:');
    try {
      db.pragma('foreign_keys = ON');
      for (const m of set.migrations) for (const s of m.up) db.exec(s.sql);
      expect(schema(db)).toEqual(['index idx_orders_customer', 'index uq_orders_remark', 'table customer', 'table purchase', 'view spend']);
      expect(db.prepare('SELECT email, active FROM customer').all()).toEqual([{ email: "o'neil@example.com", active: 1 }]);
      for (const m of [...set.migrations].reverse()) {
        expect(m.down, m.id).toBeDefined();
        for (const s of m.down!) db.exec(s.sql);
      }
      expect(schema(db)).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('writes PostgreSQL that PostgreSQL’s own parser accepts, up and down', async () => {
    const set = read('postgres');
    const all = set.migrations.flatMap((m) => [...m.up, ...(m.down ?? [])]);
    expect(all.length).toBeGreaterThan(15);
    for (const s of all) await expect(parse(s.sql), s.sql).resolves.toBeTruthy();
  });
});
