import type { SchemaModel } from '../../../shared/domain/SchemaModel';
import { dialectFacts } from '../../../shared/dialect/dialectFacts';
import { askDialectFacts, exampleSchema } from './askDialectFacts';
import type { SchemaSelection } from './selectSchema';

/** The JSON every Ask answer is constrained to (a grammar for the local model). */
export const askAnswerSchema = {
  type: 'object',
  properties: {
    sql: { type: 'string' },
    explanation: { type: 'string' },
    tables: { type: 'array', items: { type: 'string' } },
  },
  required: ['sql', 'explanation', 'tables'],
  additionalProperties: false,
} as const;

export interface AskAnswer {
  sql: string;
  explanation: string;
  tables: string[];
}

/** What the model said before, and what was wrong with it, for the next try. */
export interface AskRetry {
  sql: string;
  problems: string[];
}

/** The system prompt without the schema, to measure what is left of the context for it. */
export function askSystemPreamble(model: Pick<SchemaModel, 'dialect' | 'serverVersion'>): string {
  const facts = askDialectFacts[model.dialect];
  const examples = facts.examples
    .map((e) => `Question: ${e.question}\nAnswer: ${JSON.stringify({ sql: e.sql, explanation: e.explanation, tables: e.tables })}`)
    .join('\n');
  return [
    `You write SQL for ${dialectFacts[model.dialect].label} ${model.serverVersion}. Answer a question about the database below with one query.`,
    'Rules:',
    '- Read only: one SELECT (or WITH … SELECT) statement; never INSERT, UPDATE, DELETE, DDL or more than one statement.',
    '- Always end with a LIMIT (100 unless the question asks for a number), except when the query aggregates to a single row.',
    '- Use only the tables and columns of the schema below, with their exact names.',
    `- ${facts.rules}`,
    '- Answer with JSON: {"sql": the query, "explanation": one or two plain sentences, "tables": the tables it reads}.',
    '',
    `Examples, for this schema:\n${exampleSchema}`,
    examples,
    '',
    'The database:',
  ].join('\n');
}

/**
 * The system prompt: the preamble and the selected schema. It depends only on the connection's schema and what
 * fits, never on the question, so it stays byte-identical across questions and the runtime reuses its KV cache.
 */
export function buildAskSystemPrompt(model: Pick<SchemaModel, 'dialect' | 'serverVersion'>, selection: Pick<SchemaSelection, 'ddl'>): string {
  return `${askSystemPreamble(model)}\n${selection.ddl || '(no table fits the context)'}\n`;
}

/** The user's part: the question and, on a retry, the previous answer and why it was refused. */
export function buildAskUserPrompt(question: string, retry?: AskRetry): string {
  const lines = [`Question: ${question}`];
  if (retry) {
    lines.push(
      '',
      `Your previous answer was: ${retry.sql || '(empty)'}`,
      'It was refused:',
      ...retry.problems.map((p) => `- ${p}`),
      'Answer again with a query that fixes these problems.',
    );
  }
  return lines.join('\n');
}
