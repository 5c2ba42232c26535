import { z } from 'zod';
import { patternOption } from '../config/patternOption';
import type { Rule } from '../Rule';
import { namedObjects, type NamedObjectKind } from './namedObjects';

const KINDS = ['table', 'column', 'index', 'primary-key', 'foreign-key', 'unique', 'check', 'constraint'] as const satisfies readonly NamedObjectKind[];

const options = z
  .strictObject(Object.fromEntries(KINDS.map((k) => [k, patternOption.optional()])) as Record<(typeof KINDS)[number], z.ZodOptional<typeof patternOption>>)
  .refine((o) => KINDS.some((k) => o[k] !== undefined), { message: `give at least one pattern: ${KINDS.join(', ')}` });

export type NamingConventionOptions = z.output<typeof options>;

const LABEL: Record<NamedObjectKind, string> = {
  table: 'Table',
  column: 'Column',
  index: 'Index',
  'primary-key': 'Primary key',
  'foreign-key': 'Foreign key',
  unique: 'Unique constraint',
  check: 'Check constraint',
  constraint: 'Constraint',
};

export const namingConvention: Rule<NamingConventionOptions> = {
  id: 'naming-convention',
  dialects: ['postgres', 'mysql', 'sqlite'],
  severity: 'warning',
  // A convention is the team's choice: nothing to check until .quarry.yml gives the patterns.
  defaultOff: true,
  options,
  docs: {
    problem:
      "A new table, column, index or constraint is named against the project's convention (set in .quarry.yml). Names are hard to change once applications and other migrations use them, and mixed conventions make the schema harder to read and to query.",
    solution:
      "Rename the object to match the convention. Configure it in .quarry.yml, e.g. `naming-convention: { level: warning, table: '^[a-z][a-z0-9_]*$', index: '^(ix|idx|ux)_', foreign-key: '^fk_' }`; a constraint kind without its own pattern falls back to `constraint:`.",
  },
  check(ctx) {
    const o = ctx.options;
    return namedObjects(ctx.parsed).flatMap(({ kind, name }) => {
      const own = o[kind];
      const isConstraint = kind === 'primary-key' || kind === 'foreign-key' || kind === 'unique' || kind === 'check';
      const [pattern, key] = own ? [own, kind] : isConstraint && o.constraint ? [o.constraint, 'constraint'] : [undefined, kind];
      if (!pattern || pattern.test(name)) return [];
      const at = ctx.statement.sql.indexOf(name);
      return [{ message: `${LABEL[kind]} ${name} does not match the naming convention ${pattern.source} (naming-convention.${key} in .quarry.yml).`, offset: at >= 0 ? at : undefined }];
    });
  },
};
