import type { ConstraintSpec, ParsedStatement } from '../parse/ParsedStatement';

export type NamedObjectKind = 'table' | 'column' | 'index' | 'primary-key' | 'foreign-key' | 'unique' | 'check' | 'constraint';

export interface NamedObject {
  kind: NamedObjectKind;
  name: string;
}

function constraintObject(c: ConstraintSpec): NamedObject[] {
  if (!c.name) return [];
  if (c.plainIndex) return [{ kind: 'index', name: c.name }];
  const kinds: Partial<Record<ConstraintSpec['kind'], NamedObjectKind>> = { 'primary-key': 'primary-key', 'foreign-key': 'foreign-key', unique: 'unique', check: 'check' };
  return [{ kind: kinds[c.kind] ?? 'constraint', name: c.name }];
}

/** The names a statement gives to new objects (created or renamed to), with what each names. */
export function namedObjects(parsed: ParsedStatement): NamedObject[] {
  const out: NamedObject[] = [];
  switch (parsed.kind) {
    case 'create-table':
      out.push(...parsed.tables.map((name) => ({ kind: 'table' as const, name })));
      for (const c of parsed.columns) out.push({ kind: 'column', name: c.name }, ...c.constraints.flatMap(constraintObject));
      out.push(...parsed.constraints.flatMap(constraintObject));
      break;
    case 'rename-table':
      out.push(...parsed.alterCommands.flatMap((c) => (c.newName ? [{ kind: 'table' as const, name: c.newName }] : [])));
      break;
    case 'create-index':
      if (parsed.objectName) out.push({ kind: 'index', name: parsed.objectName });
      break;
    case 'alter-table':
      for (const c of parsed.alterCommands) {
        if (c.kind === 'add-column' && c.columnSpec) out.push({ kind: 'column', name: c.columnSpec.name }, ...c.columnSpec.constraints.flatMap(constraintObject));
        if ((c.kind === 'rename-column' || c.kind === 'alter-column-type') && c.newName) out.push({ kind: 'column', name: c.newName });
        if (c.kind === 'rename-table' && c.newName) out.push({ kind: 'table', name: c.newName });
        if (c.kind === 'add-constraint' && c.constraint) out.push(...constraintObject(c.constraint));
      }
      break;
    default:
      break;
  }
  return out.filter((o) => o.name !== '');
}
