import type { LiquibaseNode } from './LiquibaseNode';
import { columnsOf } from './sqlValues';

type Inverse = (change: LiquibaseNode) => LiquibaseNode[];

function inverse(name: string, from: LiquibaseNode, attrs: Record<string, string | undefined>): LiquibaseNode {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) clean[k] = v;
  return { name, attrs: clean, children: [], text: '', position: from.position };
}

const copy = (n: LiquibaseNode, keys: string[]): Record<string, string | undefined> => Object.fromEntries(keys.map((k) => [k, n.attrs[k]]));

/**
 * The changes Liquibase generates by itself to roll a change back (its Change.createInverses), as change nodes
 * so they go through the same generators. A type missing here (dropTable, dropColumn, sql, sqlFile, insert,
 * update, delete, modifyDataType, addAutoIncrement …) cannot be rolled back without a rollback block.
 */
export const autoRollback: Record<string, Inverse> = {
  createTable: (n) => [inverse('dropTable', n, copy(n, ['tableName', 'schemaName']))],
  addColumn: (n) => columnsOf(n).map((c) => inverse('dropColumn', n, { ...copy(n, ['tableName', 'schemaName']), columnName: c.attrs.name })).reverse(),
  createIndex: (n) => [inverse('dropIndex', n, copy(n, ['indexName', 'tableName', 'schemaName']))],
  renameColumn: (n) => [inverse('renameColumn', n, { ...copy(n, ['tableName', 'schemaName', 'columnDataType']), oldColumnName: n.attrs.newColumnName, newColumnName: n.attrs.oldColumnName })],
  renameTable: (n) => [inverse('renameTable', n, { schemaName: n.attrs.schemaName, oldTableName: n.attrs.newTableName, newTableName: n.attrs.oldTableName })],
  addForeignKeyConstraint: (n) => [inverse('dropForeignKeyConstraint', n, copy(n, ['baseTableName', 'baseTableSchemaName', 'constraintName']))],
  addUniqueConstraint: (n) => [inverse('dropUniqueConstraint', n, copy(n, ['tableName', 'schemaName', 'constraintName']))],
  addPrimaryKey: (n) => [inverse('dropPrimaryKey', n, copy(n, ['tableName', 'schemaName', 'constraintName']))],
  addNotNullConstraint: (n) => [inverse('dropNotNullConstraint', n, copy(n, ['tableName', 'schemaName', 'columnName', 'columnDataType']))],
  dropNotNullConstraint: (n) => [inverse('addNotNullConstraint', n, copy(n, ['tableName', 'schemaName', 'columnName', 'columnDataType']))],
  addDefaultValue: (n) => [inverse('dropDefaultValue', n, copy(n, ['tableName', 'schemaName', 'columnName', 'columnDataType']))],
  createView: (n) => [inverse('dropView', n, copy(n, ['viewName', 'schemaName']))],
  createSequence: (n) => [inverse('dropSequence', n, copy(n, ['sequenceName', 'schemaName']))],
  tagDatabase: () => [],
  empty: () => [],
  output: () => [],
};
