/** One figure a benchmark prints, with the baseline it is compared to when there is one. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The same quantity measured for the reference tool in the same run. */
  baseline?: { name: string; value: number };
  /** value / baseline.value. */
  ratio?: number;
  /** What we aim for, as text, e.g. '≤ 1.2× psql'. */
  target?: string;
  /** Extra figures printed after the value, e.g. samples at several points of a run. */
  detail?: string;
}
