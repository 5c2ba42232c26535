import { describe, expect, it } from 'vitest';
import type { SchemaModel, TableInfo } from '../../../shared/domain/SchemaModel';
import { blastRadius, foreignKeyGraph } from './blastRadius';

function table(schema: string, name: string, references: [string, string][] = []): TableInfo {
  return {
    schema,
    name,
    kind: 'table',
    columns: [],
    uniqueConstraints: [],
    checks: [],
    indexes: [],
    triggers: [],
    foreignKeys: references.map(([s, t]) => ({ columns: ['x'], referencedSchema: s, referencedTable: t, referencedColumns: ['id'], onUpdate: 'no action', onDelete: 'no action' })),
  };
}

const model: SchemaModel = {
  dialect: 'postgres',
  serverVersion: '15.4',
  database: 'shop',
  introspectedAt: '',
  schemas: [
    { name: 'public', views: [], routines: [], sequences: [], enums: [], tables: [table('public', 'users'), table('public', 'orders', [['public', 'users']]), table('public', 'lonely')] },
    { name: 'billing', views: [], routines: [], sequences: [], enums: [], tables: [table('billing', 'invoices', [['public', 'orders']]), table('billing', 'lines', [['billing', 'invoices']])] },
  ],
};

describe('blastRadius', () => {
  const graph = foreignKeyGraph(model);

  it('follows foreign keys in both directions, transitively and across schemas, leaving the table itself out', () => {
    expect(blastRadius(graph, ['public.users'], 'public.users')).toEqual(['billing.invoices', 'billing.lines', 'public.orders']);
    expect(blastRadius(graph, ['billing.lines'], 'billing.lines')).toEqual(['billing.invoices', 'public.orders', 'public.users']);
  });

  it('is empty for a table no key touches, and keeps a referenced seed of a new table', () => {
    expect(blastRadius(graph, ['public.lonely'], 'public.lonely')).toEqual([]);
    expect(blastRadius(graph, ['public.lonely', 'public.users'], 'public.lonely')).toEqual(['billing.invoices', 'billing.lines', 'public.orders', 'public.users']);
  });

  it('terminates on a cycle of foreign keys', () => {
    const cyclic = foreignKeyGraph({ ...model, schemas: [{ ...model.schemas[0]!, tables: [table('public', 'a', [['public', 'b']]), table('public', 'b', [['public', 'a']]), table('public', 'c', [['public', 'c']])] }] });
    expect(blastRadius(cyclic, ['public.a'], 'public.a')).toEqual(['public.b']);
    expect(blastRadius(cyclic, ['public.c'], 'public.c')).toEqual([]);
  });
});
