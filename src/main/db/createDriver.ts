import type { Driver, DriverOptions } from './Driver';
import { MysqlDriver } from './drivers/MysqlDriver';
import { PostgresDriver } from './drivers/PostgresDriver';
import { SqliteDriver } from './drivers/SqliteDriver';

/**
 * Opens one session for a saved connection. The one dialect switch outside src/main/db/drivers/: everything
 * after this sees only the Driver interface. Rejects with a DriverError (CONNECTION_FAILED, TIMEOUT, BAD_INPUT).
 */
export async function createDriver(options: DriverOptions): Promise<Driver> {
  switch (options.config.dialect) {
    case 'postgres':
      return PostgresDriver.open(options);
    case 'mysql':
      return MysqlDriver.open(options);
    case 'sqlite':
      return SqliteDriver.open(options);
    default: {
      const never: never = options.config.dialect;
      throw new Error(`Unknown dialect ${String(never)}`);
    }
  }
}
