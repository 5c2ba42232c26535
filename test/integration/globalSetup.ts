import type { TestProject } from 'vitest/node';
import { readStateFile, startTestServers, type TestServersState } from '../../scripts/testServers';

declare module 'vitest' {
  export interface ProvidedContext {
    /** postgres://quarry:quarry@127.0.0.1:PORT/quarry */
    quarryPgUrl: string;
    /** mysql://quarry:quarry@127.0.0.1:PORT/quarry */
    quarryMysqlUrl: string;
    /** How to restart or stop the servers; null when they were started outside this run and left no state file. */
    quarryTestServers: TestServersState | null;
  }
}

/**
 * Vitest globalSetup for the db and e2e projects. Uses QUARRY_TEST_PG_URL / QUARRY_TEST_MYSQL_URL when both are
 * set (e.g. from `npm run test-servers start`); otherwise starts throwaway servers and stops them afterwards.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const envPg = process.env.QUARRY_TEST_PG_URL;
  const envMysql = process.env.QUARRY_TEST_MYSQL_URL;
  if (envPg && envMysql) {
    const statePath = process.env.QUARRY_TEST_SERVERS_STATE;
    project.provide('quarryPgUrl', envPg);
    project.provide('quarryMysqlUrl', envMysql);
    project.provide('quarryTestServers', statePath ? (readStateFile(statePath) ?? null) : null);
    return undefined;
  }
  const servers = await startTestServers();
  project.provide('quarryPgUrl', envPg ?? servers.pgUrl);
  project.provide('quarryMysqlUrl', envMysql ?? servers.mysqlUrl);
  project.provide('quarryTestServers', servers.state);
  return () => servers.stop();
}
