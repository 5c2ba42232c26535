import { ApiError } from '../../../shared/api/errors';
import { dialectFacts } from '../../../shared/dialect/dialectFacts';
import type { Dialect } from '../../../shared/domain/connection';
import type { MigrationSet } from '../../../shared/domain/review';
import type { DriverOptions } from '../../db/Driver';
import { MysqlSandbox } from './MysqlSandbox';
import { PostgresSandbox } from './PostgresSandbox';
import { proveReversibility, type ReversibilityProof } from './proveReversibility';
import type { Sandbox } from './Sandbox';
import { SqliteSandbox } from './SqliteSandbox';

/**
 * Where a proof runs: a connection URL (SQLite: a file path or sqlite:PATH), or a saved connection's config and
 * secrets, so its password never has to be spelled into a URL.
 */
export type SandboxTarget = string | DriverOptions;

/** Said when a server dialect is to be proved with no server; the CLI and the Reviewer both show it. */
export const NEEDS_SERVER_MESSAGE = (dialect: Dialect): string =>
  `Proving ${dialect} migrations needs a server: pass --connection <url> (PostgreSQL: a rolled-back transaction; MySQL/MariaDB: a throwaway database on that server), or pick a connection in the Reviewer.`;

const requireConnection = (dialect: Dialect, connection: SandboxTarget | undefined): SandboxTarget => {
  if (!connection) throw new ApiError('BAD_INPUT', NEEDS_SERVER_MESSAGE(dialect));
  return connection;
};

const sqliteFile = (connection: SandboxTarget): string | undefined =>
  typeof connection === 'string' ? connection.replace(/^sqlite:(\/\/)?/i, '') : connection.config.database;

/** One opener per dialect. SQLite's connection is a file path (or sqlite:PATH, or a saved connection's file); without one it starts empty. */
const openers: Record<Dialect, (connection: SandboxTarget | undefined) => Promise<Sandbox>> = {
  postgres: (connection) => PostgresSandbox.open(requireConnection('postgres', connection)),
  mysql: (connection) => MysqlSandbox.open(requireConnection('mysql', connection)),
  sqlite: async (connection) => {
    const file = connection === undefined ? undefined : sqliteFile(connection);
    return new SqliteSandbox(file ? { file } : {});
  },
};

/** Whether proving `dialect` needs a server (PostgreSQL, MySQL) rather than starting from an empty in-memory database. */
export function proofNeedsServer(dialect: Dialect): boolean {
  return !dialectFacts[dialect].fileBased;
}

const schemes: Record<string, Dialect> = { postgres: 'postgres', postgresql: 'postgres', mysql: 'mysql', mariadb: 'mysql', sqlite: 'sqlite' };

/** The dialect a connection URL names by its scheme (postgres://, mysql://, mariadb://, sqlite:), if any. */
export function dialectOfConnection(connection: string): Dialect | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(connection)?.[1]?.toLowerCase();
  return scheme === undefined ? undefined : schemes[scheme];
}

export async function openSandbox(dialect: Dialect, connection?: SandboxTarget): Promise<Sandbox> {
  return openers[dialect](connection);
}

/** Opens the dialect's sandbox, proves the set in it, and always disposes of it. */
export async function proveInSandbox(set: MigrationSet, dialect: Dialect, connection?: SandboxTarget): Promise<ReversibilityProof> {
  const sandbox = await openSandbox(dialect, connection);
  try {
    return await proveReversibility(set, sandbox);
  } finally {
    await sandbox.dispose();
  }
}
