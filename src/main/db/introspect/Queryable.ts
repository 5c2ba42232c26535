/**
 * The one thing introspection needs from a session: run a catalog query and get its rows back as objects keyed
 * by column name, holding the raw JS values of the client library (pg, mysql2, better-sqlite3). Introspection
 * tolerates the usual variations (bigint as string or bigint, json as text or parsed) so a driver may keep its
 * own type parsers.
 */
export interface Queryable {
  query(sql: string, params?: readonly unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}
