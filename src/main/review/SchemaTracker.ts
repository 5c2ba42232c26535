import type { SchemaModel } from '../../shared/domain/SchemaModel';
import type { AlterCommand, ColumnSpec, ConstraintSpec, ParsedStatement } from './parse/ParsedStatement';
import type { ColumnTypeParts } from './types/columnTypes';
import { parseColumnType } from './types/parseColumnType';

/** What is known of one column's type and nullability. */
export interface TrackedColumn extends ColumnTypeParts {
  name: string;
  notNull: boolean;
}

export interface TrackedIndex {
  /** Undefined for an index or constraint created without a name. */
  name?: string;
  table: string;
  /** Plain column names; expression parts are left out. */
  columns: string[];
  unique: boolean;
  primary: boolean;
}

export interface TrackedTable {
  name: string;
  /** In table order. */
  columns: readonly TrackedColumn[];
  /**
   * Whether every column is known: the table was created by a migration or read from the database. False when
   * only ALTERs of it were seen, so a missing column means "unknown", not "absent".
   */
  complete: boolean;
}

/** The read side that rules see: the schema before the statement being checked. Names match case-insensitively. */
export interface SchemaView {
  table(name: string | undefined): TrackedTable | undefined;
  /** Undefined when Quarry does not know the column (it may still exist). */
  column(table: string | undefined, name: string | undefined): TrackedColumn | undefined;
  index(name: string | undefined): TrackedIndex | undefined;
  /** Indexes and UNIQUE / PRIMARY KEY constraints on the table. */
  indexesOn(table: string | undefined): TrackedIndex[];
}

interface TableState {
  name: string;
  columns: TrackedColumn[];
  complete: boolean;
}

/** Tolerates a name a parser left out, so an odd AST cannot stop the review. */
const key = (name: string | undefined): string => (name ?? '').toLowerCase();

/**
 * The schema as the migrations so far leave it: fed each parsed statement in migration order with `apply`, and
 * optionally seeded from the live database's SchemaModel. Names are matched case-insensitively (PostgreSQL's
 * parser has already folded unquoted names), and schema qualifiers are dropped, as ParsedStatement drops them.
 * What it cannot follow (a statement kind it does not model) it leaves as it was rather than guess.
 */
export class SchemaTracker implements SchemaView {
  private readonly tables = new Map<string, TableState>();
  /** By lower-case name; unnamed ones by a made-up key no SQL name can equal. */
  private readonly indexes = new Map<string, TrackedIndex>();
  /** The keys in `indexes` of each table's indexes, by lower-case table name: no walk over every index per statement. */
  private readonly indexKeysByTable = new Map<string, Set<string>>();
  private unnamed = 0;

  /** A tracker that starts from the introspected schema; the first schema listed wins when two hold the same table name. */
  static fromSchemaModel(model: SchemaModel): SchemaTracker {
    const tracker = new SchemaTracker();
    for (const schema of model.schemas) {
      for (const table of schema.tables) {
        if (tracker.tables.has(key(table.name))) continue;
        const columns = [...table.columns].sort((a, b) => a.ordinal - b.ordinal).map((c) => ({ name: c.name, notNull: !c.nullable, ...parseColumnType(c.dataType) }));
        tracker.tables.set(key(table.name), { name: table.name, columns, complete: true });
        for (const index of table.indexes) {
          const columns = index.columns.flatMap((p) => ('column' in p ? [p.column] : []));
          tracker.addIndex({ name: index.name, table: table.name, columns, unique: index.unique, primary: index.primary });
        }
        // MySQL and SQLite list key constraints among the indexes too; the names keep them from doubling.
        if (table.primaryKey) tracker.addIndex({ name: table.primaryKey.name, table: table.name, columns: table.primaryKey.columns, unique: true, primary: true });
        for (const u of table.uniqueConstraints) tracker.addIndex({ name: u.name, table: table.name, columns: u.columns, unique: true, primary: false });
      }
    }
    return tracker;
  }

  table(name: string | undefined): TrackedTable | undefined {
    return name === undefined ? undefined : this.tables.get(key(name));
  }

  column(table: string | undefined, name: string | undefined): TrackedColumn | undefined {
    if (name === undefined) return undefined;
    return this.table(table)?.columns.find((c) => key(c.name) === key(name));
  }

  index(name: string | undefined): TrackedIndex | undefined {
    return name === undefined ? undefined : this.indexes.get(key(name));
  }

  indexesOn(table: string | undefined): TrackedIndex[] {
    if (table === undefined) return [];
    return this.indexKeysOn(table).map((id) => this.indexes.get(id)!);
  }

  /** Applies one statement's effect. Statements of kinds it does not model change nothing. */
  apply(parsed: ParsedStatement): void {
    switch (parsed.kind) {
      case 'create-table':
        return this.createTable(parsed);
      case 'drop-table':
        for (const t of parsed.tables) this.dropTable(t);
        return;
      case 'rename-table':
        parsed.tables.forEach((from, i) => {
          const to = parsed.alterCommands[i]?.newName;
          if (to) this.renameTable(from, to);
        });
        return;
      case 'alter-table': {
        let table = parsed.table;
        if (!table) return;
        for (const command of parsed.alterCommands) {
          this.alter(table, command, parsed.parser === 'libpg-query');
          if (command.kind === 'rename-table' && command.newName) table = command.newName;
        }
        return;
      }
      case 'create-index':
        if (!parsed.table) return;
        if (parsed.ifNotExists && this.index(parsed.objectName)) return;
        this.addIndex({ name: parsed.objectName, table: parsed.table, columns: parsed.indexColumns ?? [], unique: parsed.unique, primary: false });
        return;
      case 'drop-index':
        if (parsed.objectName) this.removeIndex(key(parsed.objectName));
        return;
      default:
        return;
    }
  }

  private createTable(parsed: ParsedStatement): void {
    const name = parsed.table;
    if (!name || (parsed.ifNotExists && this.tables.has(key(name)))) return;
    this.dropTable(name);
    const primary = new Set(parsed.constraints.filter((c) => c.kind === 'primary-key').flatMap((c) => c.columns.map(key)));
    const columns = parsed.columns.map((c) => trackedColumn(c, c.notNull || c.primaryKey || primary.has(key(c.name))));
    this.tables.set(key(name), { name, columns, complete: true });
    for (const c of parsed.columns) {
      if (c.primaryKey) this.addIndex({ table: name, columns: [c.name], unique: true, primary: true });
      for (const k of c.constraints) if (k.kind === 'unique') this.addIndex({ name: k.name, table: name, columns: [c.name], unique: true, primary: false });
    }
    for (const k of parsed.constraints) this.addConstraint(name, k);
  }

  private alter(table: string, command: AlterCommand, typeOnly: boolean): void {
    const state = this.tableFor(table);
    const find = (name: string | undefined): number => (name === undefined ? -1 : state.columns.findIndex((c) => key(c.name) === key(name)));
    switch (command.kind) {
      case 'add-column': {
        const spec = command.columnSpec;
        if (!spec || find(spec.name) >= 0) return;
        const column = trackedColumn(spec, spec.notNull || spec.primaryKey);
        state.columns.splice(this.positionIn(state, command.position, find), 0, column);
        if (spec.primaryKey) this.addIndex({ table: state.name, columns: [spec.name], unique: true, primary: true });
        for (const k of spec.constraints) if (k.kind === 'unique') this.addIndex({ name: k.name, table: state.name, columns: [spec.name], unique: true, primary: false });
        return;
      }
      case 'drop-column': {
        const at = find(command.column);
        if (at >= 0) state.columns.splice(at, 1);
        for (const id of this.indexKeysOn(state.name)) {
          if (this.indexes.get(id)!.columns.some((c) => key(c) === key(command.column ?? ''))) this.removeIndex(id);
        }
        return;
      }
      case 'alter-column-type': {
        const spec = command.columnSpec;
        const at = find(command.column);
        if (!spec) return;
        const old = at >= 0 ? state.columns[at] : undefined;
        // PostgreSQL's ALTER … TYPE changes only the type; MySQL's MODIFY / CHANGE restate the whole column.
        const column = trackedColumn({ ...spec, name: command.newName ?? command.column ?? spec.name }, typeOnly ? (old?.notNull ?? false) : spec.notNull || spec.primaryKey);
        if (at >= 0) state.columns.splice(at, 1);
        const position = command.position ? this.positionIn(state, command.position, find) : at >= 0 ? at : state.columns.length;
        state.columns.splice(position, 0, column);
        if (command.newName && command.column) this.renameInIndexes(state.name, command.column, command.newName);
        return;
      }
      case 'set-not-null':
      case 'drop-not-null': {
        const column = state.columns[find(command.column)];
        if (column) column.notNull = command.kind === 'set-not-null';
        return;
      }
      case 'rename-column': {
        const column = state.columns[find(command.column)];
        if (column && command.newName) column.name = command.newName;
        if (command.column && command.newName) this.renameInIndexes(state.name, command.column, command.newName);
        return;
      }
      case 'rename-table':
        if (command.newName) this.renameTable(state.name, command.newName);
        return;
      case 'add-constraint':
        if (command.constraint) this.addConstraint(state.name, command.constraint);
        return;
      case 'drop-constraint':
        if (command.constraint?.name) this.removeIndex(key(command.constraint.name));
        return;
      default:
        return;
    }
  }

  private positionIn(state: TableState, position: AlterCommand['position'], find: (name: string) => number): number {
    if (!position) return state.columns.length;
    if ('first' in position) return 0;
    const after = find(position.after);
    return after >= 0 ? after + 1 : state.columns.length;
  }

  private addConstraint(table: string, k: ConstraintSpec): void {
    if (k.kind !== 'unique' && k.kind !== 'primary-key' && !k.plainIndex) return;
    if (k.usingIndex) {
      // ADD CONSTRAINT … USING INDEX adopts (and renames) an index built beforehand.
      const adopted = this.index(k.usingIndex);
      this.removeIndex(key(k.usingIndex));
      if (adopted) {
        this.addIndex({ ...adopted, name: k.name ?? adopted.name, unique: true, primary: k.kind === 'primary-key' });
        return;
      }
    }
    this.addIndex({ name: k.name, table, columns: k.columns, unique: !k.plainIndex, primary: k.kind === 'primary-key' });
    if (k.kind === 'primary-key') {
      const state = this.tables.get(key(table));
      for (const c of state?.columns ?? []) if (k.columns.some((n) => key(n) === key(c.name))) c.notNull = true;
    }
  }

  private addIndex(index: TrackedIndex): void {
    const id = index.name ? key(index.name) : `\u0000${this.unnamed++}`;
    if (index.name && this.indexes.has(id)) return;
    this.indexes.set(id, { ...index, columns: [...index.columns] });
    const onTable = this.indexKeysByTable.get(key(index.table));
    if (onTable) onTable.add(id);
    else this.indexKeysByTable.set(key(index.table), new Set([id]));
  }

  private removeIndex(id: string): void {
    const index = this.indexes.get(id);
    if (!index) return;
    this.indexes.delete(id);
    this.indexKeysByTable.get(key(index.table))?.delete(id);
  }

  private indexKeysOn(table: string): string[] {
    return [...(this.indexKeysByTable.get(key(table)) ?? [])];
  }

  /** The table's state, made (incomplete) when only an ALTER of it has been seen. */
  private tableFor(name: string): TableState {
    let state = this.tables.get(key(name));
    if (!state) {
      state = { name, columns: [], complete: false };
      this.tables.set(key(name), state);
    }
    return state;
  }

  private dropTable(name: string): void {
    this.tables.delete(key(name));
    for (const id of this.indexKeysOn(name)) this.indexes.delete(id);
    this.indexKeysByTable.delete(key(name));
  }

  private renameTable(from: string, to: string): void {
    const state = this.tables.get(key(from));
    const moved = this.indexKeysByTable.get(key(from));
    this.tables.delete(key(from));
    this.indexKeysByTable.delete(key(from));
    this.dropTable(to);
    if (state) this.tables.set(key(to), { ...state, name: to });
    if (moved) {
      for (const id of moved) this.indexes.get(id)!.table = to;
      this.indexKeysByTable.set(key(to), moved);
    }
  }

  private renameInIndexes(table: string, from: string, to: string): void {
    for (const id of this.indexKeysOn(table)) {
      const index = this.indexes.get(id)!;
      index.columns = index.columns.map((c) => (key(c) === key(from) ? to : c));
    }
  }
}

function trackedColumn(spec: ColumnSpec, notNull: boolean): TrackedColumn {
  const column: TrackedColumn = { name: spec.name, type: spec.type, notNull };
  if (spec.length !== undefined) column.length = spec.length;
  if (spec.scale !== undefined) column.scale = spec.scale;
  if (spec.unsigned) column.unsigned = true;
  if (spec.array) column.array = true;
  if (spec.values) column.values = [...spec.values];
  return column;
}
