import pg from 'pg';

export interface ScratchPostgres {
  /** The database's name: `<prefix>_<pid>_<time>`. */
  database: string;
  /** The server URL with this database as its path. */
  url: string;
  /** A session on the database, as the server URL's user (the owner). */
  client: pg.Client;
  /** Ends the session and drops the database, whoever is still connected to it. */
  dispose(): Promise<void>;
}

/** A new database of its own on the test PostgreSQL server, so db test files can run side by side. */
export async function scratchPostgres(serverUrl: string, prefix: string): Promise<ScratchPostgres> {
  const database = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${database}`);
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  const dispose = async (): Promise<void> => {
    await client.end().catch(() => undefined);
    await admin.query(`drop database if exists ${database} with (force)`).catch(() => undefined);
    await admin.end();
  };
  try {
    await client.connect();
  } catch (error) {
    await dispose();
    throw error;
  }
  return { database, url: url.toString(), client, dispose };
}
