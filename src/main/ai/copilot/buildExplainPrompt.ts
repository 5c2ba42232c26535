import type { SchemaModel } from '../../../shared/domain/SchemaModel';
import { dialectFacts } from '../../../shared/dialect/dialectFacts';

/** The JSON every Explain answer is constrained to; an empty fixedSql means the model proposes no change. */
export const explainAnswerSchema = {
  type: 'object',
  properties: {
    explanation: { type: 'string' },
    fixedSql: { type: 'string' },
  },
  required: ['explanation', 'fixedSql'],
  additionalProperties: false,
} as const;

export interface ExplainAnswer {
  explanation: string;
  fixedSql: string;
}

/** The system prompt without the schema. Depends only on the connection, so its KV cache is reused. */
export function explainSystemPreamble(model: Pick<SchemaModel, 'dialect' | 'serverVersion'> | undefined): string {
  const target = model ? `${dialectFacts[model.dialect].label} ${model.serverVersion}` : 'SQL databases';
  return [
    `You explain SQL for ${target} to someone who knows the data but not every corner of SQL.`,
    '- Say in plain words what the query does, step by step, in a few sentences.',
    '- When it failed, say why in plain words, and propose a corrected statement that does what was meant.',
    '- When it is likely wrong or slow (a missing join condition, a function on an indexed column), say so and propose a fix.',
    '- Keep a fix as close to the original as possible; never turn a read into a write.',
    '- Answer with JSON: {"explanation": plain words, "fixedSql": the corrected statement, or "" when nothing needs fixing}.',
    '',
    model ? 'The database:' : '',
  ].join('\n');
}

export function buildExplainSystemPrompt(model: Pick<SchemaModel, 'dialect' | 'serverVersion'> | undefined, ddl: string): string {
  return model ? `${explainSystemPreamble(model)}\n${ddl || '(no table fits the context)'}\n` : explainSystemPreamble(undefined);
}

/** The user's part: the query, the error it gave and, on a retry, why the proposed fix was refused. */
export function buildExplainUserPrompt(sql: string, error: string | undefined, retry?: { fixedSql: string; problems: string[] }): string {
  const lines = ['Query:', sql];
  if (error) lines.push('', `It failed with: ${error}`);
  if (retry) {
    lines.push('', `Your proposed fix was: ${retry.fixedSql}`, 'It was refused:', ...retry.problems.map((p) => `- ${p}`), 'Answer again.');
  }
  return lines.join('\n');
}
