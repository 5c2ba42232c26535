import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface PgpassTarget {
  host: string;
  port: number;
  database: string;
  user: string;
}

export interface PgpassOptions {
  /** The password file. Defaults to $PGPASSFILE, else ~/.pgpass (%APPDATA%\postgresql\pgpass.conf on Windows). */
  file?: string;
  /** Environment to read PGPASSFILE from. Defaults to process.env. */
  env?: Record<string, string | undefined>;
}

/** Where libpq would look for the password file. */
export function pgpassFile(options: PgpassOptions = {}): string {
  const env = options.env ?? process.env;
  if (options.file) return options.file;
  if (env.PGPASSFILE) return env.PGPASSFILE;
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'postgresql', 'pgpass.conf');
  return join(homedir(), '.pgpass');
}

/**
 * The password libpq would take from the password file for this target, or undefined. libpq's rules: lines of
 * host:port:database:username:password, `*` matches anything, `\:` and `\\` escape, the first match wins, `#`
 * starts a comment, and on Unix the file is ignored unless only its owner can read it (mode 0600 or stricter).
 */
export function lookupPgpass(target: PgpassTarget, options: PgpassOptions = {}): string | undefined {
  const file = pgpassFile(options);
  let text: string;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return undefined;
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) return undefined;
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return matchPgpass(text, target);
}

/** The password of the first line of a password file's text that matches the target. */
export function matchPgpass(text: string, target: PgpassTarget): string | undefined {
  const wanted = [target.host, String(target.port), target.database, target.user];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const fields = splitLine(line);
    if (fields.length < 5) continue;
    if (wanted.every((value, i) => fields[i] === '*' || fields[i] === value || (i === 0 && fields[0] === 'localhost' && isLoopbackName(value)))) {
      return fields[4];
    }
  }
  return undefined;
}

/** libpq also treats "localhost" as matching a connection made to the local host by address. */
function isLoopbackName(host: string): boolean {
  return host === '127.0.0.1' || host === '::1';
}

/** Splits on unescaped colons into at most five fields; the fifth (the password) keeps any further colons. */
function splitLine(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length) {
      current += line[++i];
    } else if (ch === ':' && fields.length < 4) {
      fields.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  fields.push(current);
  return fields;
}
