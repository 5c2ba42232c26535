import type { Dialect } from '../../../shared/domain/connection';
import { lexicalFacts } from '../../../shared/dialect/lexicalFacts';
import { SqlLexer } from '../../../shared/sql/SqlLexer';
import type { Rule, RuleHit } from '../Rule';

/** PostgreSQL truncates to NAMEDATALEN-1 bytes silently; MySQL rejects more than 64 characters. */
const MAX_LENGTH: Partial<Record<Dialect, { max: number; unit: 'bytes' | 'characters' }>> = {
  postgres: { max: 63, unit: 'bytes' },
  mysql: { max: 64, unit: 'characters' },
};

export const identifierTooLong: Rule = {
  id: 'identifier-too-long',
  dialects: ['postgres', 'mysql'],
  severity: 'error',
  docs: {
    problem: 'PostgreSQL silently truncates identifiers longer than 63 bytes (two long names can then collide); MySQL rejects names longer than 64 characters.',
    solution: 'Shorten the name.',
  },
  check(ctx) {
    const limit = MAX_LENGTH[ctx.dialect];
    if (!limit) return [];
    const length = (name: string): number => (limit.unit === 'bytes' ? new TextEncoder().encode(name).length : [...name].length);
    // The text, not the AST: PostgreSQL's parser has already truncated the names it returns.
    const text = ctx.statement.sql;
    const lexer = new SqlLexer(text, lexicalFacts[ctx.dialect]);
    const hits: RuleHit[] = [];
    for (let t = lexer.next(); t; t = lexer.next()) {
      if (t.kind !== 'word' && t.kind !== 'quotedIdentifier') continue;
      const raw = text.slice(t.start, t.end);
      const name = t.kind === 'quotedIdentifier' ? raw.slice(1, -1) : raw;
      const n = length(name);
      if (n > limit.max) hits.push({ message: `Identifier ${name} is ${n} ${limit.unit}; the limit is ${limit.max}.`, offset: t.start });
    }
    return hits;
  },
};
