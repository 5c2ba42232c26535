import { describe, expect, it } from 'vitest';
import { mysqlFlavour } from './introspectMysql';

// Which catalog queries each server gets: the columns they read do not exist on the others.
describe('mysqlFlavour', () => {
  it.each([
    ['10.11.19-MariaDB-0+deb12u1', { mariadb: true, checksQuery: 'checksMariadb', indexesQuery: 'indexes' }],
    ['11.4.2-MariaDB', { mariadb: true, checksQuery: 'checksMariadb', indexesQuery: 'indexes' }],
    ['8.0.36', { mariadb: false, checksQuery: 'checks', indexesQuery: 'indexesMysql8' }],
    ['8.4.0-commercial', { mariadb: false, checksQuery: 'checks', indexesQuery: 'indexesMysql8' }],
    ['8.0.15', { mariadb: false, checksQuery: undefined, indexesQuery: 'indexesMysql8' }],
    ['5.7.44-log', { mariadb: false, checksQuery: undefined, indexesQuery: 'indexes' }],
  ] as const)('%s', (version, expected) => {
    expect(mysqlFlavour(version)).toEqual(expected);
  });
});
