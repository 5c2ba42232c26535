import { ApiError } from '../../../shared/api/errors';
import { DriverError } from '../DriverError';
import { loadCatalogSql, type CatalogDialect } from './loadCatalogSql';
import type { Queryable } from './Queryable';

/**
 * Runs one catalog query file and names it in the error when the server refuses it, so a failure on an odd
 * server version says which query broke instead of a bare SQL error. The driver's error code survives
 * (CONNECTION_LOST, CANCELLED, TIMEOUT …) so callers can still tell a dropped connection from a bad query.
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
    const message = `Introspection query ${dialect}/${name}.sql failed: ${error instanceof Error ? error.message : String(error)}`;
    const wrapped =
      error instanceof ApiError
        ? new DriverError(error.code, message, error instanceof DriverError ? error.serverCode : undefined, undefined, error.detail)
        : new DriverError('QUERY_FAILED', message);
    wrapped.cause = error;
    throw wrapped;
  }
}
