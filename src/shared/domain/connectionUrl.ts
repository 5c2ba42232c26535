import type { ConnectionConfig, ConnectionConfigInput, ConnectionSecrets, TlsMode } from './connection';
import { dialectFacts } from '../dialect/dialectFacts';

/**
 * Connection URLs as people paste them: postgres:// and postgresql:// (libpq's parameters), mysql:// and
 * mariadb:// (MySQL's ssl-mode names), sqlite: and file: URLs, and plain file paths. Pure: the renderer's
 * paste-a-URL field and the CLI both use it. Unknown query parameters are ignored; bad values are errors.
 */
export interface ParsedConnectionUrl {
  config: ConnectionConfigInput;
  secrets: ConnectionSecrets;
}

const PG_SSLMODES: Record<string, TlsMode> = {
  disable: 'disable',
  // libpq's allow tries plain text first; the nearest Quarry mode is prefer.
  allow: 'prefer',
  prefer: 'prefer',
  require: 'require',
  'verify-ca': 'verify-ca',
  'verify-full': 'verify-full',
};

const MYSQL_SSL_MODES: Record<string, TlsMode> = {
  disabled: 'disable',
  preferred: 'prefer',
  required: 'require',
  verify_ca: 'verify-ca',
  verify_identity: 'verify-full',
};

export function parseConnectionUrl(text: string): ParsedConnectionUrl {
  const input = text.trim();
  if (!input) throw new Error('The connection URL is empty.');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(input)?.[1]?.toLowerCase();
  if (isPlainPath(input, scheme)) return sqliteResult(input, undefined);
  switch (scheme) {
    case 'postgres':
    case 'postgresql':
      return parseServerUrl(input, 'postgres');
    case 'mysql':
    case 'mariadb':
    case 'mysqlx':
      if (scheme === 'mysqlx') throw new Error('mysqlx:// (the X Protocol) is not supported; use mysql://host:3306/db.');
      return parseServerUrl(input, 'mysql');
    case 'sqlite':
    case 'sqlite3':
    case 'file':
      return parseSqliteUrl(input, scheme);
    case undefined:
      throw new Error(`"${shorten(input)}" is not a connection URL: expected postgres://, mysql://, sqlite: or a file path.`);
    default:
      throw new Error(`Unsupported scheme "${scheme}:" — expected postgres://, postgresql://, mysql://, mariadb://, sqlite: or file:.`);
  }
}

/** A URL for the config without any secret: for display, copy, and the CLI. */
export function formatConnectionUrl(config: Pick<ConnectionConfig, 'dialect' | 'host' | 'port' | 'user' | 'database' | 'tls' | 'tlsCaFile' | 'connectTimeoutMs'>): string {
  const facts = dialectFacts[config.dialect];
  if (facts.fileBased) return `${facts.urlScheme}:${config.database ?? ''}`;
  const host = config.host ?? '127.0.0.1';
  const hostPart = host.includes(':') ? `[${host}]` : encodeURIComponent(host);
  const userPart = config.user ? `${encodeURIComponent(config.user)}@` : '';
  const portPart = config.port ? `:${config.port}` : '';
  const dbPart = config.database ? `/${encodeURIComponent(config.database)}` : '';
  const params: string[] = [];
  const style = urlStyles[config.dialect as ServerDialect];
  if (config.tls) params.push(`${facts.tlsUrlParam}=${style.tlsModeName(config.tls)}`);
  if (config.tlsCaFile) params.push(`${facts.caUrlParam}=${encodeURIComponent(config.tlsCaFile)}`);
  if (style.writesConnectTimeout && config.connectTimeoutMs !== undefined && config.connectTimeoutMs !== 10_000 && config.connectTimeoutMs % 1000 === 0) {
    params.push(`connect_timeout=${config.connectTimeoutMs / 1000}`);
  }
  return `${facts.urlScheme}://${userPart}${hostPart}${portPart}${dbPart}${params.length ? `?${params.join('&')}` : ''}`;
}

function parseServerUrl(input: string, dialect: ServerDialect): ParsedConnectionUrl {
  const { label, urlScheme } = dialectFacts[dialect];
  const style = urlStyles[dialect];
  const afterScheme = input.slice(input.indexOf(':') + 1);
  if (!afterScheme.startsWith('//')) throw new Error(`A ${label} URL starts with ${urlScheme}:// (two slashes).`);
  const authority = afterScheme.slice(2).split(/[/?#]/)[0] ?? '';
  const hostList = authority.slice(authority.lastIndexOf('@') + 1);
  if (/,/.test(hostList)) throw new Error(`Several hosts ("${hostList}") are not supported; give one host.`);
  if (/^%2f/i.test(hostList)) throw new Error(`Unix sockets (${decodeComponent(hostList, 'host')}) are not supported; connect over TCP, e.g. host 127.0.0.1.`);

  let url: URL;
  try {
    // A special scheme makes the URL parser treat the authority as host:port the same way everywhere.
    // An empty authority (postgres:///db) would make the parser take the path as the host.
    url = new URL(authority === '' ? `http://placeholder${afterScheme.slice(2)}` : `http:${afterScheme}`);
  } catch {
    throw new Error(`"${shorten(input)}" is not a valid ${label} URL: check the host, port and any @ or : in the password (percent-encode them).`);
  }
  const params = url.searchParams;
  let host = authority === '' ? '' : decodeComponent(url.hostname, 'host');
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const hostParam = params.get('host');
  if (hostParam !== null) host = hostParam;
  if (host.startsWith('/') || host.startsWith('%2f') || host.startsWith('%2F') || /\.s\.PGSQL/.test(host)) {
    throw new Error(`Unix sockets (${host}) are not supported; connect over TCP, e.g. host 127.0.0.1.`);
  }
  if (!host) {
    if (style.emptyHostMeansSocket && authority === '') throw new Error('This URL names no host (a unix socket); Quarry connects over TCP: give a host such as 127.0.0.1.');
    throw new Error(`The ${label} URL names no host.`);
  }

  const rawPort = params.get('port') ?? (/:(\d*)$/.exec(hostList)?.[1] ?? url.port);
  let port: number | undefined;
  if (rawPort) {
    port = Number(rawPort);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`Port "${rawPort}" is not a port number (1–65535).`);
  }
  const user = params.get('user') ?? (url.username ? decodeComponent(url.username, 'user name') : undefined);
  const password = params.get('password') ?? (url.password ? decodeComponent(url.password, 'password') : undefined);
  const path = url.pathname.replace(/^\//, '');
  if (path.includes('/')) throw new Error(`"${decodeComponent(path, 'database')}" is not a database name: it contains a "/".`);
  const database = params.get('dbname') ?? params.get('database') ?? (path ? decodeComponent(path, 'database') : undefined);

  const config: ConnectionConfigInput = { name: '', dialect, host };
  if (port !== undefined) config.port = port;
  if (user) config.user = user;
  if (database) config.database = database;

  style.readParams(params, config);
  config.name = `${config.user ? `${config.user}@` : ''}${host}${port ? `:${port}` : ''}${database ? `/${database}` : ''}`;
  const secrets: ConnectionSecrets = {};
  if (password !== undefined) secrets.password = password;
  return { config, secrets };
}

/** libpq's query parameters. */
function readPostgresParams(params: URLSearchParams, config: ConnectionConfigInput): void {
  const sslmode = params.get('sslmode');
  if (sslmode !== null) {
    const mode = PG_SSLMODES[sslmode.toLowerCase()];
    if (!mode) throw new Error(`sslmode "${sslmode}" is not one of disable, allow, prefer, require, verify-ca, verify-full.`);
    config.tls = mode;
  }
  const root = params.get('sslrootcert');
  if (root) config.tlsCaFile = root;
  const timeout = params.get('connect_timeout');
  if (timeout !== null) {
    const seconds = Number(timeout);
    if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`connect_timeout "${timeout}" is not a number of seconds.`);
    // libpq: 0 means wait forever; Quarry always has a limit, so the largest it allows.
    config.connectTimeoutMs = seconds === 0 ? 600_000 : Math.min(600_000, Math.max(100, Math.round(seconds * 1000)));
  }
}

/** MySQL Connector and mysql2 query parameters. */
function readMysqlParams(params: URLSearchParams, config: ConnectionConfigInput): void {
  const sslMode = params.get('ssl-mode') ?? params.get('sslMode') ?? params.get('ssl_mode') ?? params.get('sslmode');
  if (sslMode !== null) {
    const mode = MYSQL_SSL_MODES[sslMode.toLowerCase()] ?? PG_SSLMODES[sslMode.toLowerCase()];
    if (!mode) throw new Error(`ssl-mode "${sslMode}" is not one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY.`);
    config.tls = mode;
  } else {
    const ssl = params.get('ssl') ?? params.get('useSSL') ?? params.get('tls');
    if (ssl !== null) {
      if (/^(true|1|yes|required?)$/i.test(ssl)) config.tls = 'require';
      else if (/^(false|0|no)$/i.test(ssl)) config.tls = 'disable';
      else if (ssl.startsWith('{')) config.tls = 'verify-full';
      else throw new Error(`ssl "${ssl}" is not true or false.`);
    }
  }
  const ca = params.get('ssl-ca') ?? params.get('sslca') ?? params.get('sslrootcert');
  if (ca) config.tlsCaFile = ca;
}

type ServerDialect = 'postgres' | 'mysql';

/** How each server dialect's URLs spell what the URL grammar leaves to them. */
const urlStyles: Record<ServerDialect, {
  readParams(params: URLSearchParams, config: ConnectionConfigInput): void;
  tlsModeName(mode: TlsMode): string;
  /** libpq reads postgres:///db (no host) as "the local socket". */
  emptyHostMeansSocket: boolean;
  writesConnectTimeout: boolean;
}> = {
  postgres: { readParams: readPostgresParams, tlsModeName: (mode) => mode, emptyHostMeansSocket: true, writesConnectTimeout: true },
  mysql: {
    readParams: readMysqlParams,
    tlsModeName: (mode) => Object.entries(MYSQL_SSL_MODES).find(([, m]) => m === mode)?.[0]?.toUpperCase() ?? 'PREFERRED',
    emptyHostMeansSocket: false,
    writesConnectTimeout: false,
  },
};

function parseSqliteUrl(input: string, scheme: string): ParsedConnectionUrl {
  let rest = input.slice(scheme.length + 1);
  const query = rest.indexOf('?');
  const params = new URLSearchParams(query >= 0 ? rest.slice(query + 1) : '');
  if (query >= 0) rest = rest.slice(0, query);
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  let path: string;
  if (rest.startsWith('//')) {
    const authority = rest.slice(2).split('/')[0] ?? '';
    // file://localhost/x and sqlite:///x name a local path; any other host is a network share we cannot open.
    if (authority && authority !== 'localhost' && authority !== '.' && authority !== '..' && !/^[a-z]:$/i.test(authority)) {
      throw new Error(`${scheme}://${authority}/… names a host; a SQLite URL needs a local path, e.g. ${scheme}:///path/to/file.db.`);
    }
    path = authority === 'localhost' ? rest.slice(2 + authority.length) : rest.slice(2);
    if (/^\/[a-z]:[\\/]/i.test(path)) path = path.slice(1);
    path = decodeComponent(path, 'path');
  } else {
    path = rest;
  }
  if (!path || path === '/') throw new Error(`The ${scheme}: URL names no file.`);
  const mode = params.get('mode');
  if (mode !== null && !['ro', 'rw', 'rwc', 'memory'].includes(mode)) throw new Error(`mode "${mode}" is not one of ro, rw, rwc, memory.`);
  if (mode === 'memory') path = ':memory:';
  return sqliteResult(path, mode === 'rw' || mode === 'rwc' ? true : undefined);
}

function sqliteResult(path: string, allowWrites: boolean | undefined): ParsedConnectionUrl {
  const base = path.split(/[\\/]/).pop() || path;
  const config: ConnectionConfigInput = { name: base, dialect: 'sqlite', database: path };
  if (allowWrites !== undefined) config.allowWrites = allowWrites;
  return { config, secrets: {} };
}

/** File paths: absolute, relative, home, Windows drive or UNC, or a bare name ending like a SQLite file. */
function isPlainPath(input: string, scheme: string | undefined): boolean {
  if (/^[a-z]:[\\/]/i.test(input)) return true;
  if (input.startsWith('/') || input.startsWith('./') || input.startsWith('../') || input.startsWith('~/') || input.startsWith('\\\\') || input.startsWith('.\\') || input.startsWith('..\\')) return true;
  return scheme === undefined && /\.(db|sqlite|sqlite3|db3|s3db|sl3)$/i.test(input);
}

function decodeComponent(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new Error(`The ${what} "${text}" has a broken percent-escape (a % not followed by two hex digits).`);
  }
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
