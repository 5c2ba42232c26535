import type { CellValue } from '../../../shared/domain/query';
import type { ColumnInfo, TableInfo } from '../../../shared/domain/SchemaModel';
import type { ParsedStatement } from '../parse/ParsedStatement';
import { classifyType, displayTypeName, integerDigits, type ColumnTypeParts } from '../types/columnTypes';
import { parseColumnType } from '../types/parseColumnType';
import type { ImpactFacts } from './ImpactFacts';
import type { ImpactFindingId } from './impactFindingDocs';
import type { Reference, StatementDetails } from './statementDetails';

/** 'impact-data-loss': rows or values would be lost; 'impact-statement-fails': the server would refuse the statement. */
export type CheckFinding = Extract<ImpactFindingId, 'impact-data-loss' | 'impact-statement-fails'>;

/** One read-only check to run, and how to read its one result row. */
export interface DataCheckPlan {
  what: string;
  /** undefined when the check cannot run; `skipped` says why. */
  sql?: string;
  /** The answer is the table's row count analyzeImpact already measured with `sql`: nothing more to run. */
  measured?: true;
  skipped?: string;
  finding: CheckFinding;
  /** What to do instead, for the finding. */
  help: string;
  interpret(row: CellValue[]): { result: string; atRisk: boolean };
}

/** The table as found on the server, with its row count as analyzeImpact measured it. */
export interface CheckTarget {
  info: TableInfo;
  rows: number;
  rowsEstimated: boolean;
  /** The query the row count came from. */
  rowsQuery: string;
  /** Tables on the server by name, for the referenced side of a new foreign key. */
  resolve(reference: Reference): TableInfo | undefined;
}

export const formatCount = (n: number | bigint): string => n.toLocaleString('en-US');

function toBigInt(v: CellValue | undefined): bigint | undefined {
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return BigInt(v.trim());
  if (typeof v === 'string' && /^-?\d+(\.\d*)?(e[+-]?\d+)?$/i.test(v.trim())) return BigInt(Math.trunc(Number(v)));
  return undefined;
}

const toNumber = (v: CellValue | undefined): number => (typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : 0);
const plural = (n: number, one: string, many: string): string => `${formatCount(n)} ${n === 1 ? one : many}`;

/** Builds the data checks one statement needs against its existing table; pure, so every rule of it can be tested alone. */
export function planDataChecks(statement: ParsedStatement, details: StatementDetails, target: CheckTarget, facts: ImpactFacts): DataCheckPlan[] {
  const q = facts.quoteIdent;
  const t = target.info;
  const from = `${q(t.schema)}.${q(t.name)}`;
  const label = t.name;
  const column = (name: string): ColumnInfo | undefined => t.columns.find((c) => c.name === name) ?? t.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
  const plans: DataCheckPlan[] = [];
  const missing = (what: string, name: string, finding: CheckFinding): DataCheckPlan => ({
    what,
    skipped: `column ${label}.${name} is not on the server (added or renamed earlier in this set?)`,
    finding,
    help: '',
    interpret: () => ({ result: '', atRisk: false }),
  });

  const nulls = (name: string, why: string): DataCheckPlan => {
    const c = column(name);
    const what = `NULLs in ${label}.${name}`;
    if (!c) return missing(what, name, 'impact-statement-fails');
    return {
      what,
      sql: `select count(*) from ${from} where ${q(c.name)} is null`,
      finding: 'impact-statement-fails',
      help: `Fill the NULLs in ${label}.${name} first (in batches), then ${why}.`,
      interpret: (row) => {
        const n = toNumber(row[0]);
        return { result: `${plural(n, 'row is', 'rows are')} NULL`, atRisk: n > 0 };
      },
    };
  };

  const duplicates = (names: string[]): DataCheckPlan => {
    const cols = names.map(column);
    const what = `duplicates of (${names.join(', ')}) in ${label}`;
    const absent = names.find((_, i) => !cols[i]);
    if (absent !== undefined) return missing(what, absent, 'impact-statement-fails');
    const quoted = cols.map((c) => q(c!.name));
    return {
      what,
      sql: `select count(*), coalesce(sum(d.n), 0) from (select count(*) as n from ${from} where ${quoted.map((c) => `${c} is not null`).join(' and ')} group by ${quoted.join(', ')} having count(*) > 1) d`,
      finding: 'impact-statement-fails',
      help: `Remove or merge the duplicate (${names.join(', ')}) values first; the unique index cannot be built while they exist.`,
      interpret: (row) => {
        const groups = toNumber(row[0]);
        const rows = toNumber(row[1]);
        return { result: groups === 0 ? 'no value appears twice' : `${plural(groups, 'value appears', 'values appear')} more than once (${plural(rows, 'row', 'rows')})`, atRisk: groups > 0 };
      },
    };
  };

  const orphans = (ref: Reference): DataCheckPlan => {
    const what = `rows of ${label} whose (${ref.columns.join(', ')}) has no match in ${ref.table}`;
    const parent = target.resolve(ref);
    const skip = (why: string): DataCheckPlan => ({ what, skipped: why, finding: 'impact-statement-fails', help: '', interpret: () => ({ result: '', atRisk: false }) });
    if (!parent) return skip(`table ${ref.table} is not on the server (created earlier in this set?)`);
    const refColumns = ref.refColumns.length ? ref.refColumns : (parent.primaryKey?.columns ?? []);
    if (!ref.columns.length || refColumns.length !== ref.columns.length) return skip('the foreign key columns could not be matched to the referenced key');
    const absent = ref.columns.find((c) => !column(c));
    if (absent !== undefined) return missing(what, absent, 'impact-statement-fails');
    const child = ref.columns.map((c) => `c.${q(column(c)!.name)}`);
    const match = refColumns.map((r, i) => `p.${q(r)} = ${child[i]}`).join(' and ');
    return {
      what,
      sql: `select count(*) from ${from} c where ${child.map((c) => `${c} is not null`).join(' and ')} and not exists (select 1 from ${q(parent.schema)}.${q(parent.name)} p where ${match})`,
      finding: 'impact-statement-fails',
      help: `Delete or fix the orphan rows first, or add the foreign key NOT VALID and validate it once they are gone.`,
      interpret: (row) => {
        const n = toNumber(row[0]);
        return { result: n === 0 ? 'every row has a match' : `${plural(n, 'row has', 'rows have')} no match`, atRisk: n > 0 };
      },
    };
  };

  const rowsLost = (why: string): DataCheckPlan => ({
    what: `rows in ${label}`,
    sql: target.rowsQuery,
    measured: true,
    finding: 'impact-data-loss',
    help: `Keep a copy (or a backup) of ${label} before ${why}, or make sure the data is no longer needed.`,
    interpret: () => ({
      result: `${target.rowsEstimated ? 'about ' : ''}${plural(target.rows, 'row is', 'rows are')} lost`,
      atRisk: target.rows > 0,
    }),
  });

  const valuesLost = (name: string): DataCheckPlan => {
    const c = column(name);
    const what = `values in ${label}.${name}`;
    if (!c) return missing(what, name, 'impact-data-loss');
    return {
      what,
      sql: `select count(${q(c.name)}) from ${from}`,
      finding: 'impact-data-loss',
      help: `Copy ${label}.${name} elsewhere first if its values are still needed; a down migration cannot bring them back.`,
      interpret: (row) => {
        const n = toNumber(row[0]);
        return { result: n === 0 ? 'every row is NULL: nothing is lost' : `${plural(n, 'row holds a value', 'rows hold a value')} that is lost`, atRisk: n > 0 };
      },
    };
  };

  const narrowing = (name: string, to: ColumnTypeParts, written: string): DataCheckPlan | undefined => {
    const c = column(name);
    if (!c) return missing(`values of ${label}.${name} against ${written}`, name, 'impact-data-loss');
    return narrowingCheck(facts, from, `${label}.${name}`, q(c.name), parseColumnType(c.dataType), to, written);
  };

  const notNullWithoutDefault = (name: string): DataCheckPlan => ({
    what: `rows in ${label} (new NOT NULL column ${name} without a default)`,
    sql: target.rowsQuery,
    measured: true,
    finding: 'impact-statement-fails',
    help: `Add ${name} with a default, or add it nullable, backfill it, then set NOT NULL.`,
    interpret: () => ({ result: `${target.rowsEstimated ? 'about ' : ''}${plural(target.rows, 'row', 'rows')}`, atRisk: target.rows > 0 }),
  });

  if (statement.kind === 'alter-table') {
    statement.alterCommands.forEach((command, i) => {
      const d = details.commands[i] ?? {};
      const spec = command.columnSpec;
      switch (command.kind) {
        case 'add-column':
          if (spec && spec.notNull && !spec.default && !spec.generated && !spec.primaryKey && facts.notNullColumnWithoutDefaultFailsOnRows) plans.push(notNullWithoutDefault(spec.name));
          break;
        case 'drop-column':
          if (command.column) plans.push(valuesLost(command.column));
          break;
        case 'alter-column-type': {
          if (!command.column || !spec) break;
          const written = `${displayTypeName(spec.type, facts.dialect)}${spec.length !== undefined ? `(${spec.length}${spec.scale !== undefined ? `, ${spec.scale}` : ''})` : ''}${spec.unsigned ? ' unsigned' : ''}`;
          const check = narrowing(command.column, spec, written);
          if (check) plans.push(check);
          // MySQL's MODIFY restates the whole column: NOT NULL there sets it.
          if (spec.notNull && column(command.column)?.nullable) plans.push(nulls(command.column, 'make it NOT NULL'));
          break;
        }
        case 'set-not-null':
          if (command.column) plans.push(nulls(command.column, 'set NOT NULL'));
          break;
        case 'add-constraint': {
          const c = command.constraint;
          if (!c) break;
          if ((c.kind === 'unique' || c.kind === 'primary-key') && c.columns.length && !c.usingIndex) {
            if (c.kind === 'primary-key') for (const name of c.columns) if (column(name)?.nullable !== false) plans.push(nulls(name, 'add the primary key'));
            plans.push(duplicates(c.columns));
          }
          if (c.kind === 'foreign-key' && !c.notValid && d.reference) plans.push(orphans(d.reference));
          break;
        }
        default:
          break;
      }
    });
  }
  if (statement.kind === 'create-index' && statement.unique && details.indexColumns) plans.push(duplicates(details.indexColumns));
  if (statement.kind === 'drop-table') plans.push(rowsLost('dropping it'));
  if (statement.kind === 'truncate') plans.push(rowsLost('truncating it'));
  if (statement.kind === 'delete' && !statement.hasWhere) plans.push(rowsLost('deleting every row'));
  return plans;
}

/**
 * Whether the column's values fit the new type: integer range, string length, or digits before the decimal point.
 * No check where the types say every value fits, or where the change is a cast Quarry does not model (text → int).
 */
function narrowingCheck(facts: ImpactFacts, from: string, label: string, col: string, current: ColumnTypeParts, to: ColumnTypeParts, written: string): DataCheckPlan | undefined {
  // An array is not its element type: none of these queries reads its elements.
  if (current.array || to.array) return undefined;
  const now = classifyType(current, facts.dialect);
  const next = classifyType(to, facts.dialect);
  const what = `values of ${label} against ${written}`;
  const help = `Check or fix the values that do not fit first, or choose a type that holds them.`;
  if (next?.family === 'integer') {
    if (now?.family === 'integer' && now.min >= next.min && now.max <= next.max) return undefined;
    // Fewer integer digits than the range's: every value fits.
    if (now?.family === 'exact' && now.intDigits < integerDigits(next)) return undefined;
    if (now?.family !== 'integer' && now?.family !== 'exact') return undefined;
    return {
      what,
      sql: `select min(${col}), max(${col}) from ${from}`,
      finding: 'impact-data-loss',
      help,
      interpret: (row) => {
        const min = toBigInt(row[0]);
        const max = toBigInt(row[1]);
        if (min === undefined || max === undefined) return { result: 'no values (every row is NULL)', atRisk: false };
        const atRisk = min < next.min || max > next.max;
        return { result: `min is ${formatCount(min)} and max is ${formatCount(max)}; ${written} holds ${formatCount(next.min)} to ${formatCount(next.max)}`, atRisk };
      },
    };
  }
  if (next?.family === 'string' && next.chars !== Infinity) {
    if (now?.family !== 'string' || now.chars <= next.chars) return undefined;
    const limit = next.chars;
    return {
      what,
      sql: `select max(${facts.charLength}(${col})) from ${from}`,
      finding: 'impact-data-loss',
      help,
      interpret: (row) => {
        if (row[0] === null || row[0] === undefined) return { result: 'no values (every row is NULL)', atRisk: false };
        const longest = toNumber(row[0]);
        return { result: `the longest value has ${plural(longest, 'character', 'characters')}; ${written} holds ${formatCount(limit)}`, atRisk: longest > limit };
      },
    };
  }
  if (next?.family === 'exact' && next.intDigits !== Infinity) {
    const digits = next.intDigits;
    if (now?.family === 'exact' && now.intDigits <= digits) return undefined;
    if (now?.family === 'integer' && integerDigits(now) <= digits) return undefined;
    if (now?.family !== 'exact' && now?.family !== 'integer') return undefined;
    const bound = 10 ** digits;
    return {
      what,
      sql: `select max(abs(${col})) from ${from}`,
      finding: 'impact-data-loss',
      help,
      interpret: (row) => {
        if (row[0] === null || row[0] === undefined) return { result: 'no values (every row is NULL)', atRisk: false };
        const largest = toNumber(row[0]);
        return { result: `the largest absolute value is ${String(row[0])}; ${written} holds less than ${formatCount(bound)}`, atRisk: largest >= bound };
      },
    };
  }
  return undefined;
}
