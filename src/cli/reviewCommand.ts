import { statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Dialect } from '../shared/domain/connection';
import type { Finding, MigrationSet, ReversibilityResult, Severity } from '../shared/domain/review';
import { loadReviewConfig } from '../main/review/config/loadReviewConfig';
import { readMigrationSources } from '../main/review/readers/readMigrations';
import { reviewMigrations } from '../main/review/reviewMigrations';
import { writeChunk } from '../main/query/writeChunk';
import { formatMarkdown } from '../main/review/report/formatMarkdown';
import { formatSarif } from '../main/review/report/formatSarif';
import { rules } from '../main/review/rules/registry';
import { dialectOfConnection, proveInSandbox } from '../main/review/sandbox/openSandbox';
import { readPackageVersion } from './readPackageVersion';

export const reviewFormats = ['text', 'json', 'markdown', 'sarif'] as const;
export type ReviewFormat = (typeof reviewFormats)[number];

export interface ReviewCommandOptions {
  path: string;
  /** Defaults to .quarry.yml's dialect, then what the files say (Prisma's provider, Liquibase dbms). */
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
  /** Where --prove runs: a PostgreSQL or MySQL URL (required for those), or a SQLite file copied into memory. Defaults to none: SQLite starts empty. */
  connection?: string;
  /** Defaults to process.stdout. */
  out?: NodeJS.WritableStream;
}

const rank: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/**
 * `quarry review <path>`: reads a migration folder, file or zip, runs every rule with no database and no model,
 * and prints the findings. Exit 1 when one reaches --fail-on, 0 otherwise; bad input throws for exit 2.
 */
export async function reviewCommand(options: ReviewCommandOptions): Promise<number> {
  const out = options.out ?? process.stdout;
  const { set, sources } = await readMigrationSources(options.path, options.dialect ? { dialect: options.dialect } : {});
  const isFolder = statSync(options.path).isDirectory();
  const loaded = loadReviewConfig(isFolder ? options.path : dirname(options.path));
  const findings = [
    ...loaded.problems,
    ...(await reviewMigrations(set, {
      dialect: options.dialect,
      serverVersion: options.serverVersion,
      config: loaded.config,
      sources,
    })),
  ];
  let proof: ReversibilityResult[] | undefined;
  if (options.prove) {
    // The dialect the review itself used; reviewMigrations has already refused a set without one.
    const dialect = options.dialect ?? loaded.config?.dialect ?? set.dialectHint ?? (options.connection ? dialectOfConnection(options.connection) : undefined) ?? 'postgres';
    const proved = await proveInSandbox(set, dialect, options.connection);
    findings.push(...proved.findings);
    proof = proved.results;
  }
  const failing = findings.filter((f) => rank[f.severity] >= rank[options.failOn]);
  const baseDir = resolve(isFolder ? options.path : dirname(options.path));
  const paths = { baseDir, srcRoot: options.srcRoot ?? defaultSrcRoot(baseDir) };
  if (options.format === 'json') {
    await writeChunk(out, `${JSON.stringify({ root: set.root, format: set.format, migrations: set.migrations.length, findings, ...(proof ? { proof } : {}) }, null, 2)}\n`);
  } else if (options.format === 'markdown') {
    await writeChunk(out, formatMarkdown(set, findings, { ...paths, rules }));
  } else if (options.format === 'sarif') {
    await writeChunk(out, `${JSON.stringify(formatSarif(set, findings, rules, { ...paths, toolVersion: readPackageVersion() }), null, 2)}\n`);
  } else {
    await writeChunk(out, formatText(set, findings));
  }
  return failing.length > 0 ? 1 : 0;
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
    const where = `${file}:${f.location.line}:${f.location.column}`;
    const changeset = f.location.changeset ? ` (changeset ${f.location.changeset})` : '';
    return `${where}${changeset}  ${f.severity}  ${f.ruleId}  ${f.message}${f.help ? `\n    help: ${f.help}` : ''}`;
  });
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  lines.push(
    `${set.migrations.length} migration${set.migrations.length === 1 ? '' : 's'} (${set.format}) reviewed: ${count('error')} error${count('error') === 1 ? '' : 's'}, ${count('warning')} warning${count('warning') === 1 ? '' : 's'}, ${count('info')} info.`,
  );
  return `${lines.join('\n')}\n`;
}
