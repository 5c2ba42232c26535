import { beforeAll, describe, expect, it } from 'vitest';
import type { SchemaModel, TableInfo } from '../../../shared/domain/SchemaModel';
import { demoSchemaForTests } from './demoSchemaForTests';
import { identifierWords, stemWord } from './identifierWords';
import { relevance, selectSchema } from './selectSchema';
import { schemaObjects } from './schemaObjects';

let demo: SchemaModel;
beforeAll(async () => {
  demo = await demoSchemaForTests();
});

describe('identifierWords', () => {
  it('splits identifiers on underscores and case, stems plurals, and drops stop words', () => {
    expect(identifierWords('order_items')).toEqual(['order', 'item']);
    expect(identifierWords('customerId')).toEqual(['customer', 'id']);
    expect(identifierWords('Which categories have the most orders?')).toEqual(['category', 'order']);
    expect(stemWord('addresses')).toBe('address');
    expect(stemWord('status')).toBe('status');
  });
});

describe('selectSchema', () => {
  it('keeps the whole schema, in its own order, whatever the question, when it fits', () => {
    const a = selectSchema(demo, { question: 'top customers', budgetTokens: 100_000 });
    const b = selectSchema(demo, { question: 'warehouse stock', budgetTokens: 100_000 });
    expect(a.ddl).toBe(b.ddl);
    expect(a.trimmed).toBeUndefined();
    expect(a.omitted).toEqual([]);
    expect(a.objects.map((o) => o.name)).toEqual([...demo.schemas[0]!.tables.map((t) => t.name), ...demo.schemas[0]!.views.map((v) => v.name)]);
    expect(a.ddl).toContain('CREATE TABLE order_items (order_id INTEGER REFERENCES orders(id)');
    expect(a.ddl).toContain('PRIMARY KEY (order_id, line_no)');
  });

  it('ranks by the question when the schema does not fit: named tables first, then their foreign-key neighbours', () => {
    const full = selectSchema(demo, { question: 'x', budgetTokens: 100_000 });
    const budget = Math.floor(full.ddl.length / 4 / 3);
    const s = selectSchema(demo, { question: 'Which customers placed the most orders last month?', budgetTokens: budget });
    const names = s.objects.map((o) => o.name);
    expect(names).toContain('customers');
    expect(names).toContain('orders');
    expect(names.length).toBeLessThan(full.objects.length);
    expect(s.omitted.length + names.length).toBe(full.objects.length);
    expect(s.trimmed).toMatch(new RegExp(`^The schema has ${full.objects.length} tables and views; the ${names.length} most relevant`));
    expect(s.trimmed).toContain(s.omitted[0]!);
    const cost = s.ddl.split('\n').reduce((sum, line) => sum + Math.ceil(line.length / 4) + 1, 0);
    expect(cost).toBeLessThanOrEqual(budget);
  });

  it('matches identifier words: "order items" finds order_items first, its foreign-key neighbours next, unrelated tables last', () => {
    const objects = schemaObjects(demo);
    const scores = relevance(objects, 'average quantity of order items');
    const score = (name: string): number => scores[objects.findIndex((o) => o.name === name)]!;
    expect(Math.max(...scores)).toBe(score('order_items'));
    expect(score('products')).toBeGreaterThan(0);
    expect(score('orders')).toBeGreaterThan(score('products'));
    expect(score('audit_events')).toBe(0);
    const s = selectSchema(demo, { question: 'average quantity of order items', budgetTokens: 150 });
    expect(s.objects.map((o) => o.name)).toContain('order_items');
  });

  it('uses the tokenizer it is given and says so when nothing fits', () => {
    const s = selectSchema(demo, { question: 'orders', budgetTokens: 5, countTokens: (t) => t.length });
    expect(s.objects).toEqual([]);
    expect(s.ddl).toBe('');
    expect(s.trimmed).toMatch(/does not fit the model's context: none of it is in the prompt/);
  });

  it('qualifies tables outside the default schema and quotes names that need it', () => {
    const table = (schema: string, name: string): TableInfo => ({
      schema,
      name,
      kind: 'table',
      columns: [{ name: 'Id', ordinal: 1, dataType: 'integer', nullable: false }],
      uniqueConstraints: [],
      foreignKeys: [],
      checks: [],
      indexes: [],
      triggers: [],
    });
    const model: SchemaModel = {
      dialect: 'postgres',
      serverVersion: '15.4',
      database: 'shop',
      introspectedAt: '',
      schemas: [
        { name: 'public', tables: [table('public', 'orders')], views: [], routines: [], sequences: [], enums: [] },
        { name: 'billing', tables: [table('billing', 'Invoices')], views: [], routines: [], sequences: [], enums: [] },
      ],
    };
    const s = selectSchema(model, { question: 'invoices', budgetTokens: 1000 });
    expect(s.ddl).toBe('CREATE TABLE orders ("Id" integer);\nCREATE TABLE billing."Invoices" ("Id" integer);');
  });
});
