const UNITS = ['kB', 'MB', 'GB', 'TB', 'PB'];

/**
 * A byte count as people read it, in decimal units (1 kB = 1,000 bytes) as disks and throughputs are quoted, so a
 * table's size and an estimate's "at 100 MB/s" agree: 812 bytes, 4.2 kB, 37 MB, 1.5 TB.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1000) return `${Number.isFinite(bytes) ? Math.max(0, Math.round(bytes)) : '?'} bytes`;
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}
