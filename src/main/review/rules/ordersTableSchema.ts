import type { Dialect } from '../../../shared/domain/connection';
import type { SchemaModel } from '../../../shared/domain/SchemaModel';

/** One column of the fixture table, as introspection writes it. */
export interface FixtureColumn {
  name: string;
  /** The catalog's spelling: 'int(11)', "enum('new','paid')", 'numeric(12,2)'. */
  dataType: string;
  /** Defaults to true. */
  nullable?: boolean;
}

/**
 * A live database holding one table, orders, with `columns`: the schema rule tests start the tracker from.
 * serverVersion defaults to a current server of the dialect (PostgreSQL 16, MySQL 8.0.36).
 */
export function ordersTableSchema(columns: FixtureColumn[], dialect: Dialect = 'postgres', serverVersion = dialect === 'postgres' ? '16' : '8.0.36'): SchemaModel {
  return {
    dialect,
    serverVersion,
    database: 'shop',
    introspectedAt: '2026-01-01T00:00:00Z',
    schemas: [
      {
        name: 'public',
        views: [],
        routines: [],
        sequences: [],
        enums: [],
        tables: [
          {
            schema: 'public',
            name: 'orders',
            kind: 'table',
            columns: columns.map((c, i) => ({ name: c.name, dataType: c.dataType, ordinal: i + 1, nullable: c.nullable ?? true })),
            uniqueConstraints: [],
            foreignKeys: [],
            checks: [],
            indexes: [],
            triggers: [],
          },
        ],
      },
    ],
  };
}
