/**
 * MySQL and MariaDB report a syntax error as "… near '<rest of the statement>' at line N" without a column. The
 * rest of the statement starting at the bad token, searched from the start of line N, gives the 0-based offset.
 * An empty near-text means the statement ended too soon. Returns undefined when the message has no such hint.
 */
export function mysqlSyntaxErrorOffset(sql: string, message: string): number | undefined {
  const match = /near '([\s\S]*)' at line (\d+)\s*$/.exec(message);
  if (!match) return undefined;
  const near = match[1]!;
  const line = Number(match[2]);
  let lineStart = 0;
  for (let l = 1; l < line; l++) {
    const next = sql.indexOf('\n', lineStart);
    if (next < 0) break;
    lineStart = next + 1;
  }
  if (near === '') return sql.trimEnd().length;
  // The server cuts the near-text short (about 80 characters); a prefix still finds the spot.
  for (const probe of [near, near.slice(0, 20)]) {
    const at = sql.indexOf(probe, lineStart);
    if (at >= 0) return at;
  }
  return undefined;
}
