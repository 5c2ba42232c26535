import type { ParseOutcome } from './StatementParser';

/**
 * One statement's AST as a worker sends it: the root's keys and those of its values that are primitives; a key
 * missing from `values` holds an object or array, left behind. `json` instead when the root is no plain object.
 */
export type AstWire = { keys: string[]; values: Record<string, unknown> } | { json: unknown };

/**
 * What a parse worker sends back for one chunk: the outcomes as JSON, each AST reduced to its root (AstWire).
 * Sending whole ASTs costs more than parsing them, on both threads (a structured clone, or JSON.stringify there and
 * JSON.parse here), and most rules only look at an AST's root key (`ast.LockStmt`) or a primitive under it
 * (node-sql-parser's `ast.type`); the receiver parses a statement again, on its own thread, only when something
 * reads deeper.
 */
export interface ParseReply {
  id: number;
  meta: string;
}

function toWire(ast: unknown): AstWire | undefined {
  if (ast === undefined) return undefined;
  if (ast === null || typeof ast !== 'object' || Array.isArray(ast)) return { json: ast };
  const keys = Object.keys(ast);
  const values: Record<string, unknown> = {};
  for (const key of keys) {
    const value = (ast as Record<string, unknown>)[key];
    if (value === null || typeof value !== 'object') values[key] = value;
  }
  return { keys, values };
}

/** Takes the outcomes over: their statements' `ast` is replaced by its AstWire. */
export function encodeOutcomes(id: number, outcomes: ParseOutcome[]): ParseReply {
  for (const outcome of outcomes) {
    if (!outcome.ok) continue;
    for (const statement of outcome.statements) statement.ast = toWire(statement.ast);
  }
  return { id, meta: JSON.stringify(outcomes) };
}

/** The full AST of statement `statement` of the `index`-th text of the chunk, parsed again on this thread. */
export type Reparse = (index: number, statement: number) => unknown;

function fromWire(wire: AstWire | undefined, full: () => unknown): unknown {
  if (wire === undefined) return undefined;
  if ('json' in wire) return wire.json;
  const ast: Record<string, unknown> = {};
  for (const key of wire.keys) {
    if (Object.hasOwn(wire.values, key)) {
      ast[key] = wire.values[key];
      continue;
    }
    let value: unknown;
    let known = false;
    Object.defineProperty(ast, key, {
      enumerable: true,
      configurable: true,
      get: () => {
        if (!known) {
          value = (full() as Record<string, unknown> | undefined)?.[key];
          known = true;
        }
        return value;
      },
      set: (next: unknown) => {
        value = next;
        known = true;
      },
    });
  }
  return ast;
}

/** The inverse of encodeOutcomes: each AST's root is rebuilt, and a value left behind is parsed again when first read. */
export function decodeOutcomes(reply: ParseReply, reparse: Reparse): ParseOutcome[] {
  const outcomes = JSON.parse(reply.meta) as ParseOutcome[];
  outcomes.forEach((outcome, index) => {
    if (!outcome.ok) return;
    outcome.statements.forEach((statement, k) => {
      let cached: { ast: unknown } | undefined;
      const full = (): unknown => (cached ??= { ast: reparse(index, k) }).ast;
      statement.ast = fromWire(statement.ast as AstWire | undefined, full);
    });
  });
  return outcomes;
}
