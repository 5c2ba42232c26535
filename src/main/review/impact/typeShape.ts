import type { ImpactFacts, TypeShape } from './ImpactFacts';

/**
 * A type as written in a migration (`varchar` with its modifiers given apart) or as the catalog shows it
 * (`character varying(40)`, `bigint(20) unsigned`), reduced to its canonical base and modifiers.
 */
export function typeShape(facts: Pick<ImpactFacts, 'typeAliases'>, text: string, length?: number, scale?: number, unsigned?: boolean): TypeShape {
  const m = /^\s*([a-z_][a-z0-9_ ]*?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*(unsigned)?(?:\s+zerofill)?\s*$/i.exec(text);
  const name = (m?.[1] ?? text).trim().toLowerCase();
  const shape: TypeShape = { base: facts.typeAliases[name] ?? name };
  const len = length ?? (m?.[2] !== undefined ? Number(m[2]) : undefined);
  const sc = scale ?? (m?.[3] !== undefined ? Number(m[3]) : undefined);
  if (len !== undefined) shape.length = len;
  if (sc !== undefined) shape.scale = sc;
  if (unsigned || m?.[4]) shape.unsigned = true;
  return shape;
}
