import { describe, expect, it } from 'vitest';
import { compareFlywayVersions, flywayVersionKey, parseFlywayVersion } from './flywayVersion';

const order = (versions: string[]): string[] =>
  versions.map(parseFlywayVersion).sort(compareFlywayVersions).map((v) => v.text);

describe('Flyway versions', () => {
  it('order part by part as numbers, with _ as a separator', () => {
    expect(order(['1.10', '2', '1.2', '1_3', '1', '1.2.1', '10', '20240101120000'])).toEqual(['1', '1.2', '1.2.1', '1.3', '1.10', '2', '10', '20240101120000']);
  });

  it('treat trailing zeros and leading zeros as the same version', () => {
    expect(compareFlywayVersions(parseFlywayVersion('1'), parseFlywayVersion('1.0'))).toBe(0);
    expect(compareFlywayVersions(parseFlywayVersion('01.2'), parseFlywayVersion('1_2'))).toBe(0);
    expect(compareFlywayVersions(parseFlywayVersion('1.0.1'), parseFlywayVersion('1'))).toBe(1);
    expect(['1', '1.0', '01.0.0', '1_0'].map((v) => flywayVersionKey(parseFlywayVersion(v)))).toEqual(['1', '1', '1', '1']);
    expect(flywayVersionKey(parseFlywayVersion('1.0.1'))).toBe('1.0.1');
    expect(flywayVersionKey(parseFlywayVersion('0'))).toBe('0');
  });
});
