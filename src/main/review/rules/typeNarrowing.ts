import type { Dialect } from '../../../shared/domain/connection';
import { classifyType, integerDigits, type ColumnTypeParts } from '../types/columnTypes';

/** How the type is written, for messages: varchar(200), numeric(12,2), bigint unsigned, int4[]. */
export function describeType(t: ColumnTypeParts): string {
  const mods = t.length === undefined ? '' : t.scale === undefined ? `(${t.length})` : `(${t.length},${t.scale})`;
  const members = t.values ? `(${t.values.map((v) => `'${v}'`).join(',')})` : '';
  return `${t.type}${members || mods}${t.unsigned ? ' unsigned' : ''}${t.array ? '[]' : ''}`;
}

/**
 * Why changing a column from `from` to `to` can lose or reject existing values, or undefined when it cannot (a
 * widening, the same type) or Quarry cannot tell (a change across families it does not model, like text → int).
 */
export function typeNarrowing(from: ColumnTypeParts, to: ColumnTypeParts, dialect: Dialect): string | undefined {
  if (Boolean(from.array) !== Boolean(to.array)) return undefined;
  const a = classifyType(from, dialect);
  const b = classifyType(to, dialect);
  if (!a || !b) return undefined;
  if (a.family === 'integer' && b.family === 'integer') {
    return a.min < b.min || a.max > b.max ? `values outside ${b.min}..${b.max} no longer fit` : undefined;
  }
  if (a.family === 'integer' && b.family === 'exact') {
    return b.intDigits < integerDigits(a) ? `integers of more than ${b.intDigits} digits no longer fit` : undefined;
  }
  if (a.family === 'integer' && b.family === 'float') {
    return integerDigits(a) > b.digits ? `integers of more than ${b.digits} digits lose their last digits` : undefined;
  }
  if (a.family === 'exact' && b.family === 'exact') {
    if (b.intDigits < a.intDigits) return `values of ${b.intDigits} or more integer digits no longer fit`;
    if (b.scale < a.scale) return b.scale === 0 ? 'the fractional part is rounded away' : `digits after the ${ordinal(b.scale)} decimal place are rounded away`;
    return undefined;
  }
  if (a.family === 'exact' && b.family === 'integer') {
    if (a.scale > 0) return 'the fractional part is rounded away';
    return a.intDigits >= integerDigits(b) ? `values outside ${b.min}..${b.max} no longer fit` : undefined;
  }
  if (a.family === 'exact' && b.family === 'float') {
    return a.precision > b.digits ? `exact values of more than ${b.digits} significant digits become approximate` : undefined;
  }
  if (a.family === 'float' && b.family === 'float') {
    return b.digits < a.digits ? `values keep only about ${b.digits} significant digits` : undefined;
  }
  if (a.family === 'float' && b.family === 'integer') return 'the fractional part is rounded away';
  if (a.family === 'float' && b.family === 'exact') {
    return b.precision === Infinity ? undefined : `floating-point values outside ${b.intDigits} integer and ${b.scale} decimal digits no longer fit or are rounded`;
  }
  if (a.family === 'string' && b.family === 'string') {
    return b.chars < a.chars ? `text longer than ${b.chars} characters no longer fits` : undefined;
  }
  if (a.family === 'binary' && b.family === 'binary') {
    return b.bytes < a.bytes ? `values longer than ${b.bytes} bytes no longer fit` : undefined;
  }
  if (a.family === 'datetime' && b.family === 'datetime') {
    if (a.date && !b.date) return 'the date part is dropped';
    if (a.time && !b.time) return 'the time of day is dropped';
    if (a.zone && !b.zone) return 'the time zone is dropped: values are converted to the session time zone and stored without it';
    if (!a.epochRange && b.epochRange) return 'dates before 1970 or after 2038-01-19 no longer fit';
    if (b.time && b.fraction < a.fraction) return `fractional seconds beyond ${b.fraction} digits are rounded away`;
    return undefined;
  }
  if (a.family === 'members' && b.family === 'members') {
    const removed = a.values.filter((v) => !b.values.includes(v));
    return removed.length ? `the member${removed.length > 1 ? 's' : ''} ${removed.map((v) => `'${v}'`).join(', ')} ${removed.length > 1 ? 'are' : 'is'} removed, so rows holding ${removed.length > 1 ? 'them' : 'it'} fail the change (or become '' outside strict mode)` : undefined;
  }
  return undefined;
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
