import { AGGREGATES, emptyQueryRefs, type QueryRefs } from './QueryRefs';

/* libpg-query's JSON tree: every node is { NodeType: { …fields } }. */
type Node = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const WRITES: Record<string, string> = { InsertStmt: 'INSERT', UpdateStmt: 'UPDATE', DeleteStmt: 'DELETE', MergeStmt: 'MERGE' };

/** The tables, columns and clauses of one statement parsed by libpg-query (its `{ SelectStmt: … }` node). */
export function readPostgresRefs(stmt: Node): QueryRefs {
  const refs = emptyQueryRefs();
  const select = stmt.SelectStmt as Node | undefined;
  if (select) {
    refs.limited = select.limitCount !== undefined || (select.valuesLists !== undefined && !select.larg);
    // One row: aggregates without GROUP BY, or no FROM at all (SELECT now()).
    refs.oneRow = !select.groupClause && !select.larg && !select.valuesLists && (!select.fromClause || targetsOnlyAggregates(select.targetList));
  }
  walk(stmt, refs);
  return refs;
}

function targetsOnlyAggregates(targets: Node[] | undefined): boolean {
  if (!targets?.length) return false;
  return targets.every((t) => {
    const fn = t.ResTarget?.val?.FuncCall as Node | undefined;
    const name = fn?.funcname?.at(-1)?.String?.sval as string | undefined;
    return name !== undefined && AGGREGATES.has(name.toLowerCase()) && !fn?.over;
  });
}

function walk(node: unknown, refs: QueryRefs): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, refs);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [type, value] of Object.entries(node as Node)) {
    const v = value as Node;
    switch (type) {
      case 'RangeVar':
        refs.tables.push({ schema: v.schemaname, name: v.relname, alias: v.alias?.aliasname });
        break;
      case 'CommonTableExpr':
        refs.cteNames.push(v.ctename);
        break;
      case 'RangeSubselect':
      case 'RangeFunction':
      case 'RangeTableFunc':
        refs.hasOpaqueSource = true;
        if (v.alias?.aliasname) refs.opaqueAliases.push(v.alias.aliasname);
        break;
      case 'ColumnRef': {
        const fields = (v.fields ?? []) as Node[];
        const names = fields.map((f) => (f.A_Star ? '*' : (f.String?.sval as string | undefined)));
        if (names.some((n) => n === undefined)) break;
        const column = names.at(-1)!;
        refs.columns.push(names.length > 1 ? { qualifier: names.slice(0, -1) as string[], column } : { column });
        break;
      }
      case 'SelectStmt':
        if (v.lockingClause) refs.locks = true;
        if (v.intoClause) refs.into = true;
        for (const t of (v.targetList ?? []) as Node[]) if (t.ResTarget?.name) refs.outputAliases.push(t.ResTarget.name);
        break;
      default:
        if (WRITES[type]) {
          refs.writes.push(WRITES[type]);
          // The target is a bare RangeVar (a typed field, not a wrapped node), which the walk would not see as one.
          const target = v.relation as Node | undefined;
          if (target?.relname) {
            refs.tables.push({ schema: target.schemaname, name: target.relname, alias: target.alias?.aliasname });
            // UPDATE … SET c = and INSERT (c, …) name columns of the target as bare ResTarget names.
            const qualifier = [target.alias?.aliasname ?? target.relname] as string[];
            for (const t of ((type === 'UpdateStmt' ? v.targetList : v.cols) ?? []) as Node[]) if (t.ResTarget?.name) refs.columns.push({ qualifier, column: t.ResTarget.name });
          }
        }
    }
    walk(value, refs);
  }
}
