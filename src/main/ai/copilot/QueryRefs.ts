/** What a query reads, as the validator needs it, whichever parser read it. */
export interface QueryRefs {
  /** Relations named in FROM / JOIN anywhere in the statement (CTE names included; the validator tells them apart). */
  tables: { schema?: string; name: string; alias?: string }[];
  /** Names of WITH queries. */
  cteNames: string[];
  /** Aliases of subqueries and table functions: their columns are not in the schema, so they go unchecked. */
  opaqueAliases: string[];
  /** True when some FROM item is a subquery or function, so an unqualified column may come from it. */
  hasOpaqueSource: boolean;
  /** Column references: `qualifier` is [table] or [schema, table] when written; `column` is '*' for t.*. */
  columns: { qualifier?: string[]; column: string }[];
  /** Output names (SELECT x AS name), which ORDER BY and GROUP BY may use. */
  outputAliases: string[];
  /** Statement kinds that write, found anywhere (a data-modifying WITH). */
  writes: string[];
  /** SELECT … FOR UPDATE / FOR SHARE: takes row locks. */
  locks: boolean;
  /** SELECT … INTO: creates a table or writes a file. */
  into: boolean;
  /** The outermost query has a LIMIT (or FETCH FIRST). */
  limited: boolean;
  /** The outermost query returns one row: it aggregates without GROUP BY, or reads no table. */
  oneRow: boolean;
}

export function emptyQueryRefs(): QueryRefs {
  return { tables: [], cteNames: [], opaqueAliases: [], hasOpaqueSource: false, columns: [], outputAliases: [], writes: [], locks: false, into: false, limited: false, oneRow: false };
}

/** Aggregate functions common to the three dialects: a query selecting only these without GROUP BY gives one row. */
export const AGGREGATES = new Set(['count', 'sum', 'avg', 'min', 'max', 'total', 'group_concat', 'string_agg', 'array_agg', 'json_agg', 'jsonb_agg', 'bool_and', 'bool_or', 'every', 'stddev', 'variance', 'json_group_array', 'json_group_object']);
