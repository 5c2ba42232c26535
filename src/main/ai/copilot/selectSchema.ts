import type { SchemaModel } from '../../../shared/domain/SchemaModel';
import { identifierWords } from './identifierWords';
import { compactDdl, schemaObjects, type SchemaObject } from './schemaObjects';

export interface SelectSchemaOptions {
  question: string;
  /** Tokens the schema's DDL may take in the prompt. */
  budgetTokens: number;
  /** Tokens a text takes with the model's tokenizer. Defaults to a rough 4 characters a token. */
  countTokens?: (text: string) => number;
}

export interface SchemaSelection {
  /** The objects in the prompt, in the model's order (not by rank), so the same selection gives the same prompt. */
  objects: SchemaObject[];
  /** Their compact DDL, one line each. */
  ddl: string;
  /** Names of the objects left out (qualified outside the default schema), most relevant first. */
  omitted: string[];
  /** Set when objects were left out: says how many and which, for the user. */
  trimmed?: string;
}

const roughTokens = (text: string): number => Math.ceil(text.length / 4);

/**
 * Chooses the part of a schema the model sees for a question. When the whole schema fits the budget it is all
 * there, whatever the question, so the system prompt stays byte-identical and the runtime reuses its KV cache.
 * When it does not, tables are ranked: words of the question in a table's name count most, in its columns'
 * names less, and the tables a matched table references or is referenced by (its foreign-key neighbours)
 * follow, since a join needs them; then as many as fit are taken in that order.
 */
export function selectSchema(model: SchemaModel, options: SelectSchemaOptions): SchemaSelection {
  const count = options.countTokens ?? roughTokens;
  const all = schemaObjects(model);
  const lines = all.map((o) => compactDdl(o, model.dialect, all));
  const costs = lines.map((l) => count(l) + 1);
  const total = costs.reduce((a, b) => a + b, 0);
  if (total <= options.budgetTokens) return { objects: all, ddl: lines.join('\n'), omitted: [] };

  const scores = relevance(all, options.question);
  const ranked = all.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const chosen = new Set<number>();
  let used = 0;
  for (const i of ranked) {
    if (used + costs[i]! > options.budgetTokens) continue;
    chosen.add(i);
    used += costs[i]!;
  }
  const kept = all.map((_, i) => i).filter((i) => chosen.has(i));
  const omitted = ranked.filter((i) => !chosen.has(i)).map((i) => (all[i]!.unqualified ? all[i]!.name : `${all[i]!.schema}.${all[i]!.name}`));
  const shown = omitted.slice(0, 10).join(', ');
  const trimmed =
    kept.length === 0
      ? `The schema (${all.length} tables and views) does not fit the model's context: none of it is in the prompt.`
      : `The schema has ${all.length} tables and views; ${kept.length === 1 ? 'only the one' : `the ${kept.length}`} most relevant to the question fit the model's context. Left out: ${shown}${omitted.length > 10 ? ` and ${omitted.length - 10} more` : ''}.`;
  return { objects: kept.map((i) => all[i]!), ddl: kept.map((i) => lines[i]!).join('\n'), omitted, trimmed };
}

/** A score per object, higher for the ones the question is more likely about. */
export function relevance(objects: readonly SchemaObject[], question: string): number[] {
  const asked = new Set(identifierWords(question));
  const direct = objects.map((o) => {
    const nameWords = identifierWords(o.name);
    const hits = nameWords.filter((w) => asked.has(w)).length;
    let score = hits * 10 + (hits > 0 && hits === nameWords.length ? 5 : 0);
    const columnHits = new Set(o.columns.flatMap((c) => identifierWords(c.name)).filter((w) => w !== 'id' && asked.has(w)));
    score += Math.min(columnHits.size, 5) * 2;
    if (o.comment) score += identifierWords(o.comment).filter((w) => asked.has(w)).length;
    return score;
  });
  const scores = [...direct];
  const indexOf = new Map(objects.map((o, i) => [`${o.schema}.${o.name}`, i]));
  objects.forEach((o, i) => {
    for (const fk of o.table?.foreignKeys ?? []) {
      const j = indexOf.get(`${fk.referencedSchema}.${fk.referencedTable}`);
      if (j === undefined || j === i) continue;
      // Half of the matched table's own score: a neighbour usually ranks below the tables the question names.
      if (direct[i]! > 0) scores[j]! += Math.max(1, Math.floor(direct[i]! / 2));
      if (direct[j]! > 0) scores[i]! += Math.max(1, Math.floor(direct[j]! / 2));
    }
  });
  return scores;
}
