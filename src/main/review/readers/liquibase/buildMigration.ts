import type { Dialect } from '../../../../shared/domain/connection';
import type { Finding, Migration, MigrationStatement, SourceLocation } from '../../../../shared/domain/review';
import { splitStatements } from '../../../../shared/sql/splitStatements';
import { decodeText } from '../../input/decodeText';
import { LineIndex } from '../LineIndex';
import { autoRollback } from './autoRollback';
import { changeGenerators, type ChangeContext, type PlacedStatement } from './changeGenerators';
import { changeSqlFacts } from './changeSqlFacts';
import type { ChangelogFiles } from './ChangelogFiles';
import { problem, resolveChangelogPath, type FoundChangeSet } from './collectChangeSets';
import type { LiquibaseNode, TextPlace } from './LiquibaseNode';
import { ChangeError, isTrue } from './sqlValues';

/** Children of a changeSet that are not changes. modifySql is not applied: statements are as generated before it. */
const CHANGESET_META = new Set(['comment', 'rollback', 'preConditions', 'validCheckSum', 'labels', 'contexts', 'modifySql']);
/** `--rollback empty` / `not required`: the author says there is nothing to undo. */
const EMPTY_ROLLBACK = /^\s*(empty|not required)\s*;?\s*$/i;

export interface BuildContext {
  dialect: Dialect;
  files: ChangelogFiles;
  problems: Finding[];
  /** The SQL with changelog parameters (`${name}`) substituted; unknown ones stay as written, as in Liquibase. */
  expand(sql: string): string;
  /** The up statements of another changeset, for rollback changeSetId references. */
  upOf(id: string, author: string, path: string | undefined): MigrationStatement[] | undefined;
}

export function changesOf(cs: LiquibaseNode): LiquibaseNode[] {
  // YAML and JSON list the changes under `changes:`; XML puts them straight in the changeSet.
  return cs.children.flatMap((c) => (c.name === 'changes' ? c.children : CHANGESET_META.has(c.name) ? [] : [c]));
}

/**
 * The statements of changes, each placed at its source; complete is false when a change could not be turned
 * into SQL (unknown or unsupported), which is reported when `report` is set.
 */
function statementsOf(changes: LiquibaseNode[], found: FoundChangeSet, changeset: string, ctx: BuildContext, report: boolean): { statements: MigrationStatement[]; complete: boolean } {
  const facts = changeSqlFacts[ctx.dialect];
  const csAttrs = found.node.attrs;
  const out: MigrationStatement[] = [];
  let complete = true;
  for (const change of changes) {
    const at: SourceLocation = { file: found.file, ...change.position, changeset };
    const generate = changeGenerators[change.name];
    if (!generate) {
      if (report) problems(ctx, 'unknown-change-type', `unknown change type <${change.name}>: Quarry cannot tell what SQL it runs`, at, changeset, 'warning');
      complete = false;
      continue;
    }
    const changeCtx: ChangeContext = {
      dialect: ctx.dialect,
      facts,
      sqlText: (text, attrs, where) => splitText(text, { ...csAttrs, ...attrs }, where?.offset !== undefined ? { lines: found.lines, offset: where.offset } : where?.place, at, ctx.dialect),
      sqlFile: (path, relative, attrs) => {
        const target = resolveChangelogPath(path, found.file, relative);
        if (target === undefined || target === '') throw new ChangeError(`sqlFile ${path} points outside the reviewed folder`);
        const bytes = ctx.files.read(target);
        if (!bytes) throw new ChangeError(`sqlFile ${target} does not exist`);
        const decoded = decodeText(target, bytes);
        if (decoded.problem) throw new ChangeError(decoded.problem.message);
        return splitText(decoded.text, { ...csAttrs, ...attrs }, { lines: new LineIndex(decoded.text), offset: 0 }, { file: target, line: 1, column: 1, changeset }, ctx.dialect);
      },
    };
    try {
      for (const s of generate(change, changeCtx)) {
        // Parameters are substituted in the finished statement, so positions found before still hold.
        out.push(typeof s === 'string' ? { sql: ctx.expand(s), location: at, changeType: change.name } : { sql: ctx.expand(s.sql), location: s.location, changeType: change.name });
      }
    } catch (e) {
      if (!(e instanceof ChangeError)) throw e;
      if (report) problems(ctx, 'unsupported-change', `${change.name}: ${e.message}`, at, changeset, 'warning');
      complete = false;
    }
  }
  return { statements: out, complete };
}

function problems(ctx: BuildContext, ruleId: string, message: string, at: SourceLocation, migrationId: string, severity: Finding['severity']): void {
  ctx.problems.push({ ...problem(ruleId, message, at, severity), migrationId });
}

/**
 * Split SQL text as Liquibase would: the dialect's own splitting, one statement when splitStatements is false,
 * or at a custom endDelimiter (a line holding only it, such as `/` or `GO`). Positions are exact when the text
 * stands verbatim in a file, otherwise the change's own.
 */
function splitText(text: string, attrs: Record<string, string>, source: { lines: LineIndex; offset: number } | TextPlace | undefined, at: SourceLocation, dialect: Dialect): PlacedStatement[] {
  const valueLines = source && !('lines' in source) ? new LineIndex(text) : undefined;
  const place = (start: number): SourceLocation => {
    if (!source) return at;
    if ('lines' in source) {
      const p = source.lines.position(source.offset + start);
      return { ...at, line: p.line, column: p.column };
    }
    const inValue = valueLines!.position(start);
    if (inValue.line === 1) return { ...at, line: source.line, column: source.column + inValue.column - 1 };
    if (source.indent === undefined) return at;
    return { ...at, line: source.line + inValue.line - 1, column: source.indent + inValue.column - 1 };
  };
  if (attrs.splitStatements !== undefined && !isTrue(attrs.splitStatements)) {
    const start = text.search(/\S/);
    return start < 0 ? [] : [{ sql: text.trim(), location: place(start) }];
  }
  const delimiter = attrs.endDelimiter?.replace(/^\\n/, '').trim();
  if (delimiter && delimiter !== ';') {
    const out: PlacedStatement[] = [];
    const re = new RegExp(`^[ \\t]*${delimiter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[ \\t]*$`, 'gm');
    let from = 0;
    const push = (end: number): void => {
      const piece = text.slice(from, end);
      const lead = piece.search(/\S/);
      if (lead >= 0) out.push({ sql: piece.trim(), location: place(from + lead) });
    };
    for (let m = re.exec(text); m; m = re.exec(text)) {
      push(m.index);
      from = m.index + m[0].length;
    }
    push(text.length);
    return out;
  }
  try {
    return splitStatements(text, dialect).map((s) => ({ sql: s.text, location: place(s.start) }));
  } catch (e) {
    throw new ChangeError(e instanceof Error ? e.message : String(e));
  }
}

/** The explicit rollback of a changeset: undefined when it has none, [] when it says there is nothing to undo. */
function explicitRollback(found: FoundChangeSet, changeset: string, ctx: BuildContext): { down: MigrationStatement[] | undefined } | undefined {
  const blocks = found.node.children.filter((c) => c.name === 'rollback');
  // YAML and JSON write a SQL-only rollback as a plain string: `rollback: DROP TABLE x`.
  const inline = found.node.attrs.rollback;
  if (inline !== undefined) {
    const place = found.node.attrPlaces?.rollback;
    blocks.push({ name: 'rollback', attrs: {}, children: [], text: inline, position: found.node.position, ...(place ? { textPlace: place } : {}) });
  }
  if (blocks.length === 0) return undefined;
  const down: MigrationStatement[] = [];
  for (const block of blocks) {
    const at: SourceLocation = { file: found.file, ...block.position, changeset };
    if (block.attrs.changeSetId) {
      const up = ctx.upOf(block.attrs.changeSetId, block.attrs.changeSetAuthor ?? found.node.attrs.author ?? '', block.attrs.changeSetPath);
      if (!up) {
        problems(ctx, 'read-error', `rollback refers to changeset ${block.attrs.changeSetAuthor ?? found.node.attrs.author}:${block.attrs.changeSetId}, which is not in the changelog`, at, changeset, 'error');
        return { down: undefined };
      }
      down.push(...up);
      continue;
    }
    if (block.text.trim() !== '' && !EMPTY_ROLLBACK.test(block.text)) {
      const sqlNode: LiquibaseNode = { ...block, name: 'sql', attrs: {}, children: [] };
      const text = statementsOf([sqlNode], found, changeset, ctx, true);
      if (!text.complete) return { down: undefined };
      down.push(...text.statements);
    }
    // YAML's `rollback: [- "DROP …"]` lists bare SQL strings.
    const changes = block.children.flatMap((c) => (c.name === '#value' ? [{ ...c, name: 'sql' }] : c.name === 'changes' ? c.children : [c]));
    const stmts = statementsOf(changes, found, changeset, ctx, true);
    if (!stmts.complete) return { down: undefined };
    down.push(...stmts.statements);
  }
  return { down };
}

/** One changeset as one Migration; undefined when it has no id or author (reported). */
export function buildMigration(found: FoundChangeSet, ctx: BuildContext): Migration | undefined {
  const { id, author } = found.node.attrs;
  const at: SourceLocation = { file: found.file, ...found.node.position };
  if (!id || !author) {
    ctx.problems.push(problem('invalid-changeset', `changeSet without ${!id ? 'an id' : 'an author'}: Liquibase refuses it`, at));
    return undefined;
  }
  const changeset = `${author}:${id}`;
  const changes = changesOf(found.node);
  const up = statementsOf(changes, found, changeset, ctx, true).statements;
  const changeTypes = changes.map((c) => ({ type: c.name, autoRollback: c.name in autoRollback && c.name in changeGenerators }));
  let down: MigrationStatement[] | undefined;
  const explicit = explicitRollback(found, changeset, ctx);
  if (explicit) down = explicit.down;
  else if (changes.length > 0 && changeTypes.every((t) => t.autoRollback)) {
    const inverses = [...changes].reverse().flatMap((c) => autoRollback[c.name]!(c));
    const inverse = statementsOf(inverses, found, changeset, ctx, false);
    down = inverse.complete ? inverse.statements : undefined;
  }
  const comment = (found.node.attrs.comment ?? found.node.children.find((c) => c.name === 'comment')?.text)?.trim();
  return {
    id: changeset,
    description: comment || changeTypes.map((t) => t.type).join(', ') || 'empty changeset',
    format: 'liquibase',
    file: found.file,
    up,
    down,
    transactional: found.node.attrs.runInTransaction === undefined ? true : isTrue(found.node.attrs.runInTransaction),
    changeTypes,
  };
}
