import { createDriver } from '../main/db/createDriver';
import type { SchemaModel, TableInfo, ViewInfo } from '../shared/domain/SchemaModel';
import { CliError } from './CliError';
import { resolveTarget } from './resolveTarget';

export async function schemaCommand(options: { dataDir: string; target: string; format: 'text' | 'json' }): Promise<number> {
  const { config, secrets } = await resolveTarget(options.target, options.dataDir);
  let driver;
  try {
    driver = await createDriver({ config, secrets });
  } catch (error) {
    throw new CliError(`Cannot connect to ${config.name}: ${(error as Error).message.split('\n')[0]}`, 2);
  }
  try {
    const model = await driver.introspect();
    process.stdout.write(options.format === 'json' ? `${JSON.stringify(model, null, 2)}\n` : schemaText(model));
    return 0;
  } finally {
    await driver.dispose();
  }
}

/** A readable outline of a schema: one block per table and view, one line per column. */
export function schemaText(model: SchemaModel): string {
  const lines: string[] = [`${model.dialect} ${model.serverVersion} — ${model.database}`];
  for (const schema of model.schemas) {
    lines.push('', `schema ${schema.name}`);
    for (const table of schema.tables) lines.push(...tableText(table));
    for (const view of schema.views) lines.push(...viewText(view));
    for (const r of schema.routines) lines.push(`  ${r.kind} ${r.name}${r.signature}${r.returns ? ` → ${r.returns}` : ''}`);
    for (const s of schema.sequences) lines.push(`  sequence ${s.name}${s.ownedBy ? ` (owned by ${s.ownedBy})` : ''}`);
    for (const e of schema.enums) lines.push(`  enum ${e.name} (${e.values.join(', ')})`);
  }
  return `${lines.join('\n')}\n`;
}

function tableText(table: TableInfo): string[] {
  const pk = new Set(table.primaryKey?.columns ?? []);
  const lines = [`  ${table.kind === 'table' ? 'table' : `${table.kind} table`} ${table.name}${table.estimatedRows !== undefined ? ` (~${table.estimatedRows} rows)` : ''}`];
  for (const c of table.columns) {
    const flags = [pk.has(c.name) ? 'primary key' : '', c.nullable ? '' : 'not null', c.default !== undefined ? `default ${c.default}` : ''].filter(Boolean);
    lines.push(`    ${c.name} ${c.dataType}${flags.length ? ` ${flags.join(', ')}` : ''}`);
  }
  for (const fk of table.foreignKeys) {
    lines.push(`    → (${fk.columns.join(', ')}) references ${fk.referencedSchema}.${fk.referencedTable} (${fk.referencedColumns.join(', ')})`);
  }
  for (const ix of table.indexes) if (!ix.primary) lines.push(`    ${ix.unique ? 'unique ' : ''}index ${ix.name} (${ix.columns.map((p) => ('column' in p ? p.column : p.expression)).join(', ')})`);
  return lines;
}

function viewText(view: ViewInfo): string[] {
  return [`  ${view.materialized ? 'materialized view' : 'view'} ${view.name}`, ...view.columns.map((c) => `    ${c.name} ${c.dataType}`)];
}
