import type { Dialect } from '../../../shared/domain/connection';
import type { Rule } from '../Rule';

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
    return ctx.parsed.newIdentifiers
      .filter((name) => length(name) > limit.max)
      .map((name) => ({ message: `Identifier ${name} is ${length(name)} ${limit.unit}; the limit is ${limit.max}.` }));
  },
};
