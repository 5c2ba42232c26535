import type { Dialect } from '../../../shared/domain/connection';
import type { Finding, Migration, MigrationFormat } from '../../../shared/domain/review';

/** A decoded text file of the input, its path relative to the root with '/' separators. */
export interface SourceFile {
  path: string;
  text: string;
}

export interface ReaderContext {
  /** The dialect statements are split for: the caller's choice, else the reader's hint, else PostgreSQL. */
  dialect: Dialect;
  /** Every file of the input, for readers that follow includes. */
  files: readonly SourceFile[];
}

/** What a reader returns; readMigrations adds root and format. */
export interface ReaderResult {
  migrations: Migration[];
  problems: Finding[];
  dialectHint?: Dialect;
}

export interface MigrationReader {
  format: MigrationFormat;
  /** 0 when the files are not this format, up to 1 when they surely are; the highest wins. */
  detect(files: readonly SourceFile[]): number;
  /** Dialect the files name themselves (Prisma's provider), read before statements are split. */
  dialectHint?(files: readonly SourceFile[]): Dialect | undefined;
  read(files: readonly SourceFile[], ctx: ReaderContext): ReaderResult;
}
