import type { Finding, Migration } from '../../../shared/domain/review';
import { baseName } from './baseName';
import { emptyMigration } from './emptyMigration';
import { LineIndex } from './LineIndex';
import type { MigrationReader } from './MigrationReader';
import { naturalCompare } from './naturalCompare';
import { statementsOf } from './statementsOf';

const SQL_FILE = /\.sql$/i;

/** Plain .sql files, one migration each, in natural name order (2_x before 10_x); folders order with their files. */
export const plainSqlReader: MigrationReader = {
  format: 'sql',
  detect: (files) => (files.some((f) => SQL_FILE.test(f.path)) ? 0.1 : 0),
  read(files, ctx) {
    const problems: Finding[] = [];
    const migrations: Migration[] = files
      .filter((f) => SQL_FILE.test(f.path))
      .sort((a, b) => naturalCompare(a.path, b.path))
      .map((f) => {
        const split = statementsOf(f.path, f.text, new LineIndex(f.text), ctx.dialect);
        problems.push(...split.problems);
        if (split.statements.length === 0 && split.problems.length === 0) problems.push(emptyMigration(f.path, f.path));
        const name = baseName(f.path);
        const version = /^(\d+)/.exec(name)?.[1];
        return {
          id: f.path,
          ...(version === undefined ? {} : { version }),
          description: name.replace(SQL_FILE, ''),
          format: 'sql' as const,
          file: f.path,
          up: split.statements,
        };
      });
    return { migrations, problems };
  },
};
