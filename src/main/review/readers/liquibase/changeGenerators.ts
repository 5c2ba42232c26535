import type { Dialect } from '../../../../shared/domain/connection';
import type { SourceLocation } from '../../../../shared/domain/review';
import { dialectFacts } from '../../../../shared/dialect/dialectFacts';
import type { ChangeSqlFacts } from './changeSqlFacts';
import { textOf, type LiquibaseNode, type TextPlace } from './LiquibaseNode';
import { ChangeError, columnsOf, dataType, fill, isTrue, list, required, sqlString, tableRef, templateFor, valueOf } from './sqlValues';

/** A statement with its own place, when it is not the change element's (SQL text, a sqlFile). */
export interface PlacedStatement {
  sql: string;
  location: SourceLocation;
}

export interface ChangeContext {
  dialect: Dialect;
  facts: ChangeSqlFacts;
  /** Split SQL text of this change (sql, rollback text) as the changeset's attributes say. */
  sqlText(text: string, attrs: Record<string, string>, where: TextSource | undefined): PlacedStatement[];
  /** Read and split a sqlFile's file. */
  sqlFile(path: string, relativeToChangelogFile: boolean, attrs: Record<string, string>): PlacedStatement[];
}

/** Where SQL text is: an offset when it is the file's characters verbatim, else the place its lines map to. */
export type TextSource = { offset: number; place?: undefined } | { offset?: undefined; place: TextPlace };

/** The TextSource of a node's text, or of one of its attributes. */
export function textSourceOf(n: LiquibaseNode, attr?: string): TextSource | undefined {
  if (attr !== undefined) {
    const place = n.attrPlaces?.[attr];
    return place ? { place } : undefined;
  }
  if (n.textOffset !== undefined) return { offset: n.textOffset };
  return n.textPlace ? { place: n.textPlace } : undefined;
}

export type ChangeGenerator = (change: LiquibaseNode, ctx: ChangeContext) => (string | PlacedStatement)[];

const label = (ctx: ChangeContext): string => dialectFacts[ctx.dialect].label;

function columnDefinition(col: LiquibaseNode, ctx: ChangeContext, inlinePk: boolean): string {
  const name = required(col, 'name');
  const type = dataType(required(col, 'type'), ctx.facts);
  const cons = col.children.find((c) => c.name === 'constraints');
  const auto = isTrue(col.attrs.autoIncrement);
  let sql = `${name} ${type}`;
  if (inlinePk) sql += ' PRIMARY KEY';
  if (auto) {
    if (ctx.facts.inlinePrimaryKeyForAutoIncrement && !inlinePk) throw new ChangeError(`autoIncrement on ${name} needs it to be the single primary key column on ${label(ctx)}`);
    sql += ctx.facts.autoIncrement;
  }
  const def = valueOf(col, ctx.facts, 'defaultValue');
  if (def !== undefined) sql += ` DEFAULT ${def}`;
  if (cons && !inlinePk && (cons.attrs.nullable?.trim().toLowerCase() === 'false' || isTrue(cons.attrs.primaryKey))) sql += ' NOT NULL';
  if (cons && isTrue(cons.attrs.unique)) sql += cons.attrs.uniqueConstraintName ? ` CONSTRAINT ${cons.attrs.uniqueConstraintName} UNIQUE` : ' UNIQUE';
  if (cons?.attrs.checkConstraint) sql += ` CHECK (${cons.attrs.checkConstraint})`;
  return sql;
}

/** `REFERENCES t(c)` from references="t(c)" or referencedTableName + referencedColumnNames, with ON DELETE/UPDATE. */
function references(cons: LiquibaseNode): string {
  let target = cons.attrs.references;
  if (!target) {
    const table = cons.attrs.referencedTableName;
    const cols = cons.attrs.referencedColumnNames;
    if (!table || !cols) throw new ChangeError('a foreign key needs references="table(column)" or referencedTableName and referencedColumnNames');
    target = `${table}(${list(cols)})`;
  }
  let sql = `REFERENCES ${target}`;
  if (isTrue(cons.attrs.deleteCascade)) sql += ' ON DELETE CASCADE';
  return sql;
}

function referentialActions(n: LiquibaseNode): string {
  let sql = '';
  if (n.attrs.onDelete) sql += ` ON DELETE ${n.attrs.onDelete}`;
  if (n.attrs.onUpdate) sql += ` ON UPDATE ${n.attrs.onUpdate}`;
  return sql;
}

function createTable(n: LiquibaseNode, ctx: ChangeContext): string[] {
  const cols = columnsOf(n);
  if (cols.length === 0) throw new ChangeError('createTable needs at least one column');
  const pkCols = cols.filter((c) => isTrue(c.children.find((k) => k.name === 'constraints')?.attrs.primaryKey));
  const inlinePk = ctx.facts.inlinePrimaryKeyForAutoIncrement && pkCols.length === 1 && isTrue(pkCols[0]!.attrs.autoIncrement);
  const parts = cols.map((c) => columnDefinition(c, ctx, inlinePk && c === pkCols[0]));
  if (pkCols.length > 0 && !inlinePk) {
    const pkName = pkCols.map((c) => c.children.find((k) => k.name === 'constraints')?.attrs.primaryKeyName).find((x) => x);
    parts.push(`${pkName ? `CONSTRAINT ${pkName} ` : ''}PRIMARY KEY (${pkCols.map((c) => c.attrs.name).join(', ')})`);
  }
  for (const c of cols) {
    const cons = c.children.find((k) => k.name === 'constraints');
    if (!cons || (!cons.attrs.references && !cons.attrs.referencedTableName)) continue;
    parts.push(`${cons.attrs.foreignKeyName ? `CONSTRAINT ${cons.attrs.foreignKeyName} ` : ''}FOREIGN KEY (${c.attrs.name}) ${references(cons)}`);
  }
  return [`CREATE TABLE ${tableRef(n)} (${parts.join(', ')})`];
}

function addColumn(n: LiquibaseNode, ctx: ChangeContext): string[] {
  const t = tableRef(n);
  const cols = columnsOf(n);
  if (cols.length === 0) throw new ChangeError('addColumn needs at least one column');
  const out: string[] = [];
  for (const c of cols) {
    out.push(`ALTER TABLE ${t} ADD ${columnDefinition(c, ctx, false)}`);
    const cons = c.children.find((k) => k.name === 'constraints');
    if (cons && (cons.attrs.references || cons.attrs.referencedTableName)) {
      const tpl = templateFor(ctx.facts.addForeignKey, 'a foreign key on an added column', label(ctx));
      out.push(fill(tpl, { t, n: cons.attrs.foreignKeyName ?? `fk_${n.attrs.tableName}_${c.attrs.name}`, fk: `FOREIGN KEY (${c.attrs.name}) ${references(cons)}` }));
    }
    // A value on an added column fills the existing rows, as Liquibase does with an UPDATE after the ADD.
    const v = valueOf(c, ctx.facts, 'value');
    if (v !== undefined) out.push(`UPDATE ${t} SET ${c.attrs.name} = ${v}`);
  }
  return out;
}

function dropColumn(n: LiquibaseNode): string[] {
  const t = tableRef(n);
  const names = n.attrs.columnName ? [n.attrs.columnName] : columnsOf(n).map((c) => required(c, 'name'));
  if (names.length === 0) throw new ChangeError('dropColumn needs columnName or column children');
  return names.map((c) => `ALTER TABLE ${t} DROP COLUMN ${c}`);
}

function renameColumn(n: LiquibaseNode): string[] {
  return [`ALTER TABLE ${tableRef(n)} RENAME COLUMN ${required(n, 'oldColumnName')} TO ${required(n, 'newColumnName')}`];
}

function renameTable(n: LiquibaseNode, ctx: ChangeContext): string[] {
  return [fill(ctx.facts.renameTable, { t: tableRef(n, 'oldTableName'), n: required(n, 'newTableName') })];
}

function dropTable(n: LiquibaseNode, ctx: ChangeContext): string[] {
  const t = tableRef(n);
  return [isTrue(n.attrs.cascadeConstraints) ? fill(ctx.facts.dropTableCascade, { t }) : `DROP TABLE ${t}`];
}

function createIndex(n: LiquibaseNode): string[] {
  const cols = columnsOf(n).map((c) => `${required(c, 'name')}${isTrue(c.attrs.descending) ? ' DESC' : ''}`);
  if (cols.length === 0) throw new ChangeError('createIndex needs at least one column');
  return [`CREATE ${isTrue(n.attrs.unique) ? 'UNIQUE ' : ''}INDEX ${required(n, 'indexName')} ON ${tableRef(n)}(${cols.join(', ')})`];
}

function dropIndex(n: LiquibaseNode, ctx: ChangeContext): string[] {
  if (ctx.facts.dropIndex.includes('{t}') && !n.attrs.tableName) throw new ChangeError(`dropIndex needs tableName on ${label(ctx)}`);
  return [fill(ctx.facts.dropIndex, { n: required(n, 'indexName'), t: n.attrs.tableName ? tableRef(n) : '' })];
}

function addForeignKeyConstraint(n: LiquibaseNode, ctx: ChangeContext): string[] {
  const tpl = templateFor(ctx.facts.addForeignKey, 'addForeignKeyConstraint', label(ctx));
  const ref = n.attrs.referencedTableSchemaName ? `${n.attrs.referencedTableSchemaName}.${required(n, 'referencedTableName')}` : required(n, 'referencedTableName');
  const fk = `FOREIGN KEY (${list(required(n, 'baseColumnNames'))}) REFERENCES ${ref} (${list(required(n, 'referencedColumnNames'))})${referentialActions(n)}`;
  return [fill(tpl, { t: tableRef(n, 'baseTableName', 'baseTableSchemaName'), n: required(n, 'constraintName'), fk })];
}

function dropForeignKeyConstraint(n: LiquibaseNode, ctx: ChangeContext): string[] {
  const tpl = templateFor(ctx.facts.dropForeignKey, 'dropForeignKeyConstraint', label(ctx));
  return [fill(tpl, { t: tableRef(n, 'baseTableName', 'baseTableSchemaName'), n: required(n, 'constraintName') })];
}

function addUniqueConstraint(n: LiquibaseNode, ctx: ChangeContext): string[] {
  const tpl = templateFor(ctx.facts.addUnique, 'addUniqueConstraint', label(ctx));
  const name = n.attrs.constraintName ?? `uc_${required(n, 'tableName')}_${list(required(n, 'columnNames')).replace(/, /g, '_')}`;
  return [fill(tpl, { t: tableRef(n), n: name, c: list(required(n, 'columnNames')) })];
}

function dropUniqueConstraint(n: LiquibaseNode, ctx: ChangeContext): string[] {
  const tpl = templateFor(ctx.facts.dropUnique, 'dropUniqueConstraint', label(ctx));
  return [fill(tpl, { t: tableRef(n), n: required(n, 'constraintName') })];
}

function addPrimaryKey(n: LiquibaseNode, ctx: ChangeContext): string[] {
  const tpl = templateFor(ctx.facts.addPrimaryKey, 'addPrimaryKey', label(ctx));
  const name = n.attrs.constraintName ?? fill(ctx.facts.defaultPrimaryKeyName ?? 'pk_{table}', { table: required(n, 'tableName') });
  return [fill(tpl, { t: tableRef(n), n: name, c: list(required(n, 'columnNames')) })];
}

function dropPrimaryKey(n: LiquibaseNode, ctx: ChangeContext): string[] {
  const tpl = templateFor(ctx.facts.dropPrimaryKey, 'dropPrimaryKey', label(ctx));
  const name = n.attrs.constraintName ?? fill(ctx.facts.defaultPrimaryKeyName ?? 'pk_{table}', { table: required(n, 'tableName') });
  return [fill(tpl, { t: tableRef(n), n: name })];
}

/** Templates that restate the column (MySQL MODIFY) need its type; the others do not. */
function columnTemplate(tpl: string, n: LiquibaseNode, ctx: ChangeContext, extra: Record<string, string> = {}): string {
  const type = n.attrs.columnDataType ?? n.attrs.newDataType;
  if (tpl.includes('{type}') && !type) throw new ChangeError(`${n.name} needs columnDataType on ${label(ctx)}`);
  return fill(tpl, { t: tableRef(n), c: required(n, 'columnName'), type: type ? dataType(type, ctx.facts) : '', ...extra });
}

function addNotNullConstraint(n: LiquibaseNode, ctx: ChangeContext): string[] {
  const tpl = templateFor(ctx.facts.setNotNull, 'addNotNullConstraint', label(ctx));
  const out: string[] = [];
  // defaultNullValue fills the NULLs first, so the constraint can be added to a table with data.
  if (n.attrs.defaultNullValue !== undefined) out.push(`UPDATE ${tableRef(n)} SET ${required(n, 'columnName')} = ${sqlString(n.attrs.defaultNullValue)} WHERE ${n.attrs.columnName} IS NULL`);
  out.push(columnTemplate(tpl, n, ctx));
  return out;
}

function dropNotNullConstraint(n: LiquibaseNode, ctx: ChangeContext): string[] {
  return [columnTemplate(templateFor(ctx.facts.dropNotNull, 'dropNotNullConstraint', label(ctx)), n, ctx)];
}

function modifyDataType(n: LiquibaseNode, ctx: ChangeContext): string[] {
  required(n, 'newDataType');
  return [columnTemplate(templateFor(ctx.facts.modifyDataType, 'modifyDataType', label(ctx)), n, ctx)];
}

function addDefaultValue(n: LiquibaseNode, ctx: ChangeContext): string[] {
  const v = valueOf(n, ctx.facts, 'defaultValue');
  if (v === undefined) throw new ChangeError('addDefaultValue needs defaultValue, defaultValueNumeric, defaultValueBoolean, defaultValueDate or defaultValueComputed');
  return [columnTemplate(templateFor(ctx.facts.setDefault, 'addDefaultValue', label(ctx)), n, ctx, { v })];
}

function dropDefaultValue(n: LiquibaseNode, ctx: ChangeContext): string[] {
  return [columnTemplate(templateFor(ctx.facts.dropDefault, 'dropDefaultValue', label(ctx)), n, ctx)];
}

function createView(n: LiquibaseNode, ctx: ChangeContext): string[] {
  const select = (textOf(n, 'selectQuery') ?? n.text).trim();
  if (!select) throw new ChangeError('createView needs its select query');
  const name = tableRef(n, 'viewName');
  if (!isTrue(n.attrs.replaceIfExists)) return [`CREATE VIEW ${name} AS ${select}`];
  // Without CREATE OR REPLACE (SQLite) a replace is a drop and a create.
  if (ctx.facts.createOrReplaceView === null) return [`DROP VIEW IF EXISTS ${name}`, `CREATE VIEW ${name} AS ${select}`];
  return [fill(ctx.facts.createOrReplaceView, { n: name, v: select })];
}

function dropView(n: LiquibaseNode): string[] {
  return [`DROP VIEW ${tableRef(n, 'viewName')}`];
}

function createSequence(n: LiquibaseNode, ctx: ChangeContext): string[] {
  let sql = fill(templateFor(ctx.facts.createSequence, 'createSequence', label(ctx)), { n: tableRef(n, 'sequenceName') });
  const a = n.attrs;
  if (a.startValue) sql += ` START WITH ${a.startValue}`;
  if (a.incrementBy) sql += ` INCREMENT BY ${a.incrementBy}`;
  if (a.minValue) sql += ` MINVALUE ${a.minValue}`;
  if (a.maxValue) sql += ` MAXVALUE ${a.maxValue}`;
  if (isTrue(a.cycle)) sql += ' CYCLE';
  return [sql];
}

function dropSequence(n: LiquibaseNode, ctx: ChangeContext): string[] {
  return [fill(templateFor(ctx.facts.dropSequence, 'dropSequence', label(ctx)), { n: tableRef(n, 'sequenceName') })];
}

function addAutoIncrement(n: LiquibaseNode, ctx: ChangeContext): string[] {
  return [columnTemplate(templateFor(ctx.facts.addAutoIncrement, 'addAutoIncrement', label(ctx)), n, ctx)];
}

function insert(n: LiquibaseNode, ctx: ChangeContext): string[] {
  const cols = columnsOf(n);
  if (cols.length === 0) throw new ChangeError('insert needs at least one column');
  const values = cols.map((c) => valueOf(c, ctx.facts, 'value') ?? 'NULL');
  return [`INSERT INTO ${tableRef(n)} (${cols.map((c) => required(c, 'name')).join(', ')}) VALUES (${values.join(', ')})`];
}

function whereClause(n: LiquibaseNode): string {
  const where = textOf(n, 'where')?.trim();
  return where ? ` WHERE ${where}` : '';
}

function update(n: LiquibaseNode, ctx: ChangeContext): string[] {
  const cols = columnsOf(n);
  if (cols.length === 0) throw new ChangeError('update needs at least one column');
  const sets = cols.map((c) => `${required(c, 'name')} = ${valueOf(c, ctx.facts, 'value') ?? 'NULL'}`);
  return [`UPDATE ${tableRef(n)} SET ${sets.join(', ')}${whereClause(n)}`];
}

function deleteRows(n: LiquibaseNode): string[] {
  return [`DELETE FROM ${tableRef(n)}${whereClause(n)}`];
}

function sql(n: LiquibaseNode, ctx: ChangeContext): PlacedStatement[] {
  const fromAttr = n.attrs.sql;
  return ctx.sqlText(fromAttr ?? n.text, n.attrs, textSourceOf(n, fromAttr === undefined ? undefined : 'sql'));
}

function sqlFile(n: LiquibaseNode, ctx: ChangeContext): PlacedStatement[] {
  return ctx.sqlFile(required(n, 'path'), isTrue(n.attrs.relativeToChangelogFile), n.attrs);
}

/** Change types Quarry turns into SQL, one generator each; anything else is reported as unknown. */
export const changeGenerators: Record<string, ChangeGenerator> = {
  createTable,
  addColumn,
  dropColumn,
  renameColumn,
  renameTable,
  dropTable,
  createIndex,
  dropIndex,
  addForeignKeyConstraint,
  dropForeignKeyConstraint,
  addUniqueConstraint,
  dropUniqueConstraint,
  addPrimaryKey,
  dropPrimaryKey,
  addNotNullConstraint,
  dropNotNullConstraint,
  modifyDataType,
  addDefaultValue,
  dropDefaultValue,
  createView,
  dropView,
  createSequence,
  dropSequence,
  addAutoIncrement,
  insert,
  update,
  delete: deleteRows,
  sql,
  sqlFile,
  tagDatabase: () => [],
  // Empty change, used as a placeholder changeset.
  empty: () => [],
  output: () => [],
};
