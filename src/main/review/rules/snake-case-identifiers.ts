import type { Rule } from '../Rule';

const SNAKE_CASE = /^[a-z_][a-z0-9_]*$/;

export const snakeCaseIdentifiers: Rule = {
  id: 'snake-case-identifiers',
  dialects: ['postgres', 'mysql', 'sqlite'],
  severity: 'info',
  docs: {
    problem:
      'A new table, column, index or constraint name is not lower snake_case. PostgreSQL folds unquoted names to lower case, so a quoted "createdAt" must be quoted in every query forever; MySQL table names follow the file system\'s case rules, so Users and users may or may not be the same table depending on the server.',
    solution:
      'Name identifiers in lower snake_case (created_at, order_items) and write them unquoted. For a convention of your own (prefixes, per-kind patterns), turn this rule off and configure naming-convention in .quarry.yml; for a legacy schema, ignore it with `-- quarry-ignore-file snake-case-identifiers`.',
  },
  check(ctx) {
    const bad = [...new Set(ctx.parsed.newIdentifiers.filter((name) => !SNAKE_CASE.test(name)))];
    return bad.map((name) => {
      const at = ctx.statement.sql.indexOf(name);
      return { message: `${name} is not lower snake_case.`, offset: at >= 0 ? at : undefined };
    });
  },
};
