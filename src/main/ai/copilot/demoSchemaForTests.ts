import { join } from 'node:path';
import type { SchemaModel } from '../../../shared/domain/SchemaModel';
import { SqliteDriver } from '../../db/drivers/SqliteDriver';

/** The shipped demo database's schema, introspected by the real SQLite driver (read-only), for the copilot's tests. */
export async function demoSchemaForTests(): Promise<SchemaModel> {
  const path = join(import.meta.dirname, '..', '..', '..', '..', 'resources', 'demo.sqlite');
  const driver = await SqliteDriver.open({
    config: { name: 'demo', dialect: 'sqlite', database: path, allowWrites: false, statementTimeoutMs: 0, connectTimeoutMs: 10_000 },
    secrets: {},
  });
  try {
    return await driver.introspect();
  } finally {
    await driver.dispose();
  }
}
