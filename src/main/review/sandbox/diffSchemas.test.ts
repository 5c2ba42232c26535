import { describe, expect, it } from 'vitest';
import type { SchemaModel, TableInfo } from '../../../shared/domain/SchemaModel';
import { diffSchemas } from './diffSchemas';

function users(overrides: Partial<TableInfo> = {}): TableInfo {
  return {
    schema: 'public',
    name: 'users',
    kind: 'table',
    columns: [
      { name: 'id', ordinal: 1, dataType: 'bigint', nullable: false, identity: 'always' },
      { name: 'email', ordinal: 2, dataType: 'text', nullable: false },
      { name: 'status', ordinal: 3, dataType: 'text', nullable: true, default: "'new'::text" },
    ],
    primaryKey: { name: 'users_pkey', columns: ['id'] },
    uniqueConstraints: [],
    foreignKeys: [],
    checks: [{ name: 'users_email_check', expression: "email <> ''" }],
    indexes: [{ name: 'users_email_idx', columns: [{ column: 'email' }], unique: true, primary: false, method: 'btree', sizeBytes: 8192 }],
    triggers: [],
    estimatedRows: 10,
    sizeBytes: 16384,
    ...overrides,
  };
}

function model(tables: TableInfo[], extra: Partial<SchemaModel['schemas'][number]> = {}, introspectedAt = '2026-01-01T00:00:00.000Z'): SchemaModel {
  return {
    dialect: 'postgres',
    serverVersion: '15.4',
    database: 'app',
    introspectedAt,
    schemas: [{ name: 'public', tables, views: [], routines: [], sequences: [], enums: [], ...extra }],
  };
}

describe('diffSchemas', () => {
  it('finds nothing between equal schemas whose volatile facts and key order differ', () => {
    const a = model([users()]);
    const t = users({ estimatedRows: 99_999, sizeBytes: 1 });
    t.indexes = [{ method: 'btree', primary: false, unique: true, columns: [{ column: 'email' }], name: 'users_email_idx', sizeBytes: 1 }];
    expect(diffSchemas(a, model([t], {}, '2027-05-05T00:00:00.000Z'))).toEqual([]);
  });

  it('reports a table added and removed by name', () => {
    const orders = users({ name: 'orders' });
    expect(diffSchemas(model([users()]), model([orders])).map((d) => d.message)).toEqual(['table public.users was removed', 'table public.orders was added']);
  });

  it('reports column type, nullability and default changes with both values', () => {
    const changed = users();
    changed.columns = [changed.columns[0]!, { ...changed.columns[1]!, dataType: 'character varying(200)', nullable: true }, { ...changed.columns[2]!, default: undefined }];
    const diffs = diffSchemas(model([users()]), model([changed]));
    expect(diffs).toEqual([
      expect.objectContaining({ change: 'changed', object: 'column', path: 'public.users.email', property: 'dataType', before: 'text', after: 'character varying(200)' }),
      expect.objectContaining({ path: 'public.users.email', property: 'nullable', before: 'false', after: 'true' }),
      expect.objectContaining({ path: 'public.users.status', property: 'default', before: "'new'::text", after: '(none)' }),
    ]);
    expect(diffs[0]!.message).toBe('column public.users.email: dataType changed from text to character varying(200)');
  });

  it('reports a forgotten index, a dropped check, a primary key removed and a new foreign key', () => {
    const after = users({ indexes: [], checks: [], primaryKey: undefined, foreignKeys: [{ name: 'users_org_fk', columns: ['org_id'], referencedSchema: 'public', referencedTable: 'orgs', referencedColumns: ['id'], onUpdate: 'no action', onDelete: 'cascade' }] });
    expect(diffSchemas(model([users()]), model([after])).map((d) => `${d.change} ${d.object} ${d.path}`)).toEqual([
      'removed primary-key public.users',
      'added foreign-key public.users.users_org_fk',
      'removed check public.users.users_email_check',
      'removed index public.users.users_email_idx',
    ]);
  });

  it('reports an index whose columns or uniqueness changed', () => {
    const after = users();
    after.indexes = [{ ...after.indexes[0]!, unique: false, columns: [{ column: 'email', descending: true }] }];
    expect(diffSchemas(model([users()]), model([after])).map((d) => d.property)).toEqual(['columns', 'unique']);
  });

  it('ignores column order unless asked', () => {
    const moved = users();
    moved.columns = moved.columns.map((c) => (c.name === 'email' ? { ...c, ordinal: 4 } : c));
    expect(diffSchemas(model([users()]), model([moved]))).toEqual([]);
    expect(diffSchemas(model([users()]), model([moved]), { columnOrder: true }).map((d) => d.message)).toEqual(['column public.users.email: ordinal changed from 2 to 4']);
  });

  it('reports views, sequences, enums, triggers and routines', () => {
    const a = model([users()], {
      views: [{ schema: 'public', name: 'active', materialized: false, definition: 'SELECT 1', columns: [] }],
      sequences: [{ schema: 'public', name: 'seq', dataType: 'bigint' }],
      enums: [{ schema: 'public', name: 'mood', values: ['sad', 'ok'] }],
      routines: [{ schema: 'public', name: 'f', kind: 'function', signature: '(a integer)', returns: 'integer' }],
    });
    const b = model([users({ triggers: [{ name: 'audit', timing: 'after', events: ['update'] }] })], {
      views: [{ schema: 'public', name: 'active', materialized: false, definition: 'SELECT 2', columns: [] }],
      sequences: [],
      enums: [{ schema: 'public', name: 'mood', values: ['sad', 'ok', 'happy'] }],
      routines: [{ schema: 'public', name: 'f', kind: 'function', signature: '(a bigint)', returns: 'integer' }],
    });
    expect(diffSchemas(a, b).map((d) => d.message)).toEqual([
      'trigger public.users.audit was added',
      'view public.active: definition changed from SELECT 1 to SELECT 2',
      'routine public.f(a integer) was removed',
      'routine public.f(a bigint) was added',
      'sequence public.seq was removed',
      'enum public.mood: values changed from ["sad","ok"] to ["sad","ok","happy"]',
    ]);
  });

  it('reports a whole schema added', () => {
    const b = model([users()]);
    b.schemas.push({ name: 'audit', tables: [], views: [], routines: [], sequences: [], enums: [] });
    expect(diffSchemas(model([users()]), b)).toEqual([{ change: 'added', object: 'schema', path: 'audit', message: 'schema audit was added' }]);
  });
});
