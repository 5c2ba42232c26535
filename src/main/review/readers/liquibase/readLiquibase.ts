import type { Dialect } from '../../../../shared/domain/connection';
import type { Finding, Migration, MigrationSet, MigrationStatement } from '../../../../shared/domain/review';
import { buildMigration, type BuildContext } from './buildMigration';
import { changelogFilesFromDisk, type ChangelogFiles } from './ChangelogFiles';
import { collectChangeSets, problem, type FoundChangeSet } from './collectChangeSets';

export interface ReadLiquibaseOptions {
  /**
   * The dialect to generate SQL for. Defaults to the dialect every changeset's `dbms` names, when they agree,
   * and otherwise to postgres.
   */
  dialect?: Dialect;
  /** Changelog parameters given by the caller, as Liquibase's -D options; they win over `<property>`. Defaults to none. */
  properties?: Record<string, string>;
}

/** Liquibase's database short names → Quarry's dialects. */
const DBMS_DIALECT: Record<string, Dialect> = { postgresql: 'postgres', mysql: 'mysql', mariadb: 'mysql', sqlite: 'sqlite' };

function dbmsList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
}

/** Whether Liquibase runs a changeset with this dbms attribute on the dialect. */
function runsOn(dbms: string[], dialect: Dialect): boolean {
  if (dbms.length === 0 || dbms.includes('all')) return true;
  if (dbms.includes('none')) return false;
  const mine = (name: string): boolean => DBMS_DIALECT[name] === dialect;
  if (dbms.some((d) => d.startsWith('!') && mine(d.slice(1)))) return false;
  const positive = dbms.filter((d) => !d.startsWith('!'));
  return positive.length === 0 || positive.some(mine);
}

/** The one dialect the changesets' dbms attributes name, when they name exactly one. */
export function dialectHintOf(changeSets: FoundChangeSet[]): Dialect | undefined {
  const named = new Set<Dialect>();
  for (const cs of changeSets) {
    for (const d of dbmsList(cs.node.attrs.dbms)) {
      const dialect = DBMS_DIALECT[d];
      if (dialect && !d.startsWith('!')) named.add(dialect);
    }
  }
  return named.size === 1 ? [...named][0] : undefined;
}

/**
 * Read a Liquibase changelog tree (XML, YAML, JSON or formatted SQL, following include and includeAll) into
 * one Migration per changeset, with the SQL its change types mean for the dialect and its rollback. Problems
 * in the tree are reported in `problems`; they never stop the rest from being read.
 */
export function readLiquibaseFiles(root: string, files: ChangelogFiles, changelogPath: string, options: ReadLiquibaseOptions = {}): MigrationSet {
  const { changeSets, properties, problems } = collectChangeSets(files, changelogPath);
  const dialectHint = dialectHintOf(changeSets);
  const dialect = options.dialect ?? dialectHint ?? 'postgres';
  // Liquibase properties are immutable: the first definition for this dialect wins.
  const params = new Map(Object.entries(options.properties ?? {}));
  for (const p of properties) if (!params.has(p.name) && runsOn(dbmsList(p.dbms), dialect)) params.set(p.name, p.value);
  const expand = (sql: string): string => (sql.includes('${') ? sql.replace(/\$\{([^}]+)\}/g, (whole, name: string) => params.get(name.trim()) ?? whole) : sql);

  const byKey = new Map<string, FoundChangeSet[]>();
  for (const cs of changeSets) {
    const key = `${cs.node.attrs.author}:${cs.node.attrs.id}`;
    byKey.set(key, [...(byKey.get(key) ?? []), cs]);
  }
  const resolving = new Set<FoundChangeSet>();
  const ctx: BuildContext = {
    dialect,
    files,
    problems,
    expand,
    upOf: (id, author, path): MigrationStatement[] | undefined => {
      const target = (byKey.get(`${author}:${id}`) ?? []).find((cs) => path === undefined || cs.file === path);
      // A rollback chain that comes back to itself has no end; it is treated as missing.
      if (!target || resolving.has(target)) return undefined;
      resolving.add(target);
      try {
        return buildMigration(target, { ...ctx, problems: [] })?.up;
      } finally {
        resolving.delete(target);
      }
    },
  };

  const migrations: Migration[] = [];
  const seen = new Map<string, string>();
  for (const cs of changeSets) {
    if (!runsOn(dbmsList(cs.node.attrs.dbms), dialect)) {
      problems.push({
        ...problem('changeset-skipped', `changeset ${cs.node.attrs.author}:${cs.node.attrs.id} is for dbms ${cs.node.attrs.dbms}, not ${dialect}; Liquibase skips it`, { file: cs.file, ...cs.node.position }, 'info'),
      });
      continue;
    }
    resolving.add(cs);
    const migration = buildMigration(cs, ctx);
    resolving.delete(cs);
    if (!migration) continue;
    const earlier = seen.get(migration.id);
    if (earlier !== undefined) {
      const at = { file: cs.file, ...cs.node.position, changeset: migration.id };
      // Liquibase tells changesets apart by file too, so only a duplicate within one file is its error.
      const sameFile = earlier === cs.file;
      const message = sameFile
        ? `changeset ${migration.id} is defined twice in ${cs.file}; Liquibase refuses duplicate identifiers`
        : `changeset ${migration.id} is also defined in ${earlier}; Liquibase runs both, findings name them alike`;
      problems.push({ ...problem('duplicate-changeset', message, at, sameFile ? 'error' : 'warning'), migrationId: migration.id });
      if (sameFile) continue;
    }
    seen.set(migration.id, cs.file);
    migrations.push(migration);
  }
  const set: MigrationSet = { root, format: 'liquibase', migrations, problems: problems.map(withChangesetId) };
  if (dialectHint) set.dialectHint = dialectHint;
  return set;
}

function withChangesetId(f: Finding): Finding {
  return f.migrationId && !f.location.changeset ? { ...f, location: { ...f.location, changeset: f.migrationId } } : f;
}

/** readLiquibaseFiles over a folder on disk; changelogPath is relative to rootDir. */
export function readLiquibase(rootDir: string, changelogPath: string, options: ReadLiquibaseOptions = {}): MigrationSet {
  return readLiquibaseFiles(rootDir, changelogFilesFromDisk(rootDir), changelogPath.replace(/\\/g, '/'), options);
}
