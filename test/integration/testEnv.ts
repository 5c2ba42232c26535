import { inject } from 'vitest';
import { attachTestServers, type TestServers } from '../../scripts/testServers';

/** Helpers for db and e2e tests: where the throwaway servers are (see globalSetup.ts). */

function provided(key: 'quarryPgUrl' | 'quarryMysqlUrl', envName: string): string {
  let value: string | undefined;
  try {
    value = inject(key);
  } catch {
    // Outside a vitest worker: fall back to the environment.
  }
  value ||= process.env[envName];
  if (!value) throw new Error(`${envName} is not set and no globalSetup provided ${key}: run under \`vitest --project db\` (or e2e), or \`npm run test-servers start\` and export its lines`);
  return value;
}

/** postgres://quarry:quarry@127.0.0.1:PORT/quarry — a superuser on a throwaway PostgreSQL 15 with pg_stat_statements. */
export function testPgUrl(): string {
  return provided('quarryPgUrl', 'QUARRY_TEST_PG_URL');
}

/** mysql://quarry:quarry@127.0.0.1:PORT/quarry — all privileges on a throwaway MariaDB. */
export function testMysqlUrl(): string {
  return provided('quarryMysqlUrl', 'QUARRY_TEST_MYSQL_URL');
}

/**
 * Handles to restart the servers (reconnect tests), or undefined when they were started elsewhere without a
 * state file. Restarting affects every test using the servers, so only db tests (run one file at a time) may.
 */
export function testServers(): TestServers | undefined {
  let state;
  try {
    state = inject('quarryTestServers');
  } catch {
    return undefined;
  }
  return state ? attachTestServers(state) : undefined;
}

/** CA certificate that signed both servers' TLS certificates (IP 127.0.0.1 only), or undefined without TLS. */
export function testCaFile(): string | undefined {
  return testServers()?.caFile ?? process.env.QUARRY_TEST_CA_FILE;
}
