import type { BinaryCell, CellValue } from '../../shared/domain/query';

/** Hex previews stop here so a 50 MB blob does not cross the API whole. */
const HEX_PREVIEW_BYTES = 4096;

export function binaryCell(bytes: Uint8Array): BinaryCell {
  return { $binary: true, length: bytes.byteLength, hexPreview: Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, HEX_PREVIEW_BYTES)).toString('hex') };
}

/** A whole number as a number while exact, as its decimal text beyond ±2^53 so nothing is rounded. */
export function integerCell(value: bigint | number | string): number | string {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : String(value);
  const big = typeof value === 'bigint' ? value : BigInt(value);
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big.toString();
}

/**
 * The last step from a client library's value to a CellValue, after the driver's own type parsers: keeps exact
 * values exact (bigint, non-finite floats as text) and turns bytes into a BinaryCell.
 */
export function normalizeCell(value: unknown): CellValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      // NaN and ±Infinity have no JSON form; their text survives the trip.
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return integerCell(value);
    default:
      break;
  }
  if (value instanceof Uint8Array) return binaryCell(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  return JSON.stringify(value);
}
