import { LineIndex } from '../LineIndex';
import type { LiquibaseNode, NodePosition, ParsedChangelog } from './LiquibaseNode';

const HEADER = /^--\s*liquibase\s+formatted\s+sql\b/i;
// Liquibase's own pattern: the author runs to the first colon unless quoted.
const CHANGESET = /^--\s*changeset\s+("[^"]+"|[^:\s]+)(?::("[^"]+"|\S+))?(.*)$/i;
const ROLLBACK_LINE = /^--\s*rollback\b ?(.*)$/i;
const ROLLBACK_BLOCK_START = /^\/\*\s*liquibase\s+rollback\b/i;
const COMMENT = /^--\s*comment:?\s?(.*)$/i;
const PRECONDITION = /^--\s*precondition(s|-[\w-]+)\b(.*)$/i;
const INCLUDE = /^--\s*include(All)?\s+(.*)$/i;
const PROPERTY = /^--\s*property\s+(.*)$/i;
const ATTR = /(\w+):("[^"]*"|\S+)/g;

/** True when the text is a formatted SQL changelog (its first line is `--liquibase formatted sql`). */
export function isFormattedSql(text: string): boolean {
  return HEADER.test(text.trimStart().split('\n', 1)[0] ?? '');
}

interface Line {
  text: string;
  start: number;
}

/**
 * Read a formatted SQL changelog into changeSet nodes. Each changeSet gets a `sql` child and, when it has
 * rollback lines, a `rollback` child. Their text is the file itself with every other character blanked
 * (newlines kept), so statement offsets found in it are offsets in the file. Preconditions are kept as
 * `preConditions` children but not evaluated.
 */
export function parseFormattedSqlChangelog(text: string): ParsedChangelog {
  const lines = splitLines(text);
  const nodes: LiquibaseNode[] = [];
  let current: { node: LiquibaseNode; body: Line[]; rollback: Line[]; from: number } | undefined;
  const index = new LineIndex(text);
  const pos = (offset: number): NodePosition => index.position(offset);
  const finish = (end: number): void => {
    if (!current) return;
    const { node: cs, body, rollback, from } = current;
    cs.children.unshift({ name: 'sql', attrs: pick(cs.attrs, ['endDelimiter', 'splitStatements', 'stripComments']), children: [], text: blankExcept(text, from, end, body), position: cs.position, textOffset: from });
    if (rollback.length > 0) cs.children.push({ name: 'rollback', attrs: {}, children: [], text: blankExcept(text, from, end, rollback), position: pos(rollback[0]!.start), textOffset: from });
    current = undefined;
  };

  let inRollbackBlock = false;
  for (const line of lines) {
    const trimmed = line.text.trim();
    if (inRollbackBlock) {
      const close = line.text.indexOf('*/');
      if (close >= 0) {
        inRollbackBlock = false;
        current?.rollback.push({ text: line.text.slice(0, close), start: line.start });
      } else current?.rollback.push(line);
      continue;
    }
    const cs = CHANGESET.exec(trimmed);
    if (cs) {
      finish(line.start);
      const attrs = parseAttrs(cs[3] ?? '');
      attrs.author = unquote(cs[1]!);
      if (cs[2] !== undefined) attrs.id = unquote(cs[2]);
      const n: LiquibaseNode = { name: 'changeSet', attrs, children: [], text: '', position: pos(line.start + line.text.indexOf('-')) };
      nodes.push(n);
      current = { node: n, body: [], rollback: [], from: line.start + line.text.length };
      continue;
    }
    if (HEADER.test(trimmed)) continue;
    const property = PROPERTY.exec(trimmed);
    if (property) {
      nodes.push({ name: 'property', attrs: parseAttrs(property[1]!), children: [], text: '', position: pos(line.start) });
      continue;
    }
    const inc = INCLUDE.exec(trimmed);
    if (inc && !current) {
      nodes.push({ name: inc[1] ? 'includeAll' : 'include', attrs: parseAttrs(inc[2]!), children: [], text: '', position: pos(line.start) });
      continue;
    }
    if (!current) continue;
    const rb = ROLLBACK_LINE.exec(trimmed);
    if (rb) {
      const at = line.text.length - line.text.trimStart().length;
      const content = line.text.slice(at).replace(/^--\s*rollback\b ?/i, '');
      current.rollback.push({ text: content, start: line.start + line.text.length - content.length });
      continue;
    }
    if (ROLLBACK_BLOCK_START.test(trimmed)) {
      const after = line.text.replace(/^\s*\/\*\s*liquibase\s+rollback\b/i, '');
      const close = after.indexOf('*/');
      if (close >= 0) current.rollback.push({ text: after.slice(0, close), start: line.start + line.text.length - after.length });
      else {
        inRollbackBlock = true;
        current.rollback.push({ text: after, start: line.start + line.text.length - after.length });
      }
      continue;
    }
    const comment = COMMENT.exec(trimmed);
    if (comment) {
      current.node.children.push({ name: 'comment', attrs: {}, children: [], text: comment[1]!, position: pos(line.start) });
      continue;
    }
    if (PRECONDITION.test(trimmed)) {
      current.node.children.push({ name: 'preConditions', attrs: {}, children: [], text: trimmed, position: pos(line.start) });
      continue;
    }
    current.body.push(line);
  }
  finish(text.length);
  return { nodes };
}

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  const re = /[^\r\n]*(\r\n|\n|\r|$)/g;
  for (let m = re.exec(text); m && m[0] !== ''; m = re.exec(text)) {
    out.push({ text: m[0].replace(/[\r\n]+$/, ''), start: m.index });
  }
  return out;
}

/** text[from, end) with only the kept pieces left and everything else spaces, newlines kept. */
function blankExcept(text: string, from: number, end: number, keep: Line[]): string {
  const chars = text.slice(from, end).replace(/[^\r\n]/g, ' ').split('');
  for (const k of keep) {
    for (let i = 0; i < k.text.length; i++) chars[k.start - from + i] = k.text[i]!;
  }
  return chars.join('');
}

function parseAttrs(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of s.matchAll(ATTR)) out[m[1]!] = unquote(m[2]!);
  return out;
}

function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

function pick(attrs: Record<string, string>, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) if (attrs[k] !== undefined) out[k] = attrs[k];
  return out;
}
