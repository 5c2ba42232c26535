import { ApiError } from '../../../shared/api/errors';
import type { Dialect } from '../../../shared/domain/connection';
import type { Finding, MigrationFormat, MigrationSet } from '../../../shared/domain/review';
import { decodeText } from '../input/decodeText';
import type { InputFile } from '../input/InputFile';
import { openInput, type OpenInputOptions } from '../input/openInput';
import { dbmateReader } from './dbmateReader';
import { flywayReader } from './flywayReader';
import { golangMigrateReader } from './golangMigrateReader';
import { gooseReader } from './gooseReader';
import { liquibaseReader } from './liquibase/liquibaseReader';
import type { MigrationReader, ReaderResult, SourceFile } from './MigrationReader';
import { plainSqlReader } from './plainSqlReader';
import { prismaReader } from './prismaReader';

/**
 * Every format Quarry reads, one entry each; detection asks them all and the most confident wins.
 * Liquibase: its reader (src/main/review/readers/liquibase/) is added here with one line.
 */
export const migrationReaders: MigrationReader[] = [
  plainSqlReader,
  flywayReader,
  golangMigrateReader,
  dbmateReader,
  gooseReader,
  prismaReader,
  liquibaseReader,
];

/** Files that hold no migration and would only make detection or decoding noisy. */
const MIGRATION_LIKE = /\.(sql|xml|ya?ml|json|toml|conf)$/i;

/** The format the files look like; plain SQL when nothing more specific fits. */
export function detectFormat(files: readonly SourceFile[]): MigrationFormat {
  return pickReader(files).format;
}

function pickReader(files: readonly SourceFile[]): MigrationReader {
  let best: MigrationReader = plainSqlReader;
  let score = 0;
  for (const reader of migrationReaders) {
    const s = reader.detect(files);
    if (s > score) {
      best = reader;
      score = s;
    }
  }
  return best;
}

export interface ReadMigrationsOptions extends OpenInputOptions {
  /** The dialect to split statements for. Defaults to the one the files name (Prisma's provider), else PostgreSQL. */
  dialect?: Dialect;
  /** Read with this format instead of detecting one. */
  format?: MigrationFormat;
}

/** Decode every file a reader might want; the others (images, READMEs …) are left alone, not reported. */
export function decodeFiles(files: readonly InputFile[]): { files: SourceFile[]; problems: Finding[] } {
  const decoded: SourceFile[] = [];
  const problems: Finding[] = [];
  for (const f of files) {
    if (!MIGRATION_LIKE.test(f.path)) continue;
    const result = decodeText(f.path, f.bytes);
    if (result.problem) problems.push(result.problem);
    else decoded.push({ path: f.path, text: result.text });
  }
  return { files: decoded, problems };
}

/**
 * Open a folder, file or zip, detect its format and read its migrations. Problems with single files (binary,
 * too large, badly encoded, misnamed) are in `problems`, and the rest is still read.
 */
export async function readMigrations(path: string, options: ReadMigrationsOptions = {}): Promise<MigrationSet> {
  return (await readMigrationSources(path, options)).set;
}

/**
 * readMigrations, and the decoded text of every file read, by path as in SourceLocation.file: the review engine
 * needs it to see `-- quarry-ignore` comments outside statement texts.
 */
export async function readMigrationSources(path: string, options: ReadMigrationsOptions = {}): Promise<{ set: MigrationSet; sources: Map<string, string> }> {
  const opened = await openInput(path, { ...options, include: (file) => MIGRATION_LIKE.test(file) && (options.include?.(file) ?? true) });
  const { files, problems } = decodeFiles(opened.files);
  const reader = options.format ? migrationReaders.find((r) => r.format === options.format) : pickReader(files);
  if (!reader) throw new ApiError('BAD_INPUT', `no reader for the format ${String(options.format)}`);
  let result: ReaderResult;
  let hint: Dialect | undefined;
  try {
    hint = reader.dialectHint?.(files);
    result = reader.read(files, { dialect: options.dialect ?? hint ?? 'postgres', files });
  } catch (error) {
    // A reader bug must not take the whole review down: the input problems found so far still reach the user.
    const message = error instanceof Error ? error.message : String(error);
    result = { migrations: [], problems: [{ ruleId: 'read-error', severity: 'error', message: `the ${reader.format} reader failed: ${message}`, location: { file: '', line: 1, column: 1 } }] };
  }
  const set: MigrationSet = {
    root: opened.root,
    format: reader.format,
    migrations: result.migrations,
    problems: [...opened.problems, ...problems, ...result.problems],
  };
  const dialectHint = result.dialectHint ?? hint;
  if (dialectHint) set.dialectHint = dialectHint;
  return { set, sources: new Map(files.map((f) => [f.path, f.text])) };
}
