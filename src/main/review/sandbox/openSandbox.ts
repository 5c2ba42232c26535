import { ApiError } from '../../../shared/api/errors';
import type { Dialect } from '../../../shared/domain/connection';
import type { MigrationSet } from '../../../shared/domain/review';
import { MysqlSandbox } from './MysqlSandbox';
import { PostgresSandbox } from './PostgresSandbox';
import { proveReversibility, type ReversibilityProof } from './proveReversibility';
import type { Sandbox } from './Sandbox';
import { SqliteSandbox } from './SqliteSandbox';

const requireConnection = (dialect: Dialect, connection: string | undefined): string => {
  if (!connection) throw new ApiError('BAD_INPUT', `Proving ${dialect} migrations needs a server: pass --connection <url> (PostgreSQL: a rolled-back transaction; MySQL/MariaDB: a throwaway database on that server).`);
  return connection;
};

/** One opener per dialect. SQLite's connection is a file path (or sqlite:PATH); without one it starts empty. */
const openers: Record<Dialect, (connection: string | undefined) => Promise<Sandbox>> = {
  postgres: (connection) => PostgresSandbox.open(requireConnection('postgres', connection)),
  mysql: (connection) => MysqlSandbox.open(requireConnection('mysql', connection)),
  sqlite: async (connection) => new SqliteSandbox(connection ? { file: connection.replace(/^sqlite:(\/\/)?/i, '') } : {}),
};

const schemes: Record<string, Dialect> = { postgres: 'postgres', postgresql: 'postgres', mysql: 'mysql', mariadb: 'mysql', sqlite: 'sqlite' };

/** The dialect a connection URL names by its scheme (postgres://, mysql://, mariadb://, sqlite:), if any. */
export function dialectOfConnection(connection: string): Dialect | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(connection)?.[1]?.toLowerCase();
  return scheme === undefined ? undefined : schemes[scheme];
}

export async function openSandbox(dialect: Dialect, connection?: string): Promise<Sandbox> {
  return openers[dialect](connection);
}

/** Opens the dialect's sandbox, proves the set in it, and always disposes of it. */
export async function proveInSandbox(set: MigrationSet, dialect: Dialect, connection?: string): Promise<ReversibilityProof> {
  const sandbox = await openSandbox(dialect, connection);
  try {
    return await proveReversibility(set, sandbox);
  } finally {
    await sandbox.dispose();
  }
}
