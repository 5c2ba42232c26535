import { SaxesParser } from 'saxes';
import { LineIndex } from '../LineIndex';
import type { LiquibaseNode, ParsedChangelog } from './LiquibaseNode';

/** Thrown from a handler to stop saxes at the first problem; carries where it is. */
class XmlStop extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/**
 * Read an XML changelog. A DOCTYPE is refused outright, before any entity could be declared or expanded:
 * changelogs never need one, and refusing it closes both external entities (XXE) and entity expansion bombs.
 * Namespaces are dropped from element names (Liquibase's own xmlns and extension prefixes alike).
 */
export function parseXmlChangelog(text: string): ParsedChangelog {
  const parser = new SaxesParser({ position: true });
  const lines = new LineIndex(text);
  const root: LiquibaseNode = { name: '#document', attrs: {}, children: [], text: '', position: { line: 1, column: 1 } };
  const stack: LiquibaseNode[] = [root];
  let error: XmlStop | undefined;
  // Whether the current element's text is still the file's characters verbatim (no entity references).
  let tagStart = 0;

  parser.on('opentagstart', () => {
    tagStart = text.lastIndexOf('<', parser.position - 1);
  });
  parser.on('doctype', () => {
    // Point at the declaration itself, not where saxes finished reading it.
    const at = lines.position(Math.max(0, text.indexOf('<!DOCTYPE')));
    throw new XmlStop('a DOCTYPE is not allowed in a changelog (entities are refused: no external entities, no entity expansion)', at.line, at.column);
  });
  parser.on('opentag', (tag) => {
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) {
      if (k === 'xmlns' || k.includes(':')) continue;
      attrs[k] = typeof v === 'string' ? v : v.value;
    }
    const at = lines.position(tagStart);
    const el: LiquibaseNode = { name: localName(tag.name), attrs, children: [], text: '', position: { line: at.line, column: at.column }, textOffset: parser.position };
    stack[stack.length - 1]!.children.push(el);
    stack.push(el);
  });
  parser.on('text', (t) => {
    stack[stack.length - 1]!.text += t;
  });
  parser.on('cdata', (t) => {
    const el = stack[stack.length - 1]!;
    // Whitespace around a CDATA section is layout, not SQL.
    el.text = el.text.trim() === '' ? t : el.text + t;
  });
  parser.on('closetag', () => {
    const el = stack.pop()!;
    // The text keeps exact positions only when it stands in the file verbatim (no entity references decoded).
    // Searching only the element's own span keeps this linear in the file however many elements it has.
    const from = el.textOffset ?? 0;
    const found = el.text.trim() === '' ? -1 : text.slice(from, parser.position).indexOf(el.text);
    el.textOffset = found >= 0 ? from + found : undefined;
  });
  parser.on('error', (e) => {
    // saxes prefixes its message with the 1-based line:column of the offending character.
    const m = /^(?:[^:]*:)?(\d+):(\d+): (.*)$/s.exec(e.message);
    if (m) throw new XmlStop(m[3]!, Number(m[1]), Number(m[2]));
    throw new XmlStop(e.message, parser.line, parser.columnIndex + 1);
  });

  try {
    parser.write(text).close();
  } catch (e) {
    error = e instanceof XmlStop ? e : new XmlStop(e instanceof Error ? e.message : String(e), parser.line, parser.columnIndex + 1);
  }
  if (error) return { problem: { message: `malformed XML: ${error.message}`, position: { line: error.line, column: Math.max(1, error.column) } } };
  const top = root.children[0];
  if (!top || top.name !== 'databaseChangeLog') {
    return { problem: { message: 'the root element must be <databaseChangeLog>', position: top?.position ?? { line: 1, column: 1 } } };
  }
  return { nodes: top.children };
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon >= 0 ? name.slice(colon + 1) : name;
}
