import type { Dialect, TlsMode } from '../domain/connection';

/**
 * The static facts of each dialect that the UI, the CLI and URL handling need, kept as data (as DbGate keeps
 * its dialects), so code outside the drivers asks a fact instead of testing the dialect's name.
 */
export interface DialectFacts {
  /** Name shown to people. */
  label: string;
  /** True when a "database" is a local file (SQLite) rather than a server with host, port and user. */
  fileBased: boolean;
  /** The server's default TCP port; absent for file-based dialects. */
  defaultPort?: number;
  /** The scheme formatConnectionUrl writes, e.g. 'postgres' for postgres://. */
  urlScheme: string;
  /** Query parameter names of this dialect's URLs for the TLS mode and the CA file. */
  tlsUrlParam?: string;
  caUrlParam?: string;
  /** TLS mode when none is set: libpq's default is prefer; MySQL clients default to plain text here. */
  defaultTls: TlsMode;
  /** Monaco language id for highlighting. */
  monacoLanguage: 'pgsql' | 'mysql' | 'sql';
}

export const dialectFacts: Record<Dialect, DialectFacts> = {
  postgres: {
    label: 'PostgreSQL',
    fileBased: false,
    defaultPort: 5432,
    urlScheme: 'postgres',
    tlsUrlParam: 'sslmode',
    caUrlParam: 'sslrootcert',
    defaultTls: 'prefer',
    monacoLanguage: 'pgsql',
  },
  mysql: {
    label: 'MySQL/MariaDB',
    fileBased: false,
    defaultPort: 3306,
    urlScheme: 'mysql',
    tlsUrlParam: 'ssl-mode',
    caUrlParam: 'ssl-ca',
    defaultTls: 'disable',
    monacoLanguage: 'mysql',
  },
  sqlite: {
    label: 'SQLite',
    fileBased: true,
    urlScheme: 'sqlite',
    defaultTls: 'disable',
    monacoLanguage: 'sql',
  },
};
