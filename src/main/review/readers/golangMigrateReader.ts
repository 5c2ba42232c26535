import type { Finding, Migration, MigrationStatement } from '../../../shared/domain/review';
import { baseName } from './baseName';
import { emptyMigration } from './emptyMigration';
import { LineIndex } from './LineIndex';
import type { MigrationReader, SourceFile } from './MigrationReader';
import { statementsOf } from './statementsOf';

const PAIR_FILE = /^(\d+)_(.*)\.(up|down)\.sql$/;
const SQL_FILE = /\.sql$/i;

/**
 * golang-migrate: `<version>_<name>.up.sql` with an optional `.down.sql`, in numeric version order (its versions
 * are unsigned integers, so 001 and 1 are one version). A down without its up, or two files for one version and
 * direction, are problems, as migrate itself fails on them.
 */
export const golangMigrateReader: MigrationReader = {
  format: 'golang-migrate',
  detect(files) {
    const sql = files.filter((f) => SQL_FILE.test(f.path));
    const named = sql.filter((f) => PAIR_FILE.test(baseName(f.path)));
    return named.length === 0 ? 0 : 0.9 * (named.length / sql.length);
  },
  read(files, ctx) {
    const problems: Finding[] = [];
    const byVersion = new Map<bigint, { up?: SourceFile; down?: SourceFile; name: string }>();
    for (const f of files) {
      if (!SQL_FILE.test(f.path)) continue;
      const m = PAIR_FILE.exec(baseName(f.path));
      if (!m) {
        problems.push({
          ruleId: 'unrecognized-file',
          severity: 'warning',
          message: `${f.path} does not follow golang-migrate's naming (<version>_<name>.up.sql / .down.sql); migrate ignores it`,
          location: { file: f.path, line: 1, column: 1 },
        });
        continue;
      }
      const version = BigInt(m[1]!);
      const direction = m[3] as 'up' | 'down';
      const entry = byVersion.get(version) ?? { name: m[2]! };
      const existing = entry[direction];
      if (existing) {
        problems.push({
          ruleId: 'duplicate-version',
          severity: 'error',
          message: `${f.path} is a second ${direction} migration for version ${version}, besides ${existing.path}; migrate refuses to run`,
          location: { file: f.path, line: 1, column: 1 },
          migrationId: String(version),
          help: 'Give one of them the next free version.',
        });
        continue;
      }
      entry[direction] = f;
      if (direction === 'up') entry.name = m[2]!;
      byVersion.set(version, entry);
    }

    const split = (f: SourceFile, id: string, part: string): MigrationStatement[] => {
      const result = statementsOf(f.path, f.text, new LineIndex(f.text), ctx.dialect);
      for (const p of result.problems) p.migrationId = id;
      problems.push(...result.problems);
      if (result.statements.length === 0 && result.problems.length === 0) problems.push(emptyMigration(f.path, id, part));
      return result.statements;
    };

    const migrations: Migration[] = [];
    for (const [version, entry] of [...byVersion].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const id = String(version);
      if (!entry.up) {
        problems.push({
          ruleId: 'orphan-down',
          severity: 'error',
          message: `${entry.down!.path} is a down migration for version ${id}, which has no up migration`,
          location: { file: entry.down!.path, line: 1, column: 1 },
          migrationId: id,
        });
        continue;
      }
      const migration: Migration = { id, version: id, description: entry.name.replace(/_/g, ' '), format: 'golang-migrate', file: entry.up.path, up: split(entry.up, id, 'up migration') };
      if (entry.down) migration.down = split(entry.down, id, 'down migration');
      migrations.push(migration);
    }
    return { migrations, problems };
  },
};
