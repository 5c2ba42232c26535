/** A Flyway version as it orders: dot- or underscore-separated numbers, compared part by part, 1.2 < 1.10. */
export interface FlywayVersion {
  /** As written, with '_' shown as '.': `2.1`. */
  text: string;
  parts: bigint[];
}

export function parseFlywayVersion(raw: string): FlywayVersion {
  const text = raw.replace(/_/g, '.');
  return { text, parts: text.split('.').map((p) => BigInt(p)) };
}

/** Missing parts count as 0, so 1 and 1.0 are the same version, which Flyway treats as a duplicate. */
export function compareFlywayVersions(a: FlywayVersion, b: FlywayVersion): number {
  const n = Math.max(a.parts.length, b.parts.length);
  for (let i = 0; i < n; i++) {
    const x = a.parts[i] ?? 0n;
    const y = b.parts[i] ?? 0n;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** One key per version as Flyway compares them: 1, 1.0 and 01 share a key. */
export function flywayVersionKey(v: FlywayVersion): string {
  const parts = [...v.parts];
  while (parts.length > 1 && parts[parts.length - 1] === 0n) parts.pop();
  return parts.join('.');
}
