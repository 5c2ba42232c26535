import type { Finding, Migration } from '../../../shared/domain/review';
import { baseName } from './baseName';
import { emptyMigration } from './emptyMigration';
import { compareFlywayVersions, flywayVersionKey, parseFlywayVersion, type FlywayVersion } from './flywayVersion';
import { LineIndex } from './LineIndex';
import type { MigrationReader, SourceFile } from './MigrationReader';
import { statementsOf, type StatementsResult } from './statementsOf';

/** Flyway's default prefixes and separator: V1.2__desc.sql, U1.2__desc.sql, R__desc.sql. */
const VERSIONED = /^([VU])(\d+(?:[._]\d+)*)__(.+)\.sql$/;
const REPEATABLE = /^R__(.+)\.sql$/;
const SQL_FILE = /\.sql$/i;

function description(raw: string): string {
  return raw.replace(/_/g, ' ');
}

/** Flyway's per-script config (`V2__x.sql.conf`) can run a script outside a transaction. */
/** The migrations whose `<file>.conf` says `executeInTransaction=false`, by the migration file's path. */
function outsideTransaction(files: readonly SourceFile[]): Set<string> {
  const paths = new Set<string>();
  for (const c of files) {
    if (c.path.endsWith('.sql.conf') && /^\s*executeInTransaction\s*=\s*false\s*$/im.test(c.text)) paths.add(c.path.slice(0, -'.conf'.length));
  }
  return paths;
}

/**
 * Flyway: versioned V files in version order, each U undo paired with its V as `down`, then repeatable R files by
 * description. Two files with the same version (1.0 equals 1) are a problem, as Flyway refuses to migrate them.
 * `executeInTransaction=false` in a script's .sql.conf makes it non-transactional.
 */
export const flywayReader: MigrationReader = {
  format: 'flyway',
  detect(files) {
    const sql = files.filter((f) => SQL_FILE.test(f.path));
    const named = sql.filter((f) => VERSIONED.test(baseName(f.path)) || REPEATABLE.test(baseName(f.path)));
    return named.length === 0 ? 0 : 0.9 * (named.length / sql.length);
  },
  read(files, ctx) {
    const problems: Finding[] = [];
    const noTransaction = outsideTransaction(files);
    const split = (f: SourceFile, id: string, part: string): StatementsResult => {
      const result = statementsOf(f.path, f.text, new LineIndex(f.text), ctx.dialect);
      for (const p of result.problems) p.migrationId = id;
      problems.push(...result.problems);
      if (result.statements.length === 0 && result.problems.length === 0) problems.push(emptyMigration(f.path, id, part));
      return result;
    };

    const versioned: { version: FlywayVersion; migration: Migration }[] = [];
    const byKey = new Map<string, { version: FlywayVersion; migration: Migration }>();
    const undos: { version: FlywayVersion; file: SourceFile }[] = [];
    const repeatable: Migration[] = [];
    for (const f of files) {
      if (!SQL_FILE.test(f.path)) continue;
      const name = baseName(f.path);
      const v = VERSIONED.exec(name);
      const r = REPEATABLE.exec(name);
      if (v) {
        const version = parseFlywayVersion(v[2]!);
        if (v[1] === 'U') {
          undos.push({ version, file: f });
          continue;
        }
        const clash = byKey.get(flywayVersionKey(version));
        if (clash) {
          problems.push({
            ruleId: 'duplicate-version',
            severity: 'error',
            message: `${f.path} has version ${version.text}, the same as ${clash.migration.file}; Flyway refuses to migrate two files with one version`,
            location: { file: f.path, line: 1, column: 1 },
            migrationId: clash.migration.id,
            help: 'Give one of them the next free version.',
          });
          continue;
        }
        const migration: Migration = {
          id: version.text,
          version: version.text,
          description: description(v[3]!),
          format: 'flyway',
          file: f.path,
          up: split(f, version.text, 'migration').statements,
          transactional: !noTransaction.has(f.path),
        };
        const entry = { version, migration };
        versioned.push(entry);
        byKey.set(flywayVersionKey(version), entry);
      } else if (r) {
        const id = `R__${r[1]!}`;
        repeatable.push({ id, description: description(r[1]!), format: 'flyway', file: f.path, up: split(f, id, 'migration').statements, repeatable: true, transactional: !noTransaction.has(f.path) });
      } else {
        problems.push({
          ruleId: 'unrecognized-file',
          severity: 'warning',
          message: `${f.path} does not follow Flyway's naming (V<version>__<description>.sql, U… or R__…); Flyway ignores it`,
          location: { file: f.path, line: 1, column: 1 },
        });
      }
    }

    for (const u of undos) {
      const target = byKey.get(flywayVersionKey(u.version));
      if (!target) {
        problems.push({
          ruleId: 'orphan-undo',
          severity: 'warning',
          message: `${u.file.path} undoes version ${u.version.text}, but no V${u.version.text}__ migration exists`,
          location: { file: u.file.path, line: 1, column: 1 },
        });
      } else if (target.migration.down) {
        problems.push({
          ruleId: 'duplicate-version',
          severity: 'error',
          message: `${u.file.path} is a second undo for version ${u.version.text}`,
          location: { file: u.file.path, line: 1, column: 1 },
          migrationId: target.migration.id,
        });
      } else {
        target.migration.down = split(u.file, target.migration.id, 'undo').statements;
      }
    }

    versioned.sort((a, b) => compareFlywayVersions(a.version, b.version));
    repeatable.sort((a, b) => (a.description < b.description ? -1 : a.description > b.description ? 1 : 0));
    return { migrations: [...versioned.map((v) => v.migration), ...repeatable], problems };
  },
};
