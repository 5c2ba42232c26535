import { posix } from 'node:path';
import type { Finding, SourceLocation } from '../../../../shared/domain/review';
import { decodeText } from '../../input/decodeText';
import { LineIndex } from '../LineIndex';
import type { ChangelogFiles } from './ChangelogFiles';
import type { LiquibaseNode, ParsedChangelog } from './LiquibaseNode';
import { isFormattedSql, parseFormattedSqlChangelog } from './parseFormattedSqlChangelog';
import { parseJsonChangelog, parseYamlChangelog } from './parseStructuredChangelog';
import { parseXmlChangelog } from './parseXmlChangelog';

/** A changeSet node with the changelog file it is in and that file's text. */
export interface FoundChangeSet {
  node: LiquibaseNode;
  file: string;
  text: string;
  /** Line starts of `text`, shared by the file's changesets. */
  lines: LineIndex;
}

/** A changelog parameter (`<property name value dbms>`), substituted for `${name}`. */
export interface ChangelogProperty {
  name: string;
  value: string;
  dbms?: string;
}

const CHANGELOG_EXTENSIONS = ['.xml', '.yaml', '.yml', '.json', '.sql'];

export function problem(ruleId: string, message: string, location: SourceLocation, severity: Finding['severity'] = 'error'): Finding {
  return { ruleId, severity, message, location };
}

/**
 * Resolve a path an include, includeAll or sqlFile names: relative to the including file's folder, or to the
 * root as Liquibase's classpath. Undefined when it leaves the root.
 */
export function resolveChangelogPath(name: string, fromFile: string, relativeToChangelogFile: boolean): string | undefined {
  const cleaned = name.replace(/^classpath\*?:/, '').replace(/\\/g, '/');
  if (cleaned.startsWith('/') || /^[A-Za-z]:\//.test(cleaned)) return undefined;
  const joined = posix.normalize(relativeToChangelogFile ? posix.join(posix.dirname(fromFile), cleaned) : cleaned).replace(/\/$/, '');
  if (joined === '..' || joined.startsWith('../')) return undefined;
  return joined === '.' ? '' : joined;
}

function parseChangelog(path: string, text: string): ParsedChangelog {
  const ext = posix.extname(path).toLowerCase();
  if (ext === '.xml') return parseXmlChangelog(text);
  if (ext === '.yaml' || ext === '.yml') return parseYamlChangelog(text);
  if (ext === '.json') return parseJsonChangelog(text);
  if (isFormattedSql(text)) return parseFormattedSqlChangelog(text);
  // A plain SQL file included in a changelog is one changeset, named as Liquibase names it.
  return {
    nodes: [{ name: 'changeSet', attrs: { id: 'raw', author: 'includeAll' }, children: [{ name: 'sql', attrs: {}, children: [], text, position: { line: 1, column: 1 }, textOffset: 0 }], text: '', position: { line: 1, column: 1 } }],
  };
}

/**
 * Walk a changelog and everything it includes, in Liquibase's order, and return its changesets. Missing,
 * malformed, looping and outside-the-root includes become problems; the rest of the tree is still read.
 */
export function collectChangeSets(files: ChangelogFiles, changelogPath: string): { changeSets: FoundChangeSet[]; properties: ChangelogProperty[]; problems: Finding[] } {
  const changeSets: FoundChangeSet[] = [];
  const properties: ChangelogProperty[] = [];
  const problems: Finding[] = [];
  const reading: string[] = [];
  const done = new Set<string>();

  const visit = (path: string, from: SourceLocation | undefined): void => {
    if (reading.includes(path)) {
      problems.push(problem('include-loop', `include loop: ${[...reading.slice(reading.indexOf(path)), path].join(' → ')}`, from ?? { file: path, line: 1, column: 1 }));
      return;
    }
    if (done.has(path)) {
      // Liquibase reads a file included twice only once (its changesets are already known).
      problems.push(problem('duplicate-include', `${path} is included more than once; it is read once`, from ?? { file: path, line: 1, column: 1 }, 'info'));
      return;
    }
    const bytes = files.read(path);
    if (!bytes) {
      problems.push(problem('read-error', `changelog ${path} does not exist`, from ?? { file: path, line: 1, column: 1 }));
      return;
    }
    const decoded = decodeText(path, bytes);
    if (decoded.problem) {
      problems.push(decoded.problem);
      return;
    }
    const parsed = parseChangelog(path, decoded.text);
    if (parsed.problem) {
      problems.push(problem('read-error', `${path}: ${parsed.problem.message}`, { file: path, ...parsed.problem.position }));
      return;
    }
    reading.push(path);
    const lines = new LineIndex(decoded.text);
    for (const n of parsed.nodes) {
      const at: SourceLocation = { file: path, ...n.position };
      if (n.name === 'changeSet') changeSets.push({ node: n, file: path, text: decoded.text, lines });
      else if (n.name === 'include') include(n, path, at);
      else if (n.name === 'includeAll') includeAll(n, path, at);
      else if (n.name === 'property' && n.attrs.name && n.attrs.value !== undefined) properties.push({ name: n.attrs.name, value: n.attrs.value, ...(n.attrs.dbms ? { dbms: n.attrs.dbms } : {}) });
    }
    reading.pop();
    done.add(path);
  };

  const include = (n: LiquibaseNode, from: string, at: SourceLocation): void => {
    const name = n.attrs.file;
    if (!name) {
      problems.push(problem('read-error', 'include needs a file attribute', at));
      return;
    }
    const target = resolveChangelogPath(name, from, n.attrs.relativeToChangelogFile === 'true');
    if (target === undefined || target === '') {
      problems.push(problem('include-outside-root', `include ${name} points outside the reviewed folder; it is not read`, at));
      return;
    }
    visit(target, at);
  };

  const includeAll = (n: LiquibaseNode, from: string, at: SourceLocation): void => {
    const name = n.attrs.path;
    if (!name) {
      problems.push(problem('read-error', 'includeAll needs a path attribute', at));
      return;
    }
    const dir = resolveChangelogPath(name, from, n.attrs.relativeToChangelogFile === 'true');
    if (dir === undefined) {
      problems.push(problem('include-outside-root', `includeAll ${name} points outside the reviewed folder; it is not read`, at));
      return;
    }
    // Liquibase sorts includeAll's files by their full path, plain string order.
    const found = files
      .list(dir)
      .filter((p) => CHANGELOG_EXTENSIONS.includes(posix.extname(p).toLowerCase()) && p !== from)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (found.length === 0) {
      problems.push(problem('read-error', `includeAll ${name} finds no changelog files`, at));
      return;
    }
    for (const p of found) visit(p, at);
  };

  visit(changelogPath, undefined);
  return { changeSets, properties, problems };
}
