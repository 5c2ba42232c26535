import { describe, expect, it } from 'vitest';
import { connectionConfigSchema } from './connection';
import { formatConnectionUrl, parseConnectionUrl } from './connectionUrl';

describe('parseConnectionUrl: PostgreSQL', () => {
  it('reads user, password, host, port, database and libpq parameters', () => {
    const { config, secrets } = parseConnectionUrl('postgresql://alice:s%40cret%3Aa@db.example.com:6543/sales%20db?sslmode=verify-full&sslrootcert=/etc/ca.pem&connect_timeout=5&application_name=x');
    expect(config).toMatchObject({ dialect: 'postgres', host: 'db.example.com', port: 6543, user: 'alice', database: 'sales db', tls: 'verify-full', tlsCaFile: '/etc/ca.pem', connectTimeoutMs: 5000 });
    expect(secrets).toEqual({ password: 's@cret:a' });
    expect(connectionConfigSchema.safeParse(config).success).toBe(true);
  });

  it('keeps an unescaped @ in the password (the last @ ends the user info)', () => {
    const { config, secrets } = parseConnectionUrl('postgres://bob:p@ss@localhost/db');
    expect(config.host).toBe('localhost');
    expect(secrets.password).toBe('p@ss');
  });

  it('reads IPv6 hosts and leaves the port out when not given', () => {
    const { config } = parseConnectionUrl('postgres://u@[::1]/postgres');
    expect(config.host).toBe('::1');
    expect(config.port).toBeUndefined();
    expect(parseConnectionUrl('postgres://u@[2001:db8::5]:5433/x').config).toMatchObject({ host: '2001:db8::5', port: 5433 });
  });

  it('accepts port 80 and host/port/dbname parameters', () => {
    expect(parseConnectionUrl('postgres://h:80/d').config.port).toBe(80);
    expect(parseConnectionUrl('postgres://h/d?host=10.0.0.1&port=5439&dbname=other').config).toMatchObject({ host: '10.0.0.1', port: 5439, database: 'other' });
  });

  it('rejects unix sockets, several hosts, bad ports and bad sslmodes with a reason', () => {
    expect(() => parseConnectionUrl('postgres:///db?host=/var/run/postgresql')).toThrow(/Unix sockets/);
    expect(() => parseConnectionUrl('postgres://%2Fvar%2Frun%2Fpostgresql/db')).toThrow(/Unix sockets/);
    expect(() => parseConnectionUrl('postgres:///db')).toThrow(/no host/);
    expect(() => parseConnectionUrl('postgres://a,b/db')).toThrow(/Several hosts/);
    expect(() => parseConnectionUrl('postgres://h:99999/db')).toThrow(/not a valid|not a port/);
    expect(() => parseConnectionUrl('postgres://h/db?sslmode=sometimes')).toThrow(/sslmode "sometimes"/);
    expect(() => parseConnectionUrl('postgres:h/db')).toThrow(/two slashes/);
    expect(() => parseConnectionUrl('postgres://u:%zz@h/db')).toThrow(/percent-escape/);
  });
});

describe('parseConnectionUrl: MySQL and MariaDB', () => {
  it('reads mysql:// and mariadb:// with ssl-mode names', () => {
    expect(parseConnectionUrl('mysql://root:pw@127.0.0.1:3307/shop?ssl-mode=VERIFY_IDENTITY&ssl-ca=/ca.pem')).toEqual({
      config: { name: 'root@127.0.0.1:3307/shop', dialect: 'mysql', host: '127.0.0.1', port: 3307, user: 'root', database: 'shop', tls: 'verify-full', tlsCaFile: '/ca.pem' },
      secrets: { password: 'pw' },
    });
    expect(parseConnectionUrl('mariadb://u@h/d?ssl=true').config.tls).toBe('require');
    expect(parseConnectionUrl('mysql://u@h/d?ssl=false').config.tls).toBe('disable');
    expect(parseConnectionUrl('mysql://u@h/d?sslmode=REQUIRED').config.tls).toBe('require');
    expect(() => parseConnectionUrl('mysql://u@h/d?ssl-mode=MAYBE')).toThrow(/ssl-mode "MAYBE"/);
    expect(() => parseConnectionUrl('mysqlx://u@h/d')).toThrow(/X Protocol/);
  });
});

describe('parseConnectionUrl: SQLite and paths', () => {
  it.each([
    ['/var/data/app.db', '/var/data/app.db'],
    ['./a.sqlite', './a.sqlite'],
    ['../x/y.db', '../x/y.db'],
    ['~/notes.sqlite3', '~/notes.sqlite3'],
    ['C:\\data\\x.db', 'C:\\data\\x.db'],
    ['data.db', 'data.db'],
    ['sqlite:///abs/path%20x.db', '/abs/path x.db'],
    ['sqlite:relative.db', 'relative.db'],
    ['sqlite://./rel.db', './rel.db'],
    ['file:///tmp/a.db?mode=ro', '/tmp/a.db'],
    ['file://localhost/tmp/a.db', '/tmp/a.db'],
    ['file:///C:/data/x.db', 'C:/data/x.db'],
    ['sqlite::memory:', ':memory:'],
  ])('%s → %s', (text, path) => {
    const { config, secrets } = parseConnectionUrl(text);
    expect(config.dialect).toBe('sqlite');
    expect(config.database).toBe(path);
    expect(secrets).toEqual({});
    expect(connectionConfigSchema.safeParse(config).success).toBe(true);
  });

  it('rejects remote hosts and empty paths', () => {
    expect(() => parseConnectionUrl('file://server/share/x.db')).toThrow(/names a host/);
    expect(() => parseConnectionUrl('sqlite:')).toThrow(/names no file/);
  });

  it('rejects what is not a URL or path', () => {
    expect(() => parseConnectionUrl('')).toThrow(/empty/);
    expect(() => parseConnectionUrl('hello world')).toThrow(/not a connection URL/);
    expect(() => parseConnectionUrl('redis://h')).toThrow(/Unsupported scheme "redis:"/);
  });
});

describe('formatConnectionUrl', () => {
  it('writes a URL without the password that parses back to the same config', () => {
    const { config } = parseConnectionUrl('postgres://alice:secret@db.example.com:6543/sales?sslmode=require');
    const text = formatConnectionUrl(connectionConfigSchema.parse(config));
    expect(text).toBe('postgres://alice@db.example.com:6543/sales?sslmode=require');
    expect(text).not.toContain('secret');
    expect(parseConnectionUrl(text).config).toMatchObject({ host: 'db.example.com', port: 6543, user: 'alice', database: 'sales', tls: 'require' });
  });

  it('round-trips MySQL TLS modes, IPv6 and SQLite paths', () => {
    const my = connectionConfigSchema.parse(parseConnectionUrl('mysql://u@[::1]:3306/d?ssl-mode=VERIFY_CA').config);
    expect(formatConnectionUrl(my)).toBe('mysql://u@[::1]:3306/d?ssl-mode=VERIFY_CA');
    expect(parseConnectionUrl(formatConnectionUrl(my)).config).toMatchObject({ host: '::1', tls: 'verify-ca' });
    const lite = connectionConfigSchema.parse(parseConnectionUrl('/tmp/x y.db').config);
    expect(parseConnectionUrl(formatConnectionUrl(lite)).config.database).toBe('/tmp/x y.db');
  });
});
