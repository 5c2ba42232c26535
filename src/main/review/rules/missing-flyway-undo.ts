import type { Rule } from '../Rule';

export const missingFlywayUndo: Rule = {
  id: 'missing-flyway-undo',
  dialects: ['postgres', 'mysql', 'sqlite'],
  severity: 'info',
  docs: {
    problem: 'A versioned Flyway migration (V…) has no undo migration (U…). Undo is optional in Flyway (and a paid feature), so this is only information: without it, reverting the change is a new forward migration written by hand.',
    solution: 'Add a U<version>__<description>.sql that reverses it if your team uses flyway undo, or plan the forward fix; turn this rule off in .quarry.yml if you never undo.',
  },
  check(ctx) {
    const m = ctx.migration;
    if (ctx.index !== 0 || m.format !== 'flyway' || m.repeatable || m.down !== undefined) return [];
    return [{ message: `Flyway migration ${m.version ?? m.id} has no undo (U${m.version ?? ''}__…) migration.` }];
  },
};
