const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

/** Order names as people do: `2_add.sql` before `10_drop.sql`. Ties of case break by code unit for stability. */
export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
