import { describe, expect, it } from 'vitest';
import { versionAtLeast } from './versionAtLeast';

describe('versionAtLeast', () => {
  it.each([
    ['15.4', [11], true],
    ['10.23', [11], false],
    ['10.11.6-MariaDB-0+deb12u1', [10, 4], true],
    ['10.3.1-MariaDB', [10, 3, 2], false],
    ['8.0.29', [8, 0, 29], true],
    ['8.0.28', [8, 0, 29], false],
    ['3.53.2', [3, 35], true],
    ['', [1], false],
  ] as const)('%s >= %j is %s', (version, wanted, expected) => {
    expect(versionAtLeast(version, ...wanted)).toBe(expected);
  });
});
