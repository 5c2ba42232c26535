import type { Finding } from '../../../shared/domain/review';

/** One file of the reviewed input, its path relative to the root with '/' separators. */
export interface InputFile {
  path: string;
  bytes: Uint8Array;
}

/** What was opened: the readable files, in path order, and what could not be read. */
export interface OpenedInput {
  /** The path that was opened. */
  root: string;
  files: InputFile[];
  problems: Finding[];
}

/** A read problem of one file, pointing at its start unless a line is known. */
export function readProblem(path: string, message: string, line = 1, column = 1): Finding {
  return { ruleId: 'read-error', severity: 'error', message, location: { file: path, line, column } };
}
