import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type Pair, type Scalar } from 'yaml';
import { offsetToPosition } from '../../../../shared/sql/offsetToPosition';
import type { LiquibaseNode, NodePosition, ParsedChangelog, TextPlace } from './LiquibaseNode';

/**
 * How many alias dereferences a YAML changelog may make. Real changelogs use a handful for shared column lists;
 * a "billion laughs" alias bomb needs thousands, and yaml refuses it past this count instead of expanding it.
 */
const MAX_ALIAS_COUNT = 100;

/** Read a YAML changelog into nodes. */
export function parseYamlChangelog(text: string): ParsedChangelog {
  return parseStructured(text);
}

/**
 * Read a JSON changelog. JSON.parse checks it strictly first, so a JSON error points at JSON's own offset;
 * yaml (a JSON superset) then gives every node its position.
 */
export function parseJsonChangelog(text: string): ParsedChangelog {
  try {
    JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { problem: { message: `malformed JSON: ${message}`, position: jsonErrorPosition(text, message) } };
  }
  return parseStructured(text);
}

function jsonErrorPosition(text: string, message: string): NodePosition {
  const lineCol = /line (\d+) column (\d+)/.exec(message);
  if (lineCol) return { line: Number(lineCol[1]), column: Number(lineCol[2]) };
  const at = /position (\d+)/.exec(message);
  // V8 names no position for a truncated document: the error is at its end.
  const offset = at ? Number(at[1]) : /end of JSON input/.test(message) ? text.length : 0;
  const p = offsetToPosition(text, offset);
  return { line: p.line, column: p.column };
}

function parseStructured(text: string): ParsedChangelog {
  const lineCounter = new LineCounter();
  source = text;
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const pos = (offset: number): NodePosition => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const err = doc.errors[0];
  if (err) return { problem: { message: `malformed ${text.trimStart().startsWith('{') ? 'JSON' : 'YAML'}: ${firstLine(err.message)}`, position: pos(err.pos[0]) } };
  let plain: unknown;
  try {
    // toJS is only a probe: it enforces maxAliasCount, which the node walk below would not.
    plain = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    return { problem: { message: `refused YAML: ${firstLine(e instanceof Error ? e.message : String(e))}`, position: { line: 1, column: 1 } } };
  }
  if (plain === null || typeof plain !== 'object' || !isMap(doc.contents)) {
    return { problem: { message: 'the changelog must be a map with a databaseChangeLog key', position: { line: 1, column: 1 } } };
  }
  const top = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'databaseChangeLog');
  if (!top || !isSeq(top.value)) {
    return { problem: { message: 'databaseChangeLog must be a list of changeSet, include and includeAll entries', position: top ? pos(rangeStart(top.key)) : { line: 1, column: 1 } } };
  }
  const nodes: LiquibaseNode[] = [];
  for (const item of top.value.items) {
    const entry = resolve(item, doc);
    if (!isMap(entry)) continue;
    for (const pair of entry.items) nodes.push(toNode(pair, doc, pos));
  }
  return { nodes };
}

type Doc = ReturnType<typeof parseDocument>;

/** The text being read; parsing is synchronous, so one module variable serves the helpers below. */
let source = '';

/** Where a scalar's value starts, when its lines map onto the file's; undefined for folded or multi-line flow scalars. */
function placeOf(value: Scalar, pos: (offset: number) => NodePosition): TextPlace | undefined {
  const [start, end] = value.range ?? [0, 0];
  if (value.type === 'BLOCK_LITERAL') {
    const header = source.indexOf('\n', start);
    if (header < 0) return undefined;
    const firstLine = /(?:[ \t]*\r?\n)*([ ]*)/.exec(source.slice(header + 1))!;
    const indent = firstLine[1]!.length + 1;
    return { line: pos(header + 1).line, column: indent, indent };
  }
  if (/[\r\n]/.test(source.slice(start, end))) return undefined;
  const quoted = value.type === 'QUOTE_DOUBLE' || value.type === 'QUOTE_SINGLE' ? 1 : 0;
  const p = pos(start + quoted);
  return { line: p.line, column: p.column };
}

function resolve(n: unknown, doc: Doc): unknown {
  // Aliases were counted by the probe above, so following one here is bounded.
  let cur = n;
  for (let i = 0; i < MAX_ALIAS_COUNT && isAlias(cur); i++) cur = cur.resolve(doc);
  return cur;
}

function rangeStart(n: unknown): number {
  return (n as YamlNode | undefined)?.range?.[0] ?? 0;
}

/** `key: value` → a node named key: scalars become attributes, maps become children, list items become children. */
function toNode(pair: Pair, doc: Doc, pos: (offset: number) => NodePosition): LiquibaseNode {
  const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
  const out: LiquibaseNode = { name, attrs: {}, children: [], text: '', position: pos(rangeStart(pair.key)) };
  fill(out, resolve(pair.value, doc), doc, pos);
  return out;
}

function fill(out: LiquibaseNode, value: unknown, doc: Doc, pos: (offset: number) => NodePosition): void {
  if (isScalar(value)) {
    // `rollback: DROP TABLE x` and `sql: …` as a bare string: the string is the text.
    if (value.value !== null) {
      out.text = String(value.value);
      const place = placeOf(value, pos);
      if (place) out.textPlace = place;
    }
    return;
  }
  if (isSeq(value)) {
    for (const item of value.items) {
      const entry = resolve(item, doc);
      if (isMap(entry)) for (const p of entry.items) out.children.push(toNode(p, doc, pos));
      else if (isScalar(entry) && entry.value !== null) {
        const place = placeOf(entry, pos);
        out.children.push({ name: '#value', attrs: {}, children: [], text: String(entry.value), position: pos(rangeStart(entry)), ...(place ? { textPlace: place } : {}) });
      }
    }
    return;
  }
  if (!isMap(value)) return;
  for (const p of value.items) {
    const key = isScalar(p.key) ? String(p.key.value) : String(p.key);
    const v = resolve(p.value, doc);
    if (isScalar(v)) {
      if (v.value !== null) {
        out.attrs[key] = String(v.value);
        const place = placeOf(v, pos);
        if (place) out.attrPlaces = { ...out.attrPlaces, [key]: place };
      }
    } else {
      out.children.push(toNode(p, doc, pos));
    }
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0]!;
}
