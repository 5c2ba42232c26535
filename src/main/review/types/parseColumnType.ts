import type { ColumnTypeParts } from './columnTypes';

/**
 * Long type names as servers spell them, to the short names the parsers give. Only spellings that mean the same
 * type on every dialect: the rest (float, real, char …) is canonicalTypeName's, which knows the dialect.
 */
const TYPE_NAMES: Readonly<Record<string, string>> = {
  'character varying': 'varchar',
  character: 'bpchar',
  'timestamp with time zone': 'timestamptz',
  'timestamp without time zone': 'timestamp',
  'time with time zone': 'timetz',
  'time without time zone': 'time',
  'double precision': 'float8',
  integer: 'int4',
  bigint: 'int8',
  smallint: 'int2',
  boolean: 'bool',
};

/**
 * Reads a type as introspection writes it ('character varying(40)', 'numeric(12,2)', 'timestamp(3) with time
 * zone', 'bigint unsigned', "enum('a','b')", 'integer[]') into the parts a parsed column type has.
 */
export function parseColumnType(text: string): ColumnTypeParts {
  let rest = text.trim().toLowerCase();
  const out: ColumnTypeParts = { type: '' };
  const members = /^(enum|set)\s*\(/.exec(rest);
  if (members) {
    // Members keep their case and may hold parentheses; only the quotes and doubled quotes go.
    return { type: members[1] ?? 'enum', values: [...text.matchAll(/'((?:[^']|'')*)'/g)].map((m) => (m[1] ?? '').replace(/''/g, "'")) };
  }
  if (rest.endsWith('[]')) {
    out.array = true;
    rest = rest.replace(/(\[\])+$/, '');
  }
  const args = /\(([^)]*)\)/.exec(rest);
  if (args) {
    rest = `${rest.slice(0, args.index)} ${rest.slice(args.index + args[0].length)}`;
    const [length, scale] = (args[1] ?? '').split(',').map((n) => Number.parseInt(n, 10));
    if (length !== undefined && Number.isFinite(length)) out.length = length;
    if (scale !== undefined && Number.isFinite(scale)) out.scale = scale;
  }
  const words = rest.split(/\s+/).filter(Boolean);
  if (words.includes('unsigned')) out.unsigned = true;
  const name = words.filter((w) => w !== 'unsigned' && w !== 'zerofill').join(' ');
  out.type = TYPE_NAMES[name] ?? name;
  return out;
}
