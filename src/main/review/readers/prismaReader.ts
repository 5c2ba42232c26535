import type { Dialect } from '../../../shared/domain/connection';
import type { Finding, Migration } from '../../../shared/domain/review';
import { emptyMigration } from './emptyMigration';
import { LineIndex } from './LineIndex';
import type { MigrationReader, SourceFile } from './MigrationReader';
import { statementsOf } from './statementsOf';

/** `migrations/20240105093000_add_orders/migration.sql`: the folder name is the migration, its prefix the version. */
const MIGRATION_FILE = /(?:^|\/)((\d+)_([^/]+))\/migration\.sql$/;
const LOCK_FILE = /(?:^|\/)migration_lock\.toml$/;

/** Prisma's datasource providers and the dialect each speaks; the others (sqlserver, mongodb) Quarry does not. */
const PROVIDER_DIALECTS: Readonly<Record<string, Dialect>> = {
  postgresql: 'postgres',
  postgres: 'postgres',
  cockroachdb: 'postgres',
  mysql: 'mysql',
  sqlite: 'sqlite',
};

function lockFile(files: readonly SourceFile[]): SourceFile | undefined {
  return files.find((f) => LOCK_FILE.test(f.path));
}

function provider(lock: SourceFile): string | undefined {
  return /^\s*provider\s*=\s*"([^"]*)"/m.exec(lock.text)?.[1];
}

/**
 * Prisma Migrate: one folder per migration holding migration.sql, in folder-name order, and migration_lock.toml
 * naming the provider, which hints the dialect. Prisma has no down migrations.
 */
export const prismaReader: MigrationReader = {
  format: 'prisma',
  detect(files) {
    if (files.some((f) => MIGRATION_FILE.test(f.path))) return lockFile(files) ? 0.99 : 0.8;
    return lockFile(files) ? 0.5 : 0;
  },
  dialectHint(files) {
    const lock = lockFile(files);
    const name = lock && provider(lock);
    return name === undefined ? undefined : PROVIDER_DIALECTS[name];
  },
  read(files, ctx) {
    const problems: Finding[] = [];
    const lock = lockFile(files);
    const name = lock && provider(lock);
    if (lock && name !== undefined && PROVIDER_DIALECTS[name] === undefined) {
      problems.push({
        ruleId: 'read-error',
        severity: 'warning',
        message: `${lock.path} names provider "${name}", which Quarry does not review; statements are read as ${ctx.dialect}`,
        location: { file: lock.path, line: 1, column: 1 },
      });
    }
    const migrations: Migration[] = files
      .map((f) => ({ f, m: MIGRATION_FILE.exec(f.path) }))
      .filter((x) => x.m !== null)
      .sort((a, b) => (a.m![1]! < b.m![1]! ? -1 : a.m![1]! > b.m![1]! ? 1 : 0))
      .map(({ f, m }) => {
        const id = m![1]!;
        const split = statementsOf(f.path, f.text, new LineIndex(f.text), ctx.dialect);
        for (const p of split.problems) p.migrationId = id;
        problems.push(...split.problems);
        if (split.statements.length === 0 && split.problems.length === 0) problems.push(emptyMigration(f.path, id, 'migration'));
        return { id, version: m![2]!, description: m![3]!.replace(/_/g, ' '), format: 'prisma' as const, file: f.path, up: split.statements };
      });
    const hint = name === undefined ? undefined : PROVIDER_DIALECTS[name];
    return hint ? { migrations, problems, dialectHint: hint } : { migrations, problems };
  },
};
