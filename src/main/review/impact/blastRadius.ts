import type { SchemaModel } from '../../../shared/domain/SchemaModel';

/** Undirected foreign-key graph of a schema model, keyed by `schema.table`. */
export type ForeignKeyGraph = Map<string, Set<string>>;

export function foreignKeyGraph(model: SchemaModel): ForeignKeyGraph {
  const graph: ForeignKeyGraph = new Map();
  const link = (a: string, b: string) => {
    if (!graph.has(a)) graph.set(a, new Set());
    graph.get(a)!.add(b);
  };
  for (const schema of model.schemas) {
    for (const table of schema.tables) {
      const self = `${table.schema}.${table.name}`;
      for (const fk of table.foreignKeys) {
        const other = `${fk.referencedSchema}.${fk.referencedTable}`;
        link(self, other);
        link(other, self);
      }
    }
  }
  return graph;
}

/**
 * Tables reachable from the seeds through foreign keys in either direction, transitively, as `schema.table`,
 * sorted; the statement's own table (`self`) is left out, a seed that is not `self` (a referenced table) is kept.
 */
export function blastRadius(graph: ForeignKeyGraph, seeds: string[], self?: string): string[] {
  const seen = new Set<string>(seeds);
  const queue = [...seeds];
  while (queue.length) {
    const next = queue.shift()!;
    for (const other of graph.get(next) ?? []) {
      if (!seen.has(other)) {
        seen.add(other);
        queue.push(other);
      }
    }
  }
  if (self) seen.delete(self);
  return [...seen].sort();
}
