import type { Dialect } from '../../../shared/domain/connection';
import type { Severity, SourceLocation } from '../../../shared/domain/review';

export type RuleLevel = Severity | 'off';

/** What `.quarry.yml` says about the review, with where each rule setting was written. */
export interface ReviewConfig {
  /** The config file, for findings about it. */
  file?: string;
  rules: Record<string, { level: RuleLevel; location?: SourceLocation }>;
  /** Target server version as written: '16', '15.4', '8.0.36'. */
  serverVersion?: string;
  dialect?: Dialect;
}
