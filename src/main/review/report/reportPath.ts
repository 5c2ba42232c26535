import path from 'node:path';

export interface ReportPaths {
  /** The folder that finding files (relative ones) are relative to: the reviewed folder, or the folder of the reviewed file. */
  baseDir: string;
  /**
   * The folder report paths are written relative to, usually the repository root so GitHub can map them to files.
   * Defaults to baseDir.
   */
  srcRoot?: string;
}

/**
 * A finding's file as a report shows it: relative to srcRoot with forward slashes, whatever the platform, since
 * SARIF URIs and GitHub paths use them. Config problems carry absolute paths; reader findings relative ones.
 */
export function reportPath(file: string, paths: ReportPaths): string {
  const absolute = path.isAbsolute(file) ? file : path.join(paths.baseDir, file);
  const relative = path.relative(paths.srcRoot ?? paths.baseDir, absolute);
  return (relative === '' ? path.basename(absolute) : relative).split(path.sep).join('/');
}
