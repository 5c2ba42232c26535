import { z } from 'zod';
import { patternOption } from '../config/patternOption';
import type { Rule } from '../Rule';

/** The default convention: letters, digits, '.', '_' and '-', starting with a letter or digit. */
const CHANGESET_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const options = z.strictObject({
  /** The changeset id's convention. Defaults to letters, digits, '.', '_' and '-'. */
  pattern: patternOption.optional(),
  /** The author's convention. Defaults to the same as the id's default. */
  author: patternOption.optional(),
});

export type ChangesetIdOptions = z.output<typeof options>;

export const changesetIdConvention: Rule<ChangesetIdOptions> = {
  id: 'changeset-id-convention',
  dialects: ['postgres', 'mysql', 'sqlite'],
  severity: 'info',
  options,
  docs: {
    problem:
      "A Liquibase changeset id or author breaks the project's convention (by default: it holds spaces, colons or other punctuation). Liquibase identifies a changeset by author, id and file, and tools (Liquibase's own `author:id` display, update-one-changeset, rollback commands, Quarry's ignores) then need quoting, and a colon makes `author:id` ambiguous.",
    solution:
      "Use ids and authors of letters, digits, '.', '_' and '-' only, e.g. `20240517-add-orders-status` by `alice`, or set the team's own convention in .quarry.yml (`changeset-id-convention: { pattern: '^\\d{8}-[a-z0-9-]+$', author: '^[a-z]+$' }`). Changing the id of an applied changeset makes Liquibase run it again, so fix only changesets not yet deployed.",
  },
  check(ctx) {
    const m = ctx.migration;
    if (ctx.index !== 0 || m.format !== 'liquibase') return [];
    const parts = m.id.split(':');
    if (parts.length !== 2) return [{ message: `Changeset ${m.id}: its author or id contains ':', so author:id cannot be read back.` }];
    const [author, id] = parts as [string, string];
    const idPattern = ctx.options.pattern ?? CHANGESET_ID;
    const authorPattern = ctx.options.author ?? CHANGESET_ID;
    const bad = [
      authorPattern.test(author) ? '' : `author "${author}" ${ctx.options.author ? `does not match ${authorPattern.source}` : "should use only letters, digits, '.', '_' and '-'"}`,
      idPattern.test(id) ? '' : `id "${id}" ${ctx.options.pattern ? `does not match ${idPattern.source}` : "should use only letters, digits, '.', '_' and '-'"}`,
    ].filter(Boolean);
    return bad.length ? [{ message: `Changeset ${m.id}: ${bad.join('; ')}.` }] : [];
  },
};
