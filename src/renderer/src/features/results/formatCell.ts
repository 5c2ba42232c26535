import type { CellValue, ColumnMeta } from '../../../../shared/domain/query';

/** Values longer than this are cut in the grid and open in the viewer. */
export const maxCellChars = 200;

export function isBinary(v: CellValue): v is Extract<CellValue, { $binary: true }> {
  return typeof v === 'object' && v !== null && '$binary' in v;
}

/** How a cell reads in the grid: one line, cut when long. NULL is told apart by the caller, never shown as ''. */
export function cellText(v: CellValue): string {
  if (v === null) return 'NULL';
  if (isBinary(v)) return `<binary ${v.length} bytes>`;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = String(v);
  const oneLine = s.length > maxCellChars ? `${s.slice(0, maxCellChars)}…` : s;
  return oneLine.replace(/\r?\n/g, '↵');
}

/** The text a copy puts on the clipboard: NULL as empty, binary as hex preview, otherwise the full value. */
export function copyText(v: CellValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (isBinary(v)) return `\\x${v.hexPreview}`;
  return String(v);
}

/** Long values and JSON open in the viewer instead of being read in a cut grid cell. */
export function wantsViewer(v: CellValue, column: ColumnMeta | undefined): boolean {
  if (v === null) return false;
  if (isBinary(v)) return true;
  if (column?.kind === 'json') return true;
  return typeof v === 'string' && (v.length > maxCellChars || v.includes('\n'));
}

export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function isNumeric(column: ColumnMeta | undefined, v: CellValue): boolean {
  return column?.kind === 'number' || typeof v === 'number';
}

/** Rows as TSV for the clipboard, quoting cells that hold tabs, newlines or quotes. */
export function toTsv(rows: (CellValue | undefined)[][]): string {
  return rows
    .map((r) =>
      r
        .map((v) => {
          const s = copyText(v);
          return /[\t\n\r"]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
        })
        .join('\t'),
    )
    .join('\n');
}
