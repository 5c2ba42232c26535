/**
 * The finding ids impact analysis reports, and what each means: for reports that describe ids without a Rule
 * (SARIF's reportingDescriptor) and for the finding's own help.
 */
export const impactFindingDocs = {
  'impact-data-loss': 'Against the connected database, the statement destroys data that is there now (rows of a dropped or emptied table, values of a dropped column, values a narrower type cannot hold).',
  'impact-statement-fails': 'Against the connected database, the statement fails on the data that is there now (NULLs before NOT NULL, duplicates before UNIQUE, orphans before a foreign key, rows before a NOT NULL column without default).',
  'impact-long-lock': 'By the estimate, the statement holds a lock that blocks writes (or reads) on a table longer than the threshold.',
  'impact-not-analysed': 'The impact of this statement could not be analysed; the other statements were.',
} as const;

export type ImpactFindingId = keyof typeof impactFindingDocs;
