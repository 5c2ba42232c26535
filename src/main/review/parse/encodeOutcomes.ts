import type { ParseOutcome } from './StatementParser';

/**
 * What a parse worker sends back for one chunk: the outcomes as JSON with every statement's `ast` replaced by its
 * index in `asts`, which holds the ASTs as JSON texts ('' for none). A structured clone of whole ASTs costs the
 * receiving thread about what parsing them did; a string costs a copy, and the receiver parses an AST only when a
 * rule reads it.
 */
export interface ParseReply {
  id: number;
  meta: string;
  asts: string[];
}

export function encodeOutcomes(id: number, outcomes: readonly ParseOutcome[]): ParseReply {
  const asts: string[] = [];
  const meta = JSON.stringify(outcomes, (key, value: unknown) => {
    if (key !== 'ast') return value;
    asts.push(value === undefined ? '' : JSON.stringify(value));
    return asts.length - 1;
  });
  return { id, meta, asts };
}

/** The inverse of encodeOutcomes: each statement's `ast` is parsed from its JSON the first time something reads it. */
export function decodeOutcomes(reply: ParseReply): ParseOutcome[] {
  const outcomes = JSON.parse(reply.meta) as ParseOutcome[];
  for (const outcome of outcomes) {
    if (!outcome.ok) continue;
    for (const statement of outcome.statements) {
      const json = reply.asts[statement.ast as number];
      let ast: unknown;
      let parsed = json === '' || json === undefined;
      Object.defineProperty(statement, 'ast', {
        enumerable: true,
        configurable: true,
        get: () => {
          if (!parsed) {
            ast = JSON.parse(json!);
            parsed = true;
          }
          return ast;
        },
        set: (value: unknown) => {
          ast = value;
          parsed = true;
        },
      });
    }
  }
  return outcomes;
}
