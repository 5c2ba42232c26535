/** Whether a server version ('15.4', '10.11.6-MariaDB', '8.0.36') is at least major.minor.patch…; suffixes are ignored. */
export function versionAtLeast(version: string, ...wanted: number[]): boolean {
  const have = (version.match(/\d+(\.\d+)*/)?.[0] ?? '').split('.').map(Number);
  for (let i = 0; i < wanted.length; i++) {
    const h = have[i] ?? 0;
    const w = wanted[i]!;
    if (h !== w) return h > w;
  }
  return true;
}
