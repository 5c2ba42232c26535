import type { Finding, Migration, MigrationStatement } from '../../../shared/domain/review';
import { baseName } from './baseName';
import { emptyMigration } from './emptyMigration';
import { LineIndex } from './LineIndex';
import type { MigrationReader, SourceFile } from './MigrationReader';
import { naturalCompare } from './naturalCompare';
import { statementsOf } from './statementsOf';

/** dbmate's own pattern for its section markers, options (`transaction:false`) following on the line. */
const MARKER = /^--\s*migrate:(up|down)\b(.*)$/;
const SQL_FILE = /\.sql$/i;
const VERSIONED_FILE = /^\d+.*\.sql$/i;

/**
 * dbmate: one file per migration, `-- migrate:up` and `-- migrate:down` sections, ordered by the version that
 * starts the name. `transaction:false` on the up marker means dbmate runs it outside a transaction. SQL before the
 * up marker and a file without one are problems, as dbmate refuses both. An empty down section is no down.
 */
export const dbmateReader: MigrationReader = {
  format: 'dbmate',
  detect(files) {
    const sql = files.filter((f) => SQL_FILE.test(f.path));
    const marked = sql.filter((f) => /^--\s*migrate:up\b/m.test(f.text));
    return marked.length === 0 ? 0 : 0.95 * (marked.length / sql.length);
  },
  read(files, ctx) {
    const problems: Finding[] = [];
    const migrations: Migration[] = [];
    // dbmate only runs files whose name starts with a version; db/schema.sql, its own dump, is not one.
    for (const f of [...files].filter((x) => VERSIONED_FILE.test(baseName(x.path))).sort((a, b) => naturalCompare(baseName(a.path), baseName(b.path)))) {
      const m = readFile(f, ctx.dialect, problems);
      if (m) migrations.push(m);
    }
    return { migrations, problems };
  },
};

function readFile(f: SourceFile, dialect: Parameters<typeof statementsOf>[3], problems: Finding[]): Migration | undefined {
  const name = baseName(f.path);
  const version = /^(\d+)/.exec(name)?.[1];
  const id = version ?? name;
  const index = new LineIndex(f.text);
  const markers = index
    .lines()
    .map((line) => ({ line, match: MARKER.exec(line.text) }))
    .filter((x) => x.match !== null);

  const up = markers.find((x) => x.match![1] === 'up');
  if (!up) {
    problems.push({ ruleId: 'read-error', severity: 'error', message: `${f.path} has no '-- migrate:up' section; dbmate refuses to run it`, location: { file: f.path, line: 1, column: 1 }, migrationId: id });
    return undefined;
  }
  const split = (start: number, end: number): MigrationStatement[] => {
    const result = statementsOf(f.path, f.text, index, dialect, start, end);
    for (const p of result.problems) p.migrationId = id;
    problems.push(...result.problems);
    return result.statements;
  };
  const before = split(0, markers[0]!.line.start);
  if (before.length > 0) {
    const at = before[0]!.location;
    problems.push({ ruleId: 'read-error', severity: 'error', message: `${f.path}:${at.line}: SQL before '-- migrate:up' belongs to no section; dbmate refuses it`, location: { ...at }, migrationId: id });
  }

  const sections: { up: MigrationStatement[]; down?: MigrationStatement[] } = { up: [] };
  const seen = new Set<string>();
  markers.forEach((marker, i) => {
    const direction = marker.match![1] as 'up' | 'down';
    const lineNo = index.position(marker.line.start).line;
    if (seen.has(direction)) {
      problems.push({ ruleId: 'read-error', severity: 'error', message: `${f.path}:${lineNo}: a second '-- migrate:${direction}' section`, location: { file: f.path, line: lineNo, column: 1 }, migrationId: id });
      return;
    }
    seen.add(direction);
    const end = i + 1 < markers.length ? markers[i + 1]!.line.start : f.text.length;
    const statements = split(marker.line.end, end);
    if (direction === 'up') sections.up = statements;
    else if (statements.length > 0) sections.down = statements;
  });
  if (sections.up.length === 0) problems.push(emptyMigration(f.path, id, 'up section'));

  const options = up.match![2]!.trim();
  const migration: Migration = {
    id,
    ...(version === undefined ? {} : { version }),
    description: name.replace(/^\d+_?/, '').replace(SQL_FILE, '').replace(/_/g, ' '),
    format: 'dbmate',
    file: f.path,
    up: sections.up,
    transactional: !/(^|\s)transaction:false(\s|$)/.test(options),
  };
  if (sections.down) migration.down = sections.down;
  return migration;
}
