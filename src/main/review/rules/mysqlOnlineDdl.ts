import { versionAtLeast } from '../config/parseServerVersion';
import type { AlterCommand } from '../parse/ParsedStatement';
import type { RuleContext, ServerVersion } from '../Rule';
import { canonicalTypeName, sameColumnType } from '../types/columnTypes';
import { typeChangeInPlace } from './typeChangeInPlace';

/**
 * Whether MySQL / MariaDB adds a column instantly (a metadata change, no table rebuild), from the vendors' online
 * DDL tables: MySQL 8.0.12 added INSTANT ADD COLUMN as the last column, 8.0.29 anywhere; MariaDB 10.3.2 as the
 * last column (MDEV-11369), 10.4 anywhere; MySQL 5.7 and MariaDB before 10.3.2 rebuild the table. An unknown
 * version is taken to be a current one. STORED generated and AUTO_INCREMENT columns are never instant.
 */
export function addColumnIsInstant(version: ServerVersion | undefined, atEnd: boolean): boolean {
  if (!version) return true;
  if (version.mariadb) return versionAtLeast(version, 10, 4) || (atEnd && versionAtLeast(version, 10, 3, 2));
  return versionAtLeast(version, 8, 0, 29) || (atEnd && versionAtLeast(version, 8, 0, 12));
}

/** How the target server was named in messages: "MySQL 8.0.28", "MariaDB 10.3.39". */
export function serverName(version: ServerVersion | undefined): string {
  if (!version) return 'MySQL';
  return `${version.mariadb ? 'MariaDB' : 'MySQL'} ${version.major}.${version.minor}.${version.patch}`;
}

/** Bytes an ENUM / SET of `members` values takes per row; MySQL changes a definition in place only while this stays the same. */
export function memberStorageBytes(type: string, members: number): number {
  if (type === 'set') {
    const bytes = Math.ceil(members / 8);
    return bytes > 4 ? 8 : Math.max(1, bytes);
  }
  return members > 255 ? 2 : 1;
}

/** ALTER TABLE algorithms, cheapest first: a catalog change, in place without a rebuild (MariaDB's NOCOPY), in place rebuilding, a row-by-row copy. */
export type DdlAlgorithm = 'INSTANT' | 'NOCOPY' | 'INPLACE' | 'COPY';
/** ALTER TABLE lock levels, weakest first. */
export type DdlLock = 'NONE' | 'SHARED' | 'EXCLUSIVE';

const ALGORITHM_RANK: Record<DdlAlgorithm, number> = { INSTANT: 0, NOCOPY: 1, INPLACE: 2, COPY: 3 };
const LOCK_RANK: Record<DdlLock, number> = { NONE: 0, SHARED: 1, EXCLUSIVE: 2 };

/** What the server can do for one ALTER TABLE operation: the cheapest algorithm it has for it, and the weakest lock it allows. */
export interface OnlineDdl {
  /** The operation, for messages: "adding index t_qty_idx". */
  what: string;
  algorithm: DdlAlgorithm;
  lock: DdlLock;
}

/**
 * What onlineDdlOf reads of a rule's context: every RuleContext is one. The impact analysis builds its own from the
 * live column (facts/mysqlImpactFacts), so both sides answer from these facts alone.
 */
export type OnlineDdlContext = Pick<RuleContext<unknown>, 'parsed' | 'dialect' | 'version' | 'statements' | 'index'> & {
  schema: Pick<RuleContext<unknown>['schema'], 'column'>;
};

/** Where each vendor's INSTANT appeared: an operation that is a catalog change is NOCOPY (in place, no rebuild) before it. */
const INSTANT_FROM = { mysql: [8, 0, 12], mariadb: [10, 3, 2] } as const;

/** A catalog-only operation: INSTANT from `from` (per vendor, defaults to when the vendor gained INSTANT), else `before`. */
function instant(version: ServerVersion | undefined, from: { mysql?: readonly number[]; mariadb?: readonly number[] } = {}, before: DdlAlgorithm = 'NOCOPY'): DdlAlgorithm {
  if (!version) return 'INSTANT';
  const [major = 0, minor = 0, patch = 0] = version.mariadb ? (from.mariadb ?? INSTANT_FROM.mariadb) : (from.mysql ?? INSTANT_FROM.mysql);
  return versionAtLeast(version, major, minor, patch) ? 'INSTANT' : before;
}

/** Whether a SET earlier in the migration turned foreign_key_checks off for the session (it is on by default). */
function foreignKeyChecksOff(ctx: OnlineDdlContext): boolean {
  let off = false;
  for (const s of ctx.statements.slice(0, ctx.index)) {
    const setting = s.parsed?.setting;
    if (setting?.name === 'foreign_key_checks') off = ['0', 'off', 'false'].includes(setting.value.toLowerCase());
  }
  return off;
}

/**
 * What MySQL 8 / MariaDB 10.3+ (InnoDB) can do for one ALTER TABLE operation, from the vendors' online DDL tables
 * and checked against MariaDB 10.11 by test/integration/review/mysqlOnlineDdlFacts.db.test.ts. Undefined for an
 * operation Quarry does not model, or a MODIFY whose old column is unknown. Where the vendors' tables leave doubt
 * the cheaper answer is given: a rule may then miss a refusal, but never invents one.
 */
export function onlineDdlOf(command: AlterCommand, commands: readonly AlterCommand[], ctx: OnlineDdlContext): OnlineDdl | undefined {
  const v = ctx.version;
  const mariadb = Boolean(v?.mariadb);
  switch (command.kind) {
    case 'add-column': {
      const spec = command.columnSpec;
      const what = `adding column ${command.column ?? '?'}`;
      // A STORED column is computed for every row; COPY holds at least a shared lock.
      if (spec?.generatedStored) return { what: `${what} (STORED generated)`, algorithm: 'COPY', lock: 'SHARED' };
      // "Adding an auto-increment column requires a lock": rows are numbered while nothing else writes.
      if (spec?.autoIncrement) return { what: `${what} (AUTO_INCREMENT)`, algorithm: 'INPLACE', lock: 'SHARED' };
      return { what, algorithm: addColumnIsInstant(v, command.position === undefined) ? 'INSTANT' : 'INPLACE', lock: 'NONE' };
    }
    case 'drop-column':
      return { what: `dropping column ${command.column ?? '?'}`, algorithm: instant(v, { mysql: [8, 0, 29], mariadb: [10, 4] }, 'INPLACE'), lock: 'NONE' };
    case 'alter-column-type': {
      const spec = command.columnSpec;
      const old = ctx.schema.column(ctx.parsed.table, command.column);
      if (!spec || !old) return undefined;
      const what = `changing column ${command.column ?? '?'}`;
      if (!typeChangeInPlace(old, spec, ctx.dialect)) return { what: `${what}'s data type`, algorithm: 'COPY', lock: 'SHARED' };
      // Either way the row format changes, so the table is rebuilt (MariaDB's instant NOT NULL → NULL is for ROW_FORMAT=REDUNDANT only).
      if (spec.notNull !== old.notNull) return { what: `${what} to ${spec.notNull ? 'NOT NULL' : 'NULL'}`, algorithm: 'INPLACE', lock: 'NONE' };
      // Moving a column (FIRST / AFTER) is a catalog change on MariaDB 10.4+; MySQL rebuilds.
      if (command.position) return { what: `moving column ${command.column ?? '?'}`, algorithm: mariadb ? instant(v, { mariadb: [10, 4] }, 'INPLACE') : 'INPLACE', lock: 'NONE' };
      if (sameColumnType(old, spec, ctx.dialect)) {
        return { what, algorithm: command.newName ? instant(v, { mysql: [8, 0, 28] }) : instant(v), lock: 'NONE' };
      }
      // The in-place type changes: ENUM / SET members appended (INSTANT on both), a longer VARCHAR (INSTANT on MariaDB, in place on MySQL).
      const varchar = canonicalTypeName(old.type, ctx.dialect) === 'varchar';
      return { what: `${what}'s definition`, algorithm: varchar && !mariadb ? 'NOCOPY' : instant(v), lock: 'NONE' };
    }
    case 'set-default':
    case 'drop-default':
      return { what: `changing the default of ${command.column ?? '?'}`, algorithm: instant(v), lock: 'NONE' };
    case 'rename-column':
      return { what: `renaming column ${command.column ?? '?'}`, algorithm: instant(v, { mysql: [8, 0, 28] }), lock: 'NONE' };
    case 'rename-table':
      // MariaDB: "LOCK=NONE/SHARED is not supported for this operation. Try LOCK=EXCLUSIVE".
      return { what: 'renaming the table', algorithm: instant(v), lock: mariadb ? 'EXCLUSIVE' : 'NONE' };
    case 'add-constraint':
    case 'drop-constraint': {
      const c = command.constraint;
      if (!c) return undefined;
      const adding = command.kind === 'add-constraint';
      const verb = adding ? 'adding' : 'dropping';
      const name = c.name ? ` ${c.name}` : '';
      if (c.kind === 'primary-key') {
        const replaced = commands.some((o) => o !== command && o.constraint?.kind === 'primary-key' && o.kind !== command.kind);
        // A table without a primary key gets a hidden one, so dropping it alone copies; adding or replacing one rebuilds in place.
        if (!adding && !replaced) return { what: 'dropping the primary key without adding another', algorithm: 'COPY', lock: 'SHARED' };
        return { what: `${verb} the primary key`, algorithm: 'INPLACE', lock: 'NONE' };
      }
      if (c.kind === 'foreign-key') {
        if (adding && !foreignKeyChecksOff(ctx)) return { what: `adding foreign key${name} with foreign_key_checks on`, algorithm: 'COPY', lock: 'SHARED' };
        return { what: `${verb} foreign key${name}`, algorithm: 'NOCOPY', lock: 'NONE' };
      }
      // A secondary index is built (or dropped) in place without a rebuild, never in the catalog alone: "Try ALGORITHM=NOCOPY".
      if (c.kind === 'unique' || c.plainIndex) return { what: `${verb} index${name}`, algorithm: 'NOCOPY', lock: 'NONE' };
      return undefined;
    }
    case 'other': {
      const charset = /^CONVERT TO CHARACTER SET (.*)$/.exec(command.value ?? '')?.[1];
      // Every row is re-encoded; MariaDB 10.6+ may convert utf8mb3 to utf8mb4 without a copy, and the old charset is unknown here.
      if (charset !== undefined) return charset === 'UTF8MB4' && mariadb ? undefined : { what: `converting the table to ${charset.toLowerCase()}`, algorithm: 'COPY', lock: 'SHARED' };
      // ENGINE = the engine the table already has is a null rebuild, done in place; another engine copies. InnoDB is assumed.
      const engine = /^ENGINE=(.*)$/.exec(command.value ?? '')?.[1];
      if (engine === undefined) return undefined;
      return engine === 'INNODB' ? { what: 'rebuilding the table (ENGINE=InnoDB)', algorithm: 'INPLACE', lock: 'NONE' } : { what: `changing the engine to ${engine}`, algorithm: 'COPY', lock: 'SHARED' };
    }
    default:
      return undefined;
  }
}

/** An explicit ALGORITHM / LOCK clause the server refuses, and the operation that cannot meet it. */
export interface OnlineDdlRefused {
  clause: 'ALGORITHM' | 'LOCK';
  /** The value written: 'INSTANT', 'NONE' … */
  asked: string;
  /** The first operation that needs more than `asked`. */
  need: OnlineDdl;
  /** What the operation needs, as the server names it: MySQL has no NOCOPY keyword, so its NOCOPY reads INPLACE. */
  needs: string;
}

/**
 * Which clause of the ALTER TABLE the server refuses, or undefined when it refuses none (or Quarry cannot tell): an
 * explicit ALGORITHM cheaper than an operation allows, or a LOCK weaker than one needs. The server checks the
 * statement as a whole, so one operation that cannot meet the clause is enough; ALGORITHM is checked first.
 */
export function onlineDdlRefused(ctx: OnlineDdlContext): OnlineDdlRefused | undefined {
  if (ctx.parsed.kind !== 'alter-table') return undefined;
  const commands = ctx.parsed.alterCommands;
  const askedAlgorithm = commands.find((c) => c.kind === 'algorithm')?.value;
  const askedLock = commands.find((c) => c.kind === 'lock')?.value;
  const algorithm = askedAlgorithm && askedAlgorithm in ALGORITHM_RANK ? (askedAlgorithm as DdlAlgorithm) : undefined;
  const lock = askedLock && askedLock in LOCK_RANK ? (askedLock as DdlLock) : undefined;
  if (!algorithm && !lock) return undefined;
  const needs = commands.map((c) => onlineDdlOf(c, commands, ctx)).filter((n): n is OnlineDdl => n !== undefined);
  if (algorithm) {
    const worst = needs.find((n) => ALGORITHM_RANK[n.algorithm] > ALGORITHM_RANK[algorithm]);
    if (worst) return { clause: 'ALGORITHM', asked: algorithm, need: worst, needs: worst.algorithm === 'NOCOPY' && !ctx.version?.mariadb ? 'INPLACE' : worst.algorithm };
  }
  if (lock) {
    const worst = needs.find((n) => LOCK_RANK[n.lock] > LOCK_RANK[lock]);
    if (worst) return { clause: 'LOCK', asked: lock, need: worst, needs: worst.lock };
  }
  return undefined;
}

/** Why the server refuses the ALTER TABLE as written (onlineDdlRefused, in words), or undefined when it does not. */
export function onlineDdlRefusal(ctx: OnlineDdlContext): string | undefined {
  const refused = onlineDdlRefused(ctx);
  if (!refused) return undefined;
  const server = serverName(ctx.version);
  const what = capitalise(refused.need.what);
  if (refused.clause === 'ALGORITHM') return `${what} needs ALGORITHM=${refused.needs} on ${server}, so the server refuses this ALTER (ALGORITHM=${refused.asked}).`;
  return `${what} needs LOCK=${refused.needs} or stronger on ${server}, so the server refuses this ALTER (LOCK=${refused.asked}).`;
}

const capitalise = (s: string): string => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;
