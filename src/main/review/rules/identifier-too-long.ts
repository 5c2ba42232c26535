import { z } from 'zod';
import type { Dialect } from '../../../shared/domain/connection';
import { lexicalFacts } from '../../../shared/dialect/lexicalFacts';
import { SqlLexer } from '../../../shared/sql/SqlLexer';
import type { Rule, RuleHit } from '../Rule';
import { namedObjects } from './namedObjects';

/** PostgreSQL truncates to NAMEDATALEN-1 bytes silently; MySQL rejects more than 64 characters. */
const MAX_LENGTH: Record<Dialect, { max: number; unit: 'bytes' | 'characters' }> = {
  postgres: { max: 63, unit: 'bytes' },
  mysql: { max: 64, unit: 'characters' },
  // SQLite sets no limit; only a project's own `max` applies.
  sqlite: { max: Infinity, unit: 'characters' },
};

const options = z.strictObject({
  /** The project's own limit, below the server's (e.g. 30 to stay portable to older Oracle). Defaults to the server's. */
  max: z.number().int().positive().optional(),
});

export const identifierTooLong: Rule<z.output<typeof options>> = {
  id: 'identifier-too-long',
  dialects: ['postgres', 'mysql', 'sqlite'],
  severity: 'error',
  options,
  docs: {
    problem: "PostgreSQL silently truncates identifiers longer than 63 bytes (two long names can then collide); MySQL rejects names longer than 64 characters; a project may set a lower limit of its own (`identifier-too-long: { max: 30 }` in .quarry.yml).",
    solution: 'Shorten the name.',
  },
  check(ctx) {
    const limit = MAX_LENGTH[ctx.dialect];
    const length = (name: string): number => (limit.unit === 'bytes' ? Buffer.byteLength(name, 'utf8') : [...name].length);
    const hits: RuleHit[] = [];
    if (limit.max !== Infinity) {
      // The text, not the AST: PostgreSQL's parser has already truncated the names it returns.
      const text = ctx.statement.sql;
      const lexer = new SqlLexer(text, lexicalFacts[ctx.dialect]);
      for (let t = lexer.next(); t; t = lexer.next()) {
        if (t.kind !== 'word' && t.kind !== 'quotedIdentifier') continue;
        const raw = text.slice(t.start, t.end);
        const name = t.kind === 'quotedIdentifier' ? raw.slice(1, -1) : raw;
        const n = length(name);
        if (n > limit.max) hits.push({ message: `Identifier ${name} is ${n} ${limit.unit}; the limit is ${limit.max}.`, offset: t.start });
      }
    }
    const own = ctx.options.max;
    if (own === undefined || own >= limit.max) return hits;
    // The project's limit applies to the names this statement gives, not to existing objects it mentions.
    for (const { name } of namedObjects(ctx.parsed)) {
      const n = length(name);
      if (n <= own || n > limit.max) continue;
      const at = ctx.statement.sql.indexOf(name);
      hits.push({ message: `Identifier ${name} is ${n} ${limit.unit}; the project's limit is ${own}.`, offset: at >= 0 ? at : undefined });
    }
    return hits;
  },
};
