import { beforeAll, describe, expect, it } from 'vitest';
import type { SchemaModel } from '../../../shared/domain/SchemaModel';
import { StatementParser } from '../../review/parse/StatementParser';
import { askDialectFacts } from './askDialectFacts';
import { buildAskSystemPrompt, buildAskUserPrompt } from './buildAskPrompt';
import { demoSchemaForTests } from './demoSchemaForTests';
import { selectSchema } from './selectSchema';
import { validateSql } from './validateSql';

let demo: SchemaModel;
beforeAll(async () => {
  demo = await demoSchemaForTests();
});

describe('buildAskPrompt', () => {
  it('holds the dialect, its version, the rules and the schema, and never the question', () => {
    const selection = selectSchema(demo, { question: 'late orders', budgetTokens: 100_000 });
    const system = buildAskSystemPrompt(demo, selection);
    expect(system).toContain(`You write SQL for SQLite ${demo.serverVersion}.`);
    expect(system).toMatch(/Read only: one SELECT/);
    expect(system).toMatch(/Always end with a LIMIT/);
    expect(system).toContain(selection.ddl);
    expect(system).not.toContain('late orders');
    // Byte-identical for another question, so the runtime reuses the KV cache of this prefix.
    expect(buildAskSystemPrompt(demo, selectSchema(demo, { question: 'best customers', budgetTokens: 100_000 }))).toBe(system);
  });

  it('puts the question, and on a retry the refused SQL and its problems, in the user prompt', () => {
    expect(buildAskUserPrompt('late orders')).toBe('Question: late orders');
    const retry = buildAskUserPrompt('late orders', { sql: 'SELECT x FROM y', problems: ['Table y does not exist.'] });
    expect(retry).toContain('Your previous answer was: SELECT x FROM y');
    expect(retry).toContain('- Table y does not exist.');
  });

  it("each dialect's few-shot examples pass validateSql against the schema they are written for", async () => {
    const parser = await StatementParser.create();
    try {
      const column = (name: string, ordinal: number) => ({ name, ordinal, dataType: 'integer', nullable: true });
      const table = (name: string, cols: string[]) => ({
        schema: 'app',
        name,
        kind: 'table' as const,
        columns: cols.map(column),
        uniqueConstraints: [],
        foreignKeys: [],
        checks: [],
        indexes: [],
        triggers: [],
      });
      for (const dialect of ['postgres', 'mysql', 'sqlite'] as const) {
        const model: SchemaModel = {
          dialect,
          serverVersion: '1',
          database: 'app',
          introspectedAt: '',
          schemas: [{ name: 'app', tables: [table('employees', ['id', 'name', 'department_id', 'salary', 'hired_on']), table('departments', ['id', 'name'])], views: [], routines: [], sequences: [], enums: [] }],
        };
        for (const example of askDialectFacts[dialect].examples) {
          expect(validateSql(example.sql, model, parser), `${dialect}: ${example.sql}`).toMatchObject({ valid: true, problems: [] });
        }
      }
    } finally {
      parser.dispose();
    }
  });
});
