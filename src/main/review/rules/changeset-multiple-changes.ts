import type { Rule } from '../Rule';

export const changesetMultipleChanges: Rule = {
  id: 'changeset-multiple-changes',
  dialects: ['postgres', 'mysql', 'sqlite'],
  severity: 'warning',
  docs: {
    problem:
      'A Liquibase changeset holds more than one change. If a later change fails, the ones before it may already be applied (MySQL and others commit DDL implicitly) while Liquibase records the whole changeset as not run, so rerunning it fails on the changes that did apply.',
    solution: 'Put one change in each changeset, as Liquibase recommends; several changesets in one changelog still deploy together.',
  },
  check(ctx) {
    const types = ctx.migration.changeTypes ?? [];
    if (ctx.index !== 0 || ctx.migration.format !== 'liquibase' || types.length < 2) return [];
    return [{ message: `Changeset ${ctx.migration.id} has ${types.length} changes (${types.map((t) => t.type).join(', ')}).` }];
  },
};
