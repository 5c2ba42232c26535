import type { Dialect } from '../../../shared/domain/connection';
import type { ServerVersion } from '../Rule';

/** Majors from which a version of the dialect's family is MariaDB's numbering rather than MySQL's (MySQL went 5.7 → 8 → 9). */
const MARIADB_FROM_MAJOR: Partial<Record<Dialect, number>> = { mysql: 10 };

/**
 * Reads '16', '15.4', '8.0.36', '10.11.6-MariaDB' or '5.5.5-10.6.12-MariaDB' (the form MariaDB reports to MySQL
 * clients). Undefined when the text does not start with a number.
 */
export function parseServerVersion(text: string, dialect: Dialect): ServerVersion | undefined {
  const said = /mariadb/i.test(text);
  // MariaDB's "5.5.5-" prefix exists only to satisfy old MySQL clients; the real version follows it.
  const trimmed = text.trim().replace(/^5\.5\.5-(?=\d)/, '');
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(trimmed);
  if (!m) return undefined;
  const major = Number(m[1]);
  const from = MARIADB_FROM_MAJOR[dialect];
  return { major, minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), mariadb: said || (from !== undefined && major >= from) };
}

/** Whether `v` is at least major.minor.patch; an unknown version (undefined) is not. */
export function versionAtLeast(v: ServerVersion | undefined, major: number, minor = 0, patch = 0): boolean {
  if (!v) return false;
  return v.major !== major ? v.major > major : v.minor !== minor ? v.minor > minor : v.patch >= patch;
}
