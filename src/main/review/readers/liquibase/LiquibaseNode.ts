/** A 1-based line and column in a changelog file. */
export interface NodePosition {
  line: number;
  column: number;
}

/**
 * One element of a changelog, the same shape whichever format it was written in: XML elements, YAML/JSON maps
 * and formatted SQL headers all become this, so the change generators read one structure.
 */
export interface LiquibaseNode {
  name: string;
  /** Scalar attributes (XML attributes, YAML/JSON scalar values), as strings. */
  attrs: Record<string, string>;
  children: LiquibaseNode[];
  /** Text content (XML element text, CDATA); '' when none. */
  text: string;
  position: NodePosition;
  /** Offset of `text` in the file when the text is the file's characters verbatim, for exact statement positions. */
  textOffset?: number;
  /** Where `text` starts when it is not verbatim but its lines still map to the file's (a YAML scalar). */
  textPlace?: TextPlace;
  /** The same for attributes given as YAML/JSON scalars (`sql: |` …), by attribute name. */
  attrPlaces?: Record<string, TextPlace>;
}

/**
 * Where a value's first character is in the file. A YAML literal block (`|`) keeps its lines, each indented
 * by the same amount: line n of the value is file line `line + n - 1`, its content from column `indent`.
 */
export interface TextPlace {
  line: number;
  column: number;
  /** 1-based column of lines after the first; absent when the value is one line. */
  indent?: number;
}

/** A changelog file read into nodes: the children of databaseChangeLog, or the problem that stopped reading it. */
export type ParsedChangelog = { nodes: LiquibaseNode[]; problem?: undefined } | { nodes?: undefined; problem: ChangelogProblem };

export interface ChangelogProblem {
  message: string;
  position: NodePosition;
}

export function node(name: string, attrs: Record<string, string>, position: NodePosition, children: LiquibaseNode[] = []): LiquibaseNode {
  return { name, attrs, children, text: '', position };
}

/** A value given either as an attribute (YAML/JSON `where: …`) or as a child element's text (XML `<where>`). */
export function textOf(n: LiquibaseNode, key: string): string | undefined {
  if (n.attrs[key] !== undefined) return n.attrs[key];
  const child = n.children.find((c) => c.name === key);
  return child ? child.text : undefined;
}

export function childrenNamed(n: LiquibaseNode, name: string): LiquibaseNode[] {
  return n.children.filter((c) => c.name === name);
}
