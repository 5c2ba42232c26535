import { ApiError } from '../../../shared/api/errors';
import type { Dialect } from '../../../shared/domain/connection';
import type { ImpactReport, MigrationSet } from '../../../shared/domain/review';
import type { Driver } from '../../db/Driver';

export interface ImpactOptions {
  dialect: Dialect;
  /** An open session to the database the migrations will run against; only read-only queries are sent on it. */
  driver: Driver;
  /** The connection's label for the report, never its password. */
  connectionLabel: string;
  /** Called as statements are analysed. Defaults to none. */
  onProgress?: (done: number, total: number) => void;
}

/** What each up statement of the set would do to the connected database. Being written (issue 3 §5). */
export async function analyzeImpact(_set: MigrationSet, _options: ImpactOptions): Promise<ImpactReport> {
  throw new ApiError('INTERNAL', 'Impact analysis is not built yet.');
}
