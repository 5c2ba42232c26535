import type { Rule } from '../Rule';
import type { ColumnSpec } from '../parse/ParsedStatement';

const SERIAL = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

export const preferIdentityOverSerial: Rule = {
  id: 'prefer-identity-over-serial',
  dialects: ['postgres'],
  severity: 'info',
  docs: {
    problem: 'serial creates a separately owned sequence: permissions, dumps and copies of the table (CREATE TABLE … LIKE) handle it awkwardly.',
    solution: 'Use bigint GENERATED ALWAYS AS IDENTITY (PostgreSQL 10+).',
  },
  check(ctx) {
    const s = ctx.parsed;
    const columns: ColumnSpec[] = [...s.columns, ...s.alterCommands.flatMap((c) => (c.kind === 'add-column' && c.columnSpec ? [c.columnSpec] : []))];
    return columns.filter((c) => SERIAL.has(c.type)).map((c) => ({ message: `Column ${c.name} is ${c.type}; use bigint GENERATED ALWAYS AS IDENTITY.` }));
  },
};
