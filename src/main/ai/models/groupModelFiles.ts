/** One model as files: a single GGUF, or the parts of a split one (`name-00001-of-00003.gguf`). */
export interface ModelFileGroup {
  /** The first part's name (even when that part is missing), else the file's name. */
  id: string;
  /** The parts present, in part order. */
  files: string[];
  /** Parts the set should have: 1 for a single file. */
  parts: number;
  /** Names of the parts that are not there. */
  missing: string[];
}

/** llama.cpp's gguf-split naming; the numbers are five digits, counting from 1. */
const splitName = /^(.*)-(\d{5})-of-(\d{5})\.gguf$/i;

export interface SplitPart {
  /** The name without `-0000n-of-0000m.gguf`. */
  base: string;
  part: number;
  total: number;
}

/** Whether `name` is a part of a split GGUF, and which; undefined for a plain file or nonsense numbers. */
export function splitPartOf(name: string): SplitPart | undefined {
  const match = splitName.exec(name);
  if (!match) return undefined;
  const part = Number(match[2]);
  const total = Number(match[3]);
  if (total < 1 || part < 1 || part > total) return undefined;
  return { base: match[1]!, part, total };
}

/** Every part's name of the split set `name` belongs to, in order; [name] for a plain file. */
export function partNamesOf(name: string): string[] {
  const split = splitPartOf(name);
  if (!split) return [name];
  return Array.from({ length: split.total }, (_, i) => partName(split.base, i + 1, split.total));
}

function partName(base: string, part: number, total: number): string {
  return `${base}-${String(part).padStart(5, '0')}-of-${String(total).padStart(5, '0')}.gguf`;
}

/**
 * Groups the GGUF names of a folder listing (relative paths, '/'-separated) into models: each split set
 * becomes one entry under its first part's name, with the parts that are missing named.
 */
export function groupModelFiles(names: readonly string[]): ModelFileGroup[] {
  const singles: ModelFileGroup[] = [];
  const sets = new Map<string, { base: string; total: number; present: Map<number, string> }>();
  for (const name of names) {
    const split = splitPartOf(name);
    if (!split) {
      singles.push({ id: name, files: [name], parts: 1, missing: [] });
      continue;
    }
    const key = `${split.base}\0${split.total}`;
    let set = sets.get(key);
    if (!set) {
      set = { base: split.base, total: split.total, present: new Map() };
      sets.set(key, set);
    }
    set.present.set(split.part, name);
  }
  const groups = [...singles];
  for (const set of sets.values()) {
    const files: string[] = [];
    const missing: string[] = [];
    for (let part = 1; part <= set.total; part++) {
      const present = set.present.get(part);
      if (present === undefined) missing.push(partName(set.base, part, set.total));
      else files.push(present);
    }
    groups.push({ id: set.present.get(1) ?? partName(set.base, 1, set.total), files, parts: set.total, missing });
  }
  return groups.sort((a, b) => a.id.localeCompare(b.id));
}
