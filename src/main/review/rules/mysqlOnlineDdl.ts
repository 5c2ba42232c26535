import { versionAtLeast } from '../config/parseServerVersion';
import type { ServerVersion } from '../Rule';

/**
 * Whether MySQL / MariaDB adds a column instantly (a metadata change, no table rebuild), from the vendors' online
 * DDL tables: MySQL 8.0.12 added INSTANT ADD COLUMN as the last column, 8.0.29 anywhere; MariaDB 10.3 as the last
 * column, 10.4 anywhere; MySQL 5.7 and MariaDB before 10.3 rebuild the table. An unknown version is taken to be a
 * current one. STORED generated and AUTO_INCREMENT columns are never instant.
 */
export function addColumnIsInstant(version: ServerVersion | undefined, atEnd: boolean): boolean {
  if (!version) return true;
  if (version.mariadb) return versionAtLeast(version, 10, 4) || (atEnd && versionAtLeast(version, 10, 3));
  return versionAtLeast(version, 8, 0, 29) || (atEnd && versionAtLeast(version, 8, 0, 12));
}

/** How the target server was named in messages: "MySQL 8.0.28", "MariaDB 10.3.39". */
export function serverName(version: ServerVersion | undefined): string {
  if (!version) return 'MySQL';
  return `${version.mariadb ? 'MariaDB' : 'MySQL'} ${version.major}.${version.minor}.${version.patch}`;
}

/** Bytes an ENUM / SET of `members` values takes per row; MySQL changes a definition in place only while this stays the same. */
export function memberStorageBytes(type: string, members: number): number {
  if (type === 'set') {
    const bytes = Math.ceil(members / 8);
    return bytes > 4 ? 8 : Math.max(1, bytes);
  }
  return members > 255 ? 2 : 1;
}
