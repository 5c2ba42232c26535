import type { AnyRule } from '../Rule';
import { addingCheckWithoutNotValid } from './adding-check-without-not-valid';
import { addingFieldWithVolatileDefault } from './adding-field-with-volatile-default';
import { addingForeignKeyWithoutNotValid } from './adding-foreign-key-without-not-valid';
import { addingPrimaryKey } from './adding-primary-key';
import { changingColumnType } from './changing-column-type';
import { concurrentlyInTransaction } from './concurrently-in-transaction';
import { deleteOrUpdateWithoutWhere } from './delete-or-update-without-where';
import { disallowedUniqueConstraint } from './disallowed-unique-constraint';
import { droppingColumn } from './dropping-column';
import { droppingDatabaseOrSchema } from './dropping-database-or-schema';
import { droppingTable } from './dropping-table';
import { identifierTooLong } from './identifier-too-long';
import { missingLockTimeout } from './missing-lock-timeout';
import { moneyAsFloat } from './money-as-float';
import { mysqlAlgorithmCopy } from './mysql-algorithm-copy';
import { mysqlEnumChange } from './mysql-enum-change';
import { mysqlOnlineDdlRefused } from './mysql-online-ddl-refused';
import { preferBigintKeys } from './prefer-bigint-keys';
import { preferIdentityOverSerial } from './prefer-identity-over-serial';
import { preferTextOverChar } from './prefer-text-over-char';
import { preferTimestamptz } from './prefer-timestamptz';
import { renamingColumn } from './renaming-column';
import { renamingTable } from './renaming-table';
import { requireConcurrentIndexCreation } from './require-concurrent-index-creation';
import { requireConcurrentIndexDeletion } from './require-concurrent-index-deletion';
import { requireIfExists } from './require-if-exists';
import { requireIfNotExists } from './require-if-not-exists';
import { settingNotNull } from './setting-not-null';
import { truncate } from './truncate';
import { vacuumFullOrCluster } from './vacuum-full-or-cluster';
import { transactionLeftOpen } from './transaction-left-open';
import { nestedTransaction } from './nested-transaction';
import { addingNotNullColumnWithoutDefault } from './adding-not-null-column-without-default';
import { reindexWithoutConcurrently } from './reindex-without-concurrently';
import { lockTable } from './lock-table';
import { missingDown } from './missing-down';
import { changesetMultipleChanges } from './changeset-multiple-changes';
import { snakeCaseIdentifiers } from './snake-case-identifiers';
import { enumAddValueInTransaction } from './enum-add-value-in-transaction';
import { preferTextOverVarchar } from './prefer-text-over-varchar';
import { changesetIdConvention } from './changeset-id-convention';
import { enumValueUsedInSameTransaction } from './enum-value-used-in-same-transaction';
import { backfillMixedWithDdl } from './backfill-mixed-with-ddl';
import { narrowingType } from './narrowing-type';
import { namingConvention } from './naming-convention';
import { mysqlAddColumnRebuild } from './mysql-add-column-rebuild';

/** Every rule, registered here and nowhere else. */
export const rules: readonly AnyRule[] = [
  requireConcurrentIndexCreation,
  requireConcurrentIndexDeletion,
  concurrentlyInTransaction,
  addingFieldWithVolatileDefault,
  changingColumnType,
  settingNotNull,
  addingForeignKeyWithoutNotValid,
  addingCheckWithoutNotValid,
  disallowedUniqueConstraint,
  addingPrimaryKey,
  vacuumFullOrCluster,
  droppingTable,
  droppingColumn,
  droppingDatabaseOrSchema,
  renamingTable,
  renamingColumn,
  truncate,
  deleteOrUpdateWithoutWhere,
  preferBigintKeys,
  preferTimestamptz,
  preferTextOverChar,
  preferIdentityOverSerial,
  moneyAsFloat,
  requireIfExists,
  requireIfNotExists,
  missingLockTimeout,
  identifierTooLong,
  mysqlAlgorithmCopy,
  mysqlEnumChange,
  mysqlOnlineDdlRefused,
  transactionLeftOpen,
  nestedTransaction,
  addingNotNullColumnWithoutDefault,
  reindexWithoutConcurrently,
  lockTable,
  missingDown,
  changesetMultipleChanges,
  snakeCaseIdentifiers,
  enumAddValueInTransaction,
  preferTextOverVarchar,
  changesetIdConvention,
  enumValueUsedInSameTransaction,
  backfillMixedWithDdl,
  narrowingType,
  namingConvention,
  mysqlAddColumnRebuild,
];
