import { availableParallelism } from 'node:os';
import { ApiError } from '../../shared/api/errors';
import type { Dialect } from '../../shared/domain/connection';
import type { Finding, Migration, MigrationFormat, MigrationSet, MigrationStatement, Severity, SourceLocation } from '../../shared/domain/review';
import { offsetToPosition } from '../../shared/sql/offsetToPosition';
import type { SchemaModel } from '../../shared/domain/SchemaModel';
import { parseServerVersion } from './config/parseServerVersion';
import { resolveRuleOptions, ruleEnabled } from './config/resolveRuleOptions';
import type { ReviewConfig } from './config/ReviewConfig';
import { parseInWorkers, type ParseStream } from './parse/parseInWorkers';
import { StatementParser, type ParseOutcome } from './parse/StatementParser';
import type { AnyRule, ReviewedStatement, RuleContext, ServerVersion } from './Rule';
import { rules as registeredRules } from './rules/registry';
import { SchemaTracker } from './SchemaTracker';

export interface ReviewOptions {
  /** Defaults to the config's dialect, then the set's dialectHint; one of them must say. */
  dialect?: Dialect;
  /** Target server version ('16', '15.4', '8.0.36'). Defaults to the config's; rules assume a supported server when neither says. */
  serverVersion?: string;
  config?: ReviewConfig;
  /**
   * File text by path (as in SourceLocation.file), so `-- quarry-ignore` comments outside a statement's text (the
   * line before it, after its `;`) and `-- quarry-ignore-file` are seen. Defaults to none: only comments inside
   * statement texts count.
   */
  sources?: ReadonlyMap<string, string>;
  /** Defaults to every registered rule. */
  rules?: readonly AnyRule[];
  /**
   * The live database's schema, so rules know the types and indexes of tables the migrations do not create (the
   * tracker starts from it). Defaults to none: only what the migrations themselves create is known.
   */
  schema?: SchemaModel;
  /** Called as migrations are reviewed: `done` of `total`. Defaults to none. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Worker threads that parse the statements while this thread runs the rules; 0 parses in this thread (in slices,
   * so its event loop still turns). Defaults to the environment's QUARRY_PARSE_WORKERS when set, else to 0 below
   * PARSE_IN_WORKERS_FROM statements or PARSE_IN_WORKERS_FROM_CORES cores, else to the cores less this thread's, at
   * most 4.
   */
  parseWorkers?: number;
}

/**
 * The set size (up and down statements) from which parsing goes to worker threads by default: a worker costs about
 * 100 ms of CPU to start (libpg-query's WASM is compiled once per thread) and parsing runs about 10 µs a statement.
 */
export const PARSE_IN_WORKERS_FROM = 1000;

/**
 * The cores from which parsing goes to worker threads by default. With two, a worker shares its core with this
 * thread's rules, and starting it, sending its results and reading them back cost more than it saves: on a
 * busy 2-core machine (2026-11) the rules and parsing of 20,000 statements took 0.7–1.5 s on one thread and
 * 0.9–2.0 s with one worker, which also cost 0.4 s more CPU.
 */
export const PARSE_IN_WORKERS_FROM_CORES = 3;

function defaultParseWorkers(statements: number): number | undefined {
  const env = process.env.QUARRY_PARSE_WORKERS;
  if (env !== undefined) {
    if (!/^\d+$/.test(env)) throw new ApiError('BAD_INPUT', `QUARRY_PARSE_WORKERS must be a whole number of worker threads (0 parses on the main thread), not ${JSON.stringify(env)}.`);
    return Number(env);
  }
  return statements < PARSE_IN_WORKERS_FROM || availableParallelism() < PARSE_IN_WORKERS_FROM_CORES ? 0 : undefined;
}

/** The longest this thread runs rules without letting its event loop turn (so a window or socket stays live), ms. */
const SLICE_MS = 10;

/** Ids of findings the engine itself reports; configurable and ignorable like rules. */
export const ENGINE_FINDINGS = {
  syntaxError: 'syntax-error',
  unparsed: 'unparsed-statement',
  unknownRule: 'unknown-rule',
  ruleFailed: 'rule-failed',
} as const;

type TransactionOpener = NonNullable<RuleContext['transaction']>;

/**
 * The one place that knows which tools run a migration in a transaction when the migration does not say, given
 * its statements; rules read the outcome from RuleContext. Flyway detects CREATE/DROP INDEX CONCURRENTLY and runs
 * such a migration without one. golang-migrate and Prisma send the whole file as one query, which PostgreSQL runs
 * as one implicit transaction when it holds several statements (a BEGIN there makes the block explicit, it does
 * not nest).
 */
const TRANSACTION_BY_DEFAULT: Record<MigrationFormat, (statements: readonly ReviewedStatement[]) => TransactionOpener | undefined> = {
  sql: () => undefined,
  flyway: (statements) => (statements.some((s) => s.parsed?.concurrently) ? undefined : 'tool'),
  'golang-migrate': (statements) => (statements.length > 1 ? 'implicit' : undefined),
  dbmate: () => 'tool',
  goose: () => 'tool',
  liquibase: () => 'tool',
  prisma: (statements) => (statements.length > 1 ? 'implicit' : undefined),
};

const IGNORE = /--\s*quarry-ignore(-file)?[ \t]+([A-Za-z0-9_-]+(?:[ \t]*,[ \t]*[A-Za-z0-9_-]+)*)/g;

/**
 * Reviews every migration in the set: parses each statement of the up part with the dialect's parser and runs the
 * dialect's rules on it, parses the down part for syntax errors only, drops findings silenced by `-- quarry-ignore` comments or turned off in the config, and returns
 * them with the set's reader problems, sorted by file, line and column.
 */
export async function reviewMigrations(set: MigrationSet, options: ReviewOptions): Promise<Finding[]> {
  const dialect = options.dialect ?? options.config?.dialect ?? set.dialectHint;
  if (!dialect) throw new ApiError('BAD_INPUT', 'Which dialect do these migrations target? Pass a dialect, or set dialect: in .quarry.yml.');
  const versionText = options.serverVersion ?? options.config?.serverVersion;
  const version = versionText === undefined ? undefined : parseServerVersion(versionText, dialect);
  if (versionText !== undefined && !version) throw new ApiError('BAD_INPUT', `Server version ${JSON.stringify(versionText)} does not start with a number.`);
  const serverVersion = version?.major;

  const allRules = options.rules ?? registeredRules;
  const levels = options.config?.rules ?? {};
  const knownIds = new Set<string>([...allRules.map((r) => r.id), ...Object.values(ENGINE_FINDINGS)]);
  const findings: Finding[] = [...set.problems];
  for (const [id, setting] of Object.entries(levels)) {
    if (!knownIds.has(id)) {
      findings.push({
        ruleId: ENGINE_FINDINGS.unknownRule,
        severity: 'warning',
        message: `.quarry.yml names the rule ${id}, which Quarry does not have.`,
        location: setting.location ?? { file: options.config?.file ?? '.quarry.yml', line: 1, column: 1 },
      });
    }
  }
  const dialectRules = allRules.filter((r) => r.dialects.includes(dialect));
  // Every rule's options are checked, so a typo is reported even while the file targets another dialect.
  const ruleOptions = resolveRuleOptions(allRules, options.config);
  findings.push(...ruleOptions.problems);
  const active = dialectRules.filter((r) => {
    const since = r.minServerVersion?.[dialect];
    const tooOld = since !== undefined && serverVersion !== undefined && serverVersion < since;
    return ruleEnabled(r, options.config) && !ruleOptions.invalid.has(r.id) && !tooOld;
  });
  const severityOf = (id: string, fallback: Severity): Severity | undefined => {
    const level = levels[id]?.level;
    if (level === 'off') return undefined;
    return level ?? fallback;
  };

  const ignores = new IgnoreIndex(options.sources);
  // One tracker for the whole set: each migration sees what the ones before it left.
  const schema = options.schema ? SchemaTracker.fromSchemaModel(options.schema) : new SchemaTracker();
  const sqls = set.migrations.flatMap((m) => [...m.up, ...(m.down ?? [])].map((s) => s.sql));
  const parses = await openParses(sqls, dialect, options.parseWorkers ?? defaultParseWorkers(sqls.length));
  try {
    let sliceStart = performance.now();
    for (const [index, migration] of set.migrations.entries()) {
      const outcomes = await parses.take(migration.up.length + (migration.down?.length ?? 0));
      findings.push(...reviewMigration(migration, set.format, outcomes, { dialect, serverVersion, version, active, options: ruleOptions.options, schema, severityOf, ignores }));
      options.onProgress?.(index + 1, set.migrations.length);
      if (performance.now() - sliceStart > SLICE_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
  } finally {
    await parses.dispose();
  }
  return findings.sort(byLocation);
}

/** Parse outcomes of `sqls` in order: from worker threads, or parsed here as they are taken when `workers` is 0. */
async function openParses(sqls: readonly string[], dialect: Dialect, workers: number | undefined): Promise<ParseStream> {
  if (workers !== 0) return parseInWorkers(sqls, dialect, workers === undefined ? {} : { workers });
  const parser = await StatementParser.create([dialect]);
  let cursor = 0;
  return {
    take: async (count) => sqls.slice(cursor, (cursor += count)).map((sql) => parser.parse(sql, dialect)),
    dispose: async () => parser.dispose(),
  };
}

interface MigrationReview {
  dialect: Dialect;
  serverVersion?: number;
  version?: ServerVersion;
  active: readonly AnyRule[];
  /** Each active rule's validated options. */
  options: ReadonlyMap<string, unknown>;
  schema: SchemaTracker;
  severityOf: (id: string, fallback: Severity) => Severity | undefined;
  ignores: IgnoreIndex;
}

/** `outcomes`: the parse of each up statement, then of each down statement. */
function reviewMigration(migration: Migration, format: MigrationFormat, outcomes: readonly ParseOutcome[], r: MigrationReview): Finding[] {
  const findings: Finding[] = [];
  const report = (ruleId: string, fallback: Severity, message: string, statement: MigrationStatement, offset: number, help?: string): void => {
    const severity = r.severityOf(ruleId, fallback);
    if (!severity || isIgnored(ruleId, statement, r.ignores)) return;
    findings.push({ ruleId, severity, message, location: locate(statement, offset), migrationId: migration.id, help });
  };

  const reviewed: ReviewedStatement[] = [];
  let next = 0;
  for (const statement of migration.up) {
    const outcome = outcomes[next++]!;
    if (outcome.ok) {
      for (const parsed of outcome.statements) reviewed.push({ statement, parsed });
      continue;
    }
    reviewed.push({ statement });
    if (outcome.syntaxError) report(ENGINE_FINDINGS.syntaxError, 'error', `The database would reject this statement: ${outcome.message}`, statement, outcome.offset ?? 0);
    else report(ENGINE_FINDINGS.unparsed, 'warning', `Quarry could not parse this statement, so no rule checked it (${outcome.message}).`, statement, outcome.offset ?? 0);
  }

  // Rules judge what runs forward; a down part is only parsed, so a rollback that cannot run is known before it is needed.
  for (const statement of migration.down ?? []) {
    const outcome = outcomes[next++]!;
    if (outcome.ok) continue;
    if (outcome.syntaxError) report(ENGINE_FINDINGS.syntaxError, 'error', `The database would reject this down statement: ${outcome.message}`, statement, outcome.offset ?? 0);
    else report(ENGINE_FINDINGS.unparsed, 'info', `Quarry could not parse this down statement (${outcome.message}).`, statement, outcome.offset ?? 0);
  }

  let open: TransactionOpener | undefined = migration.transactional === undefined ? TRANSACTION_BY_DEFAULT[format](reviewed) : migration.transactional ? 'tool' : undefined;
  // A COMMIT ends whichever transaction is open, the tool's included; only an implicit block starts again after it.
  const afterCommit = open === 'implicit' ? open : undefined;
  reviewed.forEach((item, index) => {
    const parsed = item.parsed;
    if (!parsed) return;
    for (const rule of r.active) {
      let hits;
      try {
        const ctx: RuleContext<unknown> = {
          parsed,
          statement: item.statement,
          index,
          statements: reviewed,
          migration,
          inTransaction: open !== undefined,
          transaction: open,
          dialect: r.dialect,
          serverVersion: r.serverVersion,
          version: r.version,
          schema: r.schema,
          options: r.options.get(rule.id),
        };
        hits = rule.check(ctx);
      } catch (error) {
        // A rule bug must not hide the other findings; it is reported where it happened.
        report(ENGINE_FINDINGS.ruleFailed, 'warning', `Rule ${rule.id} failed on this statement: ${error instanceof Error ? error.message : String(error)}`, item.statement, 0);
        continue;
      }
      for (const hit of hits) report(rule.id, rule.severity, hit.message, item.statement, hit.offset ?? 0, rule.docs.solution);
    }
    // After the rules, so each rule sees the schema as it was before this statement.
    r.schema.apply(parsed);
    if (parsed.kind === 'begin') open = 'begin';
    if (parsed.kind === 'commit' || parsed.kind === 'rollback') open = afterCommit;
  });
  return findings;
}

/** Where `offset` into the statement's text falls in its file. */
function locate(statement: MigrationStatement, offset: number): SourceLocation {
  const at = offsetToPosition(statement.sql, offset);
  const end = offsetToPosition(statement.sql, statement.sql.length);
  const shift = (line: number, column: number): { line: number; column: number } =>
    line === 1 ? { line: statement.location.line, column: statement.location.column + column - 1 } : { line: statement.location.line + line - 1, column };
  const start = shift(at.line, at.column);
  const stop = shift(end.line, end.column);
  return { ...statement.location, line: start.line, column: start.column, endLine: stop.line, endColumn: stop.column };
}

function idsIn(text: string, fileWide: boolean): Set<string> {
  const ids = new Set<string>();
  for (const m of text.matchAll(IGNORE)) {
    if (Boolean(m[1]) !== fileWide) continue;
    for (const id of (m[2] ?? '').split(',')) ids.add(id.trim());
  }
  return ids;
}

/** Each source file split into lines and scanned for file-wide ignores once, however many findings it has. */
class IgnoreIndex {
  private readonly files = new Map<string, { lines: string[]; fileWide: Set<string> }>();

  constructor(private readonly sources?: ReadonlyMap<string, string>) {}

  get(file: string): { lines: string[]; fileWide: Set<string> } | undefined {
    let entry = this.files.get(file);
    if (!entry) {
      const source = this.sources?.get(file);
      if (source === undefined) return undefined;
      entry = { lines: source.split(/\r\n|\n|\r/), fileWide: idsIn(source, true) };
      this.files.set(file, entry);
    }
    return entry;
  }
}

function isIgnored(ruleId: string, statement: MigrationStatement, ignores: IgnoreIndex): boolean {
  if (idsIn(statement.sql, false).has(ruleId)) return true;
  const source = ignores.get(statement.location.file);
  if (source === undefined) return idsIn(statement.sql, true).has(ruleId);
  if (source.fileWide.has(ruleId)) return true;
  const lines = source.lines;
  const first = statement.location.line;
  const last = first + statement.sql.split(/\r\n|\n|\r/).length - 1;
  // Every line the statement spans (so a comment after its `;` counts), and the line before when it holds only a
  // comment: a comment trailing the previous statement belongs to that one.
  const before = lines[first - 2] ?? '';
  const near = [/^\s*--/.test(before) ? before : '', ...lines.slice(first - 1, last)].join('\n');
  return idsIn(near, false).has(ruleId);
}

function byLocation(a: Finding, b: Finding): number {
  return compare(a.location.file, b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column || compare(a.ruleId, b.ruleId);
}

/** Code-unit order, so the sort does not depend on the machine's locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
