import { loadCatalogSql, type CatalogDialect } from './loadCatalogSql';
import type { Queryable } from './Queryable';

/**
 * Runs one catalog query file and names it in the error when the server refuses it, so a failure on an odd
 * server version says which query broke instead of a bare SQL error.
 */
export async function runCatalogQuery(
  q: Queryable,
  dialect: CatalogDialect,
  name: string,
  params?: readonly unknown[],
): Promise<Record<string, unknown>[]> {
  const sql = loadCatalogSql(dialect, name);
  try {
    const result = await q.query(sql, params);
    return result.rows;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const wrapped = new Error(`Introspection query ${dialect}/${name}.sql failed: ${message}`, { cause: error });
    throw wrapped;
  }
}
