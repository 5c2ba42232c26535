import type { Rule } from '../Rule';

/**
 * The default convention: letters, digits, '.', '_' and '-', starting with a letter or digit. It is fixed until
 * .quarry.yml has a place for rule options; the rule stays pure either way.
 */
const CHANGESET_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export const changesetIdConvention: Rule = {
  id: 'changeset-id-convention',
  dialects: ['postgres', 'mysql', 'sqlite'],
  severity: 'info',
  docs: {
    problem:
      "A Liquibase changeset id or author holds spaces, colons or other punctuation. Liquibase identifies a changeset by author, id and file, and tools (Liquibase's own `author:id` display, update-one-changeset, rollback commands, Quarry's ignores) then need quoting, and a colon makes `author:id` ambiguous.",
    solution: "Use ids and authors of letters, digits, '.', '_' and '-' only, e.g. `20240517-add-orders-status` by `alice`. Changing the id of an applied changeset makes Liquibase run it again, so fix only changesets not yet deployed.",
  },
  check(ctx) {
    const m = ctx.migration;
    if (ctx.index !== 0 || m.format !== 'liquibase') return [];
    const parts = m.id.split(':');
    if (parts.length !== 2) return [{ message: `Changeset ${m.id}: its author or id contains ':', so author:id cannot be read back.` }];
    const [author, id] = parts as [string, string];
    const bad = [!CHANGESET_ID.test(author) ? `author "${author}"` : '', !CHANGESET_ID.test(id) ? `id "${id}"` : ''].filter(Boolean);
    return bad.length ? [{ message: `Changeset ${m.id}: ${bad.join(' and ')} should use only letters, digits, '.', '_' and '-'.` }] : [];
  },
};
