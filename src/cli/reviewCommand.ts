import { isAbsolute, relative } from 'node:path';
import type { Dialect } from '../shared/domain/connection';
import type { Finding, ImpactReport, MigrationSet, Severity, StatementImpact } from '../shared/domain/review';
import type { Driver } from '../main/db/Driver';
import { writeChunk } from '../main/query/writeChunk';
import { formatMarkdown } from '../main/review/report/formatMarkdown';
import { formatSarif } from '../main/review/report/formatSarif';
import { reviewConnection } from '../main/review/ReviewService';
import { rules } from '../main/review/rules/registry';
import { runReview, type ReviewConnection } from '../main/review/runReview';
import { formatBytes } from '../shared/format/formatBytes';
import { readPackageVersion } from './readPackageVersion';

export const reviewFormats = ['text', 'json', 'markdown', 'sarif'] as const;
export type ReviewFormat = (typeof reviewFormats)[number];

export interface ReviewCommandOptions {
  path: string;
  /** Defaults to .quarry.yml's dialect, then what the files say (Prisma's provider, Liquibase dbms), then the connection's. */
  dialect?: Dialect;
  /** Target server version, e.g. '16' or '10.11'. Defaults to .quarry.yml's. */
  serverVersion?: string;
  format: ReviewFormat;
  /**
   * The folder markdown and SARIF paths are relative to (SARIF's %SRCROOT%), normally the repository root so GitHub
   * finds the files. Defaults to the working directory when the reviewed path lies inside it, else the reviewed folder.
   */
  srcRoot?: string;
  /** Exit 1 when a finding is at least this severe. */
  failOn: Severity;
  /** Also apply each up, then its down, in a sandbox and report what does not give back the schema. Defaults to false. */
  prove?: boolean;
  /**
   * The database the migrations will run against: a connection URL, a SQLite file, or a saved connection's name.
   * Its tables are read (read-only) for the impact of each statement, and --prove runs there (a saved connection
   * only when it allows writes). Defaults to none: no impact, and SQLite proves in an empty in-memory database.
   */
  connection?: string;
  /** Where saved connections are looked up. Defaults to $QUARRY_DATA_DIR, else the desktop app's data folder. */
  dataDir?: string;
  /** Defaults to process.stdout. */
  out?: NodeJS.WritableStream;
}

const rank: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/**
 * `quarry review <path>`: reads a migration folder, file or zip, runs every rule with no database and no model,
 * and prints the findings; with --connection also the impact of each statement on that database. Exit 1 when a
 * finding reaches --fail-on, 0 otherwise; bad input throws for exit 2.
 */
export async function reviewCommand(options: ReviewCommandOptions): Promise<number> {
  const out = options.out ?? process.stdout;
  const opened = options.connection === undefined ? undefined : await openConnection(options.connection, options.dataDir);
  let run;
  try {
    run = await runReview({
      path: options.path,
      dialect: options.dialect,
      serverVersion: options.serverVersion,
      prove: options.prove ?? false,
      connection: opened?.connection,
      strictProof: true,
    });
  } finally {
    await opened?.dispose();
  }
  const { report, set, baseDir } = run;
  const findings = report.findings;
  const failing = findings.filter((f) => rank[f.severity] >= rank[options.failOn]);
  const paths = { baseDir, srcRoot: options.srcRoot ?? defaultSrcRoot(baseDir) };
  if (options.format === 'json') {
    const json = { root: set.root, format: set.format, dialect: report.dialect, migrations: set.migrations.length, findings, ...(report.proof ? { proof: report.proof } : {}), ...(report.impact ? { impact: report.impact } : {}) };
    await writeChunk(out, `${JSON.stringify(json, null, 2)}\n`);
  } else if (options.format === 'markdown') {
    await writeChunk(out, formatMarkdown(set, findings, { ...paths, rules }) + (report.impact ? impactMarkdown(report.impact) : ''));
  } else if (options.format === 'sarif') {
    // Impact findings are among the findings, so they are results like any other.
    await writeChunk(out, `${JSON.stringify(formatSarif(set, findings, rules, { ...paths, toolVersion: readPackageVersion() }), null, 2)}\n`);
  } else {
    await writeChunk(out, formatText(set, findings) + (report.impact ? impactText(report.impact) : ''));
  }
  return failing.length > 0 ? 1 : 0;
}

/**
 * The connection named on the command line. A URL or file path names the server for the proof explicitly, so it
 * may prove there; a saved connection only when it allows writes. The impact session is opened on first use,
 * read-only unless the saved connection allows writes.
 */
async function openConnection(target: string, dataDir: string | undefined): Promise<{ connection: ReviewConnection; dispose(): Promise<void> }> {
  const [{ resolveTarget }, { createDriver }, { defaultDataDir }] = await Promise.all([import('./resolveTarget'), import('../main/db/createDriver'), import('../main/defaultDataDir')]);
  const resolved = await resolveTarget(target, dataDir ?? defaultDataDir());
  // resolveTarget names a URL's or a file's connection after it; a saved one keeps the name the user typed.
  const saved = resolved.config.name.toLowerCase() === target.toLowerCase() && !/[:/\\]/.test(target);
  let driver: Promise<Driver> | undefined;
  const connection = reviewConnection(
    resolved.config,
    {
      driver: () => (driver ??= createDriver(resolved)),
      sandbox: () => resolved,
    },
    !saved,
  );
  return {
    connection,
    dispose: async () => {
      await (await driver?.catch(() => undefined))?.dispose();
    },
  };
}

/** CI runs from the repository root, and GitHub wants paths relative to it. */
function defaultSrcRoot(baseDir: string): string {
  const cwd = process.cwd();
  const inside = relative(cwd, baseDir);
  return inside.startsWith('..') || isAbsolute(inside) ? baseDir : cwd;
}

function formatText(set: MigrationSet, findings: Finding[]): string {
  const lines = findings.map((f) => {
    const file = isAbsolute(f.location.file) ? relative(set.root, f.location.file) : f.location.file;
    // Findings about the whole review (impact that could not be analysed) have no file.
    const where = file ? `${file}:${f.location.line}:${f.location.column}` : '(review)';
    const changeset = f.location.changeset ? ` (changeset ${f.location.changeset})` : '';
    return `${where}${changeset}  ${f.severity}  ${f.ruleId}  ${f.message}${f.help ? `\n    help: ${f.help}` : ''}`;
  });
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  lines.push(
    `${set.migrations.length} migration${set.migrations.length === 1 ? '' : 's'} (${set.format}) reviewed: ${count('error')} error${count('error') === 1 ? '' : 's'}, ${count('warning')} warning${count('warning') === 1 ? '' : 's'}, ${count('info')} info.`,
  );
  return `${lines.join('\n')}\n`;
}

const count = (n: number, unit: string): string => `${n.toLocaleString('en-US')} ${unit}${n === 1 ? '' : 's'}`;

/** One line per statement: where, the table and its size, the work and lock, the estimate; then each data check. */
function impactLines(s: StatementImpact): { head: string; details: string[] } {
  const table = s.table
    ? `${s.table.schema ? `${s.table.schema}.` : ''}${s.table.name} (${s.table.rowsEstimated ? '~' : ''}${count(s.table.rows, 'row')}, ${formatBytes(s.table.bytes)})`
    : 'no existing table';
  const parts = [table, `work: ${s.work}`];
  if (s.lock) parts.push(`lock: ${s.lock.mode}, blocks ${s.lock.blocks}`);
  if (s.estimate) parts.push(`${s.estimate.seconds < 1 ? 'under a second' : `about ${count(Math.round(s.estimate.seconds), 'second')}`} (${s.estimate.assumption})`);
  const details: string[] = [];
  if (s.blastRadius.length) details.push(`linked by foreign keys: ${s.blastRadius.join(', ')}`);
  for (const c of s.dataChecks) {
    const verdict = c.atRisk ? 'AT RISK' : c.skipped ? `not checked (${c.skipped})` : 'ok';
    details.push(`${verdict}: ${c.what}${c.result ? `: ${c.result}` : ''}`);
  }
  return { head: `${s.location.file}:${s.location.line}:${s.location.column}  ${parts.join('  ')}`, details };
}

function impactText(impact: ImpactReport): string {
  const lines = [`\nImpact on ${impact.connection} (server ${impact.serverVersion}):`];
  for (const s of impact.statements) {
    const { head, details } = impactLines(s);
    lines.push(`  ${head}`, ...details.map((d) => `      ${d}`));
  }
  if (!impact.statements.length) lines.push('  no statement touches an existing table.');
  return `${lines.join('\n')}\n`;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function impactMarkdown(impact: ImpactReport): string {
  const lines = ['', `### Impact on \`${cell(impact.connection)}\` (server ${cell(impact.serverVersion)})`, ''];
  if (!impact.statements.length) return `${[...lines, 'No statement touches an existing table.'].join('\n')}\n`;
  lines.push('| Statement | Table | Work | Lock | Estimate | Data checks |', '| --- | --- | --- | --- | --- | --- |');
  for (const s of impact.statements) {
    const table = s.table ? `${s.table.schema ? `${s.table.schema}.` : ''}${s.table.name}: ${s.table.rowsEstimated ? '~' : ''}${count(s.table.rows, 'row')}, ${formatBytes(s.table.bytes)}` : '—';
    const lock = s.lock ? `${s.lock.mode} (blocks ${s.lock.blocks})` : '—';
    const estimate = s.estimate ? (s.estimate.seconds < 1 ? '< 1 s' : `~${count(Math.round(s.estimate.seconds), 'second')}`) : '—';
    const checks = s.dataChecks.map((c) => `${c.atRisk ? '🛑' : '✅'} ${c.what}${c.result ? `: ${c.result}` : ''}`).join('<br>') || '—';
    lines.push(`| \`${cell(s.location.file)}:${s.location.line}\` | ${cell(table)} | ${s.work} | ${cell(lock)} | ${estimate} | ${cell(checks)} |`);
  }
  return `${lines.join('\n')}\n`;
}
