import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Migration, MigrationSet } from '../../../../shared/domain/review';
import { readMigrations } from '../readMigrations';
import { readLiquibase } from './readLiquibase';

const FIXTURES = join(process.cwd(), 'test/fixtures/review/liquibase');

function summary(m: Migration): { id: string; up: string[]; down: string[] | undefined } {
  return { id: m.id, up: m.up.map((s) => s.sql), down: m.down?.map((s) => s.sql) };
}

function byId(set: MigrationSet, id: string): Migration {
  const m = set.migrations.find((x) => x.id === id);
  if (!m) throw new Error(`no migration ${id} in ${set.migrations.map((x) => x.id).join(', ')}`);
  return m;
}

describe('readLiquibase: XML tree', () => {
  const set = readLiquibase(join(FIXTURES, 'xml'), 'db.changelog-master.xml');

  it('reads the master, its include and the includeAll folder in Liquibase order', () => {
    expect(set.problems).toEqual([]);
    expect(set.format).toBe('liquibase');
    expect(set.migrations.map((m) => [m.id, m.file])).toEqual([
      ['maria:1', 'db.changelog-master.xml'],
      ['maria:2', 'changes/002-orders.xml'],
      ['lars:3', 'changes/002-orders.xml'],
      ['lars:4', 'changes/002-orders.xml'],
      ['ana:9', 'changes/later/009-rename.xml'],
      ['ana:9b', 'changes/later/009-rename.xml'],
      ['ana:10', 'changes/later/010-status.xml'],
      ['ana:11', 'changes/later/010-status.xml'],
      ['maria:tag-1.0', 'db.changelog-master.xml'],
    ]);
  });

  it('turns change types into PostgreSQL with the place of each change element', () => {
    const m = byId(set, 'maria:2');
    expect(summary(m)).toEqual({
      id: 'maria:2',
      up: [
        'CREATE TABLE orders (id bigint NOT NULL, customer_id bigint NOT NULL, total decimal(10,2) DEFAULT 0, PRIMARY KEY (id), CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customer(id))',
        'CREATE INDEX idx_orders_customer ON orders(customer_id)',
      ],
      down: ['DROP INDEX idx_orders_customer', 'DROP TABLE orders'],
    });
    expect(m.up.map((s) => s.location)).toEqual([
      { file: 'changes/002-orders.xml', line: 4, column: 9, changeset: 'maria:2' },
      { file: 'changes/002-orders.xml', line: 13, column: 9, changeset: 'maria:2' },
    ]);
    expect(m.changeTypes).toEqual([
      { type: 'createTable', autoRollback: true },
      { type: 'createIndex', autoRollback: true },
    ]);
    expect(byId(set, 'maria:1').description).toBe('Customers of the shop');
  });

  it('reads runInTransaction, sql statements at their own lines, and explicit rollback blocks', () => {
    const m = byId(set, 'lars:3');
    expect(m.transactional).toBe(false);
    expect(byId(set, 'maria:1').transactional).toBe(true);
    expect(m.up.map((s) => [s.sql, s.location.line, s.location.column])).toEqual([
      ['UPDATE orders SET total = 0 WHERE total IS NULL', 20, 13],
      ['DELETE FROM orders WHERE customer_id IS NULL', 21, 13],
    ]);
    expect(m.down?.map((s) => s.sql)).toEqual(['SELECT 1']);
  });

  it('leaves down undefined when Liquibase cannot roll a changeset back', () => {
    const m = byId(set, 'lars:4');
    expect(m.down).toBeUndefined();
    expect(m.changeTypes).toEqual([{ type: 'dropColumn', autoRollback: false }]);
  });

  it('derives rollbacks: reversed renames, a changeSetId reference, not-null and added columns', () => {
    expect(summary(byId(set, 'ana:9')).down).toEqual(['ALTER TABLE orders RENAME COLUMN amount TO total']);
    expect(summary(byId(set, 'ana:9b')).down).toEqual(['ALTER TABLE orders RENAME COLUMN total TO amount']);
    expect(summary(byId(set, 'ana:10')).down).toEqual(['ALTER TABLE orders ALTER COLUMN total DROP NOT NULL', 'ALTER TABLE orders DROP COLUMN status']);
    expect(byId(set, 'maria:tag-1.0')).toMatchObject({ up: [], down: [], changeTypes: [{ type: 'tagDatabase', autoRollback: true }] });
  });

  it('reads a sqlFile with its endDelimiter, pointing into the SQL file', () => {
    const m = byId(set, 'ana:11');
    expect(m.up.map((s) => [s.sql.split('\n')[0], s.location.file, s.location.line])).toEqual([
      ['CREATE VIEW order_report AS', 'sql/report_view.sql', 1],
      ["COMMENT ON VIEW order_report IS 'spend per customer'", 'sql/report_view.sql', 6],
    ]);
    expect(m.down?.map((s) => s.sql)).toEqual(['DROP VIEW order_report']);
  });

  it('generates the same changelog for MySQL when asked', () => {
    const mysql = readLiquibase(join(FIXTURES, 'xml'), 'db.changelog-master.xml', { dialect: 'mysql' });
    expect(summary(byId(mysql, 'maria:1')).up).toEqual([
      'CREATE TABLE customer (id bigint AUTO_INCREMENT NOT NULL, email varchar(255) NOT NULL UNIQUE, active BIT(1) DEFAULT 1, CONSTRAINT pk_customer PRIMARY KEY (id))',
    ]);
    expect(summary(byId(mysql, 'ana:10')).up[1]).toBe('ALTER TABLE orders MODIFY total decimal(10,2) NOT NULL');
  });
});

describe('readLiquibase: YAML tree', () => {
  const set = readLiquibase(join(FIXTURES, 'yaml'), 'db.changelog-master.yaml');

  it('follows include and includeAll and takes the dialect hint from dbms', () => {
    expect(set.problems).toEqual([]);
    expect(set.dialectHint).toBe('postgres');
    expect(set.migrations.map((m) => m.id)).toEqual(['maria:1', 'maria:2', 'lars:3', 'lars:4']);
    expect(byId(set, 'maria:1').description).toBe('Products and their prices');
  });

  it('generates SQL and rollbacks from YAML change maps, with YAML positions', () => {
    const m1 = byId(set, 'maria:1');
    expect(summary(m1)).toEqual({
      id: 'maria:1',
      up: ['CREATE TABLE product (id INTEGER GENERATED BY DEFAULT AS IDENTITY NOT NULL, sku varchar(40) NOT NULL, price decimal(10,2), PRIMARY KEY (id))', 'ALTER TABLE product ADD CONSTRAINT uq_product_sku UNIQUE (sku)'],
      down: ['ALTER TABLE product DROP CONSTRAINT uq_product_sku', 'DROP TABLE product'],
    });
    expect(m1.up.map((s) => [s.location.line, s.location.column])).toEqual([
      [8, 11],
      [25, 11],
    ]);
    expect(summary(byId(set, 'maria:2'))).toEqual({
      id: 'maria:2',
      up: ['ALTER TABLE product ADD stock INTEGER DEFAULT 0', "INSERT INTO product (sku, price) VALUES ('A-1', 9.5)"],
      down: ["DELETE FROM product WHERE sku = 'A-1'", 'ALTER TABLE product DROP COLUMN stock'],
    });
    expect(summary(byId(set, 'lars:3')).down).toBeUndefined();
    expect(summary(byId(set, 'lars:4'))).toEqual({ id: 'lars:4', up: ['CREATE INDEX idx_product_price ON product (price)', 'ANALYZE product'], down: ['DROP INDEX idx_product_price'] });
  });

  it('places statements of a YAML literal block and of a plain rollback string on their own lines', () => {
    const m = byId(set, 'lars:4');
    expect([...m.up, ...m.down!].map((s) => [s.location.file, s.location.line, s.location.column])).toEqual([
      ['changes/more/003-price.yaml', 23, 15],
      ['changes/more/003-price.yaml', 24, 15],
      ['changes/more/003-price.yaml', 25, 17],
    ]);
  });
});

describe('readLiquibase: JSON tree', () => {
  it('reads the JSON master and its include', () => {
    const set = readLiquibase(join(FIXTURES, 'json'), 'db.changelog-master.json');
    expect(set.problems).toEqual([]);
    expect(set.migrations.map(summary)).toEqual([
      { id: 'maria:1', up: ['CREATE TABLE invoice (id INTEGER NOT NULL, customer_id INTEGER, issued_at TIMESTAMP WITHOUT TIME ZONE, PRIMARY KEY (id))'], down: ['DROP TABLE invoice'] },
      {
        id: 'lars:2',
        up: ['ALTER TABLE invoice ADD CONSTRAINT fk_invoice_customer FOREIGN KEY (customer_id) REFERENCES customer (id) ON DELETE CASCADE', 'ALTER TABLE invoice ALTER COLUMN issued_at SET DEFAULT CURRENT_TIMESTAMP'],
        down: ['ALTER TABLE invoice ALTER COLUMN issued_at DROP DEFAULT', 'ALTER TABLE invoice DROP CONSTRAINT fk_invoice_customer'],
      },
    ]);
    expect(set.migrations[1]!.up[0]!.location).toEqual({ file: 'changes/002-fk.json', line: 9, column: 13, changeset: 'lars:2' });
  });
});

describe('readLiquibase: formatted SQL', () => {
  const set = readLiquibase(join(FIXTURES, 'formatted-sql'), 'changelog.xml');

  it('reads changesets, attributes, comments and rollback lines and blocks with exact positions', () => {
    expect(set.problems).toEqual([]);
    expect(set.dialectHint).toBe('mysql');
    expect(set.migrations.map(summary)).toEqual([
      {
        id: 'maria:1',
        up: ['CREATE TABLE account (\n  id INT AUTO_INCREMENT PRIMARY KEY,\n  name VARCHAR(100) NOT NULL\n)', 'CREATE INDEX idx_account_name ON account (name)'],
        down: ['DROP INDEX idx_account_name ON account', 'DROP TABLE account'],
      },
      { id: 'maria:2', up: ['ALTER TABLE account ADD COLUMN email VARCHAR(255)'], down: ['ALTER TABLE account DROP COLUMN email'] },
      { id: 'lars:3', up: ['UPDATE account SET name = TRIM(name)'], down: [] },
      { id: 'lars:4', up: ['CREATE TRIGGER account_name_upper BEFORE INSERT ON account\nFOR EACH ROW SET NEW.name = UPPER(NEW.name);'], down: undefined },
      { id: 'lars:5', up: ["DELETE FROM account WHERE name = ''"], down: undefined },
    ]);
    const m1 = byId(set, 'maria:1');
    expect(m1.description).toBe('Accounts table');
    expect(m1.up.map((s) => [s.location.line, s.location.column])).toEqual([
      [5, 1],
      [9, 1],
    ]);
    expect(m1.down!.map((s) => [s.location.line, s.location.column])).toEqual([
      [10, 12],
      [11, 12],
    ]);
    expect(byId(set, 'maria:2').transactional).toBe(false);
    const text = readFileSync(join(FIXTURES, 'formatted-sql/changes/001-accounts.sql'), 'utf8').split('\n');
    expect(text[8]!.startsWith('CREATE INDEX')).toBe(true);
  });
});

describe('readLiquibase: bad input', () => {
  const set = readLiquibase(join(FIXTURES, 'bad'), 'master.xml');
  const problem = (file: string): { ruleId: string; line: number; column: number; message: string } | undefined => {
    const p = set.problems.find((x) => x.location.file === file);
    return p && { ruleId: p.ruleId, line: p.location.line, column: p.location.column, message: p.message };
  };

  it('reports malformed XML, YAML and JSON with line and column', () => {
    expect(problem('malformed.xml')).toMatchObject({ ruleId: 'read-error', line: 6, column: 22 });
    expect(problem('malformed.xml')!.message).toMatch(/malformed XML/);
    expect(problem('malformed.yaml')).toMatchObject({ ruleId: 'read-error', line: 8 });
    const json = problem('malformed.json')!;
    expect(json).toMatchObject({ ruleId: 'read-error', line: 3 });
    const line = readFileSync(join(FIXTURES, 'bad/malformed.json'), 'utf8').split('\n')[json.line - 1]!;
    expect(line.slice(json.column - 1).startsWith('"changes"')).toBe(true);
  });

  it('refuses a DOCTYPE (XXE and billion laughs) without reading the entities', () => {
    expect(problem('xxe.xml')).toMatchObject({ ruleId: 'read-error', line: 2, column: 1 });
    expect(problem('xxe.xml')!.message).toMatch(/DOCTYPE is not allowed/);
    expect(problem('laughs.xml')).toMatchObject({ ruleId: 'read-error', line: 2, column: 1 });
    expect(JSON.stringify(set)).not.toMatch(/root:|lollol/);
  });

  it('refuses a YAML alias bomb', () => {
    expect(problem('bomb.yaml')).toMatchObject({ ruleId: 'read-error' });
    expect(problem('bomb.yaml')!.message).toMatch(/alias/i);
  });

  it('reports an include loop and includes outside the root at the include', () => {
    expect(set.problems.filter((p) => p.ruleId === 'include-loop').map((p) => [p.location.file, p.location.line, p.message])).toEqual([
      ['loop-b.xml', 6, 'include loop: loop-a.xml → loop-b.xml → loop-a.xml'],
    ]);
    expect(set.problems.filter((p) => p.ruleId === 'include-outside-root').map((p) => [p.location.file, p.location.line])).toEqual([
      ['master.xml', 10],
      ['master.xml', 11],
    ]);
  });

  it('reports an unknown change type and a changeset without id, and still reads the rest', () => {
    expect(set.problems.filter((p) => p.ruleId === 'unknown-change-type').map((p) => [p.location, p.migrationId])).toEqual([
      [{ file: 'master.xml', line: 13, column: 9, changeset: 'maria:good' }, 'maria:good'],
    ]);
    expect(set.problems.filter((p) => p.ruleId === 'invalid-changeset').map((p) => [p.location.line, p.message])).toEqual([[18, 'changeSet without an id: Liquibase refuses it']]);
    expect(set.migrations.map(summary)).toEqual([
      { id: 'maria:a', up: ['DROP TABLE old_a'], down: undefined },
      { id: 'maria:b', up: ['DROP TABLE old_b CASCADE'], down: undefined },
      { id: 'maria:good', up: ['CREATE TABLE kept (id INTEGER)'], down: undefined },
    ]);
    expect(byId(set, 'maria:good').changeTypes).toEqual([
      { type: 'createProcedure', autoRollback: false },
      { type: 'createTable', autoRollback: true },
    ]);
  });

  it('reports a missing changelog instead of throwing', () => {
    const missing = readLiquibase(join(FIXTURES, 'bad'), 'nope.xml');
    expect(missing.migrations).toEqual([]);
    expect(missing.problems.map((p) => [p.ruleId, p.message])).toEqual([['read-error', 'changelog nope.xml does not exist']]);
  });
});

describe('liquibaseReader in readMigrations', () => {
  it('detects a Liquibase folder and starts from its master changelog', async () => {
    const set = await readMigrations(join(FIXTURES, 'xml'));
    expect(set.format).toBe('liquibase');
    expect(set.problems).toEqual([]);
    expect(set.migrations.map((m) => m.id)).toEqual(['maria:1', 'maria:2', 'lars:3', 'lars:4', 'ana:9', 'ana:9b', 'ana:10', 'ana:11', 'maria:tag-1.0']);
  });

  it('reads a folder of formatted SQL files with no master, and takes the dialect from dbms', async () => {
    const set = await readMigrations(join(FIXTURES, 'formatted-sql/changes'));
    expect(set.format).toBe('liquibase');
    expect(set.dialectHint).toBe('mysql');
    expect(set.migrations.map((m) => m.id)).toEqual(['maria:1', 'maria:2', 'lars:3', 'lars:4', 'lars:5']);
    expect(set.migrations[0]!.up[0]!.location.file).toBe('001-accounts.sql');
  });
});
