import type { Dialect } from '../../../shared/domain/connection';
import type { Finding, Migration, MigrationStatement } from '../../../shared/domain/review';
import { baseName } from './baseName';
import { emptyMigration } from './emptyMigration';
import { LineIndex } from './LineIndex';
import type { MigrationReader, SourceFile } from './MigrationReader';
import { statementAt, statementsOf } from './statementsOf';

/** goose's annotations; it matches them case-insensitively. */
const ANNOTATION = /^--\s*\+goose\s+(.*?)\s*$/i;
const SQL_FILE = /\.sql$/i;

/**
 * goose: `<version>_<name>.sql` files with `-- +goose Up` and `-- +goose Down` sections, in numeric version
 * order. A `StatementBegin`/`StatementEnd` block is one statement whatever semicolons it holds (function bodies),
 * and `-- +goose NO TRANSACTION` runs the file outside a transaction.
 */
export const gooseReader: MigrationReader = {
  format: 'goose',
  detect(files) {
    const sql = files.filter((f) => SQL_FILE.test(f.path));
    const marked = sql.filter((f) => /^--\s*\+goose\s+up\b/im.test(f.text));
    return marked.length === 0 ? 0 : 0.95 * (marked.length / sql.length);
  },
  read(files, ctx) {
    const problems: Finding[] = [];
    const found: { version: bigint | undefined; migration: Migration }[] = [];
    const versions = new Map<bigint, string>();
    for (const f of files) {
      if (!SQL_FILE.test(f.path)) continue;
      const digits = /^(\d+)_/.exec(baseName(f.path))?.[1];
      if (digits === undefined) {
        problems.push({ ruleId: 'unrecognized-file', severity: 'warning', message: `${f.path} does not follow goose's naming (<version>_<name>.sql); goose ignores it`, location: { file: f.path, line: 1, column: 1 } });
        continue;
      }
      const version = BigInt(digits);
      const clash = versions.get(version);
      if (clash !== undefined) {
        problems.push({ ruleId: 'duplicate-version', severity: 'error', message: `${f.path} has version ${version}, the same as ${clash}; goose refuses to run`, location: { file: f.path, line: 1, column: 1 }, migrationId: String(version) });
        continue;
      }
      versions.set(version, f.path);
      const migration = readFile(f, String(version), ctx.dialect, problems);
      if (migration) found.push({ version, migration });
    }
    found.sort((a, b) => (a.version! < b.version! ? -1 : a.version! > b.version! ? 1 : 0));
    return { migrations: found.map((x) => x.migration), problems };
  },
};

function readFile(f: SourceFile, id: string, dialect: Dialect, problems: Finding[]): Migration | undefined {
  const index = new LineIndex(f.text);
  const sections: Record<'none' | 'up' | 'down', MigrationStatement[]> = { none: [], up: [], down: [] };
  const seen = new Set<string>();
  let section: 'none' | 'up' | 'down' = 'none';
  let plainStart = 0;
  let block: { start: number; line: number } | undefined;
  let transactional = true;
  const problem = (line: number, message: string): void => {
    problems.push({ ruleId: 'read-error', severity: 'error', message: `${f.path}:${line}: ${message}`, location: { file: f.path, line, column: 1 }, migrationId: id });
  };
  const flush = (end: number): void => {
    const result = statementsOf(f.path, f.text, index, dialect, plainStart, end);
    for (const p of result.problems) p.migrationId = id;
    problems.push(...result.problems);
    sections[section].push(...result.statements);
  };

  index.lines().forEach((line, i) => {
    const match = ANNOTATION.exec(line.text);
    if (!match) return;
    const command = match[1]!.toLowerCase();
    const lineNo = i + 1;
    if (block) {
      if (command !== 'statementend') return;
      const raw = f.text.slice(block.start, line.start);
      const lead = raw.length - raw.trimStart().length;
      const body = raw.trim().replace(/;\s*$/, '');
      if (body) sections[section].push(statementAt(f.path, index, body, block.start + lead, block.start + lead + body.length));
      block = undefined;
      plainStart = line.end;
      return;
    }
    switch (command) {
      case 'up':
      case 'down':
        flush(line.start);
        if (seen.has(command)) problem(lineNo, `a second '-- +goose ${match[1]}' section`);
        seen.add(command);
        section = command;
        plainStart = line.end;
        break;
      case 'statementbegin':
        flush(line.start);
        block = { start: line.end, line: lineNo };
        break;
      case 'statementend':
        problem(lineNo, "'-- +goose StatementEnd' without a StatementBegin before it");
        break;
      case 'no transaction':
        transactional = false;
        break;
      default:
        // ENVSUB ON/OFF and later annotations change nothing a review sees.
        break;
    }
  });
  if (block) {
    problem(block.line, "'-- +goose StatementBegin' is never closed by a StatementEnd; goose refuses the file");
    return undefined;
  }
  flush(f.text.length);

  if (!seen.has('up')) {
    problem(1, "no '-- +goose Up' annotation; goose refuses the file");
    return undefined;
  }
  if (sections.none.length > 0) {
    const at = sections.none[0]!.location;
    problem(at.line, "SQL before '-- +goose Up' belongs to no section; goose refuses it");
  }
  if (sections.up.length === 0) problems.push(emptyMigration(f.path, id, 'Up section'));
  const migration: Migration = {
    id,
    version: id,
    description: baseName(f.path).replace(/^\d+_/, '').replace(SQL_FILE, '').replace(/_/g, ' '),
    format: 'goose',
    file: f.path,
    up: sections.up,
    transactional,
  };
  if (sections.down.length > 0) migration.down = sections.down;
  return migration;
}
