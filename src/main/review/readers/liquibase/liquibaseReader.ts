import { posix } from 'node:path';
import type { MigrationReader, SourceFile } from '../MigrationReader';
import type { ChangelogFiles } from './ChangelogFiles';
import { collectChangeSets } from './collectChangeSets';
import { isFormattedSql } from './parseFormattedSqlChangelog';
import { dialectHintOf, readLiquibaseFiles } from './readLiquibase';

const STRUCTURED = /\.(xml|ya?ml|json)$/i;
const MASTER_NAME = /master/i;
const CHANGELOG_NAME = /(^|[._-])changelog([._-]|$)/i;
/** The changelog Quarry writes itself when a folder holds formatted SQL files and no master: an includeAll of the root. */
const VIRTUAL_MASTER = '.quarry-liquibase-root.xml';

function isChangelog(f: SourceFile): boolean {
  if (STRUCTURED.test(f.path)) return /databaseChangeLog/.test(f.text.slice(0, 4096));
  return /\.sql$/i.test(f.path) && isFormattedSql(f.text);
}

const depth = (p: string): number => p.split('/').length;
const byDepthThenPath = (a: SourceFile, b: SourceFile): number => depth(a.path) - depth(b.path) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * The changelog Liquibase would be started with: one named *master*, else one named *changelog*, else the
 * shallowest structured changelog. Undefined when there are only formatted SQL files.
 */
export function findMasterChangelog(files: readonly SourceFile[]): string | undefined {
  const structured = files.filter((f) => STRUCTURED.test(f.path) && isChangelog(f)).sort(byDepthThenPath);
  return (structured.find((f) => MASTER_NAME.test(posix.basename(f.path))) ?? structured.find((f) => CHANGELOG_NAME.test(posix.basename(f.path))) ?? structured[0])?.path;
}

function sourceFiles(files: readonly SourceFile[], withVirtualMaster: boolean): ChangelogFiles {
  const enc = new TextEncoder();
  const byPath = new Map(files.map((f) => [f.path, f.text]));
  if (withVirtualMaster) byPath.set(VIRTUAL_MASTER, '<databaseChangeLog><includeAll path="./"/></databaseChangeLog>');
  return {
    read: (path) => {
      const text = byPath.get(path);
      return text === undefined ? undefined : enc.encode(text);
    },
    list: (dir) => {
      const prefix = dir === '' || dir.endsWith('/') ? dir : `${dir}/`;
      return files.map((f) => f.path).filter((p) => p.startsWith(prefix) && (!/\.sql$/i.test(p) || isFormattedSql(byPath.get(p) ?? '') || dir !== ''));
    },
  };
}

function open(files: readonly SourceFile[]): { changelogFiles: ChangelogFiles; master: string } {
  const master = findMasterChangelog(files);
  return master ? { changelogFiles: sourceFiles(files, false), master } : { changelogFiles: sourceFiles(files, true), master: VIRTUAL_MASTER };
}

/** Liquibase changelogs: XML, YAML, JSON or formatted SQL, from the master changelog through its includes. */
export const liquibaseReader: MigrationReader = {
  format: 'liquibase',
  detect(files) {
    if (files.some((f) => STRUCTURED.test(f.path) && isChangelog(f))) return 0.95;
    return files.some((f) => /\.sql$/i.test(f.path) && isFormattedSql(f.text)) ? 0.9 : 0;
  },
  dialectHint(files) {
    const { changelogFiles, master } = open(files);
    return dialectHintOf(collectChangeSets(changelogFiles, master).changeSets);
  },
  read(files, ctx) {
    const { changelogFiles, master } = open(files);
    const set = readLiquibaseFiles('', changelogFiles, master, { dialect: ctx.dialect });
    return { migrations: set.migrations, problems: set.problems, ...(set.dialectHint ? { dialectHint: set.dialectHint } : {}) };
  },
};
