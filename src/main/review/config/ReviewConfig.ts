import type { Dialect } from '../../../shared/domain/connection';
import type { Severity, SourceLocation } from '../../../shared/domain/review';

export type RuleLevel = Severity | 'off';

/** What `.quarry.yml` says about one rule, with where each part was written. */
export interface RuleSetting {
  /** Undefined when only options were written: the rule keeps its own severity. */
  level?: RuleLevel;
  /** Where the rule's id was written. */
  location?: SourceLocation;
  /** The rule's options as written (the mapping under its id, less `level`); validated by the engine against the rule's schema. */
  options?: Record<string, unknown>;
  /** Where each option's value was written, by option name, so a bad option is reported at its place. */
  optionLocations?: Record<string, SourceLocation>;
}

/** What `.quarry.yml` says about the review, with where each rule setting was written. */
export interface ReviewConfig {
  /** The config file, for findings about it. */
  file?: string;
  rules: Record<string, RuleSetting>;
  /** Target server version as written: '16', '15.4', '8.0.36', '10.11.6-MariaDB'. */
  serverVersion?: string;
  dialect?: Dialect;
}
