/**
 * SQLite names the token it stopped at (`near "FORM": syntax error`) but not where; the first whole-word match
 * of that token is the best guess. `incomplete input` means the statement ended too soon.
 */
export function sqliteSyntaxErrorOffset(sql: string, message: string): number | undefined {
  if (/incomplete input/i.test(message)) return sql.trimEnd().length;
  const near = /near "((?:[^"]|"")*)"/.exec(message)?.[1]?.replaceAll('""', '"');
  if (!near) return undefined;
  const escaped = near.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Whole words only, so the token FORM is not found inside PLATFORM.
  const before = /^\w/.test(near) ? '(?<![\\w$])' : '';
  const after = /\w$/.test(near) ? '(?![\\w$])' : '';
  const match = new RegExp(before + escaped + after, 'i').exec(sql);
  return match?.index;
}
