/// <reference types="vite/types/importMeta.d.ts" />
import { readFileSync } from 'node:fs';

export type CatalogDialect = 'postgres' | 'mysql' | 'sqlite';

/**
 * Every catalog query, inlined by Vite when this module goes through Vite (vitest, electron-vite build, which
 * bundles src/main into out/main where the .sql files are not shipped). `node --import tsx` (the CLI, scripts,
 * bench) does not run Vite and has no `import.meta.glob` — nor does it understand `?raw` imports — so there the
 * call throws and we fall back to reading the file next to this module from disk.
 */
const bundled: Record<string, string> | undefined = (() => {
  try {
    return import.meta.glob<string>('../catalog/*/*.sql', { query: '?raw', import: 'default', eager: true });
  } catch {
    return undefined;
  }
})();

const cache = new Map<string, string>();

/** The text of src/main/db/catalog/<dialect>/<name>.sql. Throws a clear error when there is no such query. */
export function loadCatalogSql(dialect: CatalogDialect, name: string): string {
  if (!/^[a-zA-Z][a-zA-Z0-9_]*$/.test(name)) throw new Error(`Invalid catalog query name ${JSON.stringify(name)}: expected letters, digits and _`);
  const key = `../catalog/${dialect}/${name}.sql`;
  let sql = cache.get(key) ?? bundled?.[key];
  if (sql === undefined) {
    try {
      sql = readFileSync(new URL(key, import.meta.url), 'utf8');
    } catch (error) {
      throw new Error(`Catalog query ${dialect}/${name}.sql could not be loaded: ${(error as Error).message}`);
    }
  }
  cache.set(key, sql);
  return sql;
}
