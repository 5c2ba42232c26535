import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDriver } from '../../../src/main/db/createDriver';
import { parseServerVersion } from '../../../src/main/review/config/parseServerVersion';
import { reviewSql } from '../../../src/main/review/rules/reviewSql';
import { connectionConfigSchema } from '../../../src/shared/domain/connection';
import { parseConnectionUrl } from '../../../src/shared/domain/connectionUrl';
import type { Finding } from '../../../src/shared/domain/review';
import type { SchemaModel } from '../../../src/shared/domain/SchemaModel';
import { testMysqlUrl } from '../testEnv';

/*
 * The MySQL/MariaDB review rules claim which ALTER TABLE operations the server runs INSTANT, INPLACE without
 * locks, or only as a table copy. Each case here runs its statement on the real server, once each with
 * ALGORITHM=INSTANT, ALGORITHM=INPLACE + LOCK=NONE, ALGORITHM=INPLACE and nothing (MariaDB refuses an algorithm or
 * lock it cannot honour with ER_ALTER_OPERATION_NOT_SUPPORTED*), on a freshly created table every time, and
 * reviews each of the four against the live schema at the server's own version. Checked: the pinned facts (what
 * MariaDB 10.11 accepted, which rules fired on the plain statement); that the rules' verdict on the plain statement
 * agrees with the server — a rule that says "copies the table" must see INSTANT and INPLACE refused, and a
 * statement no locking rule flags must go through INSTANT or INPLACE with LOCK=NONE; and that a finding says "the
 * server refuses this ALTER" exactly when the server refuses the ALGORITHM / LOCK asked for.
 */

/** The strongest way the server accepted the statement. */
type ServerOutcome =
  | 'instant' // ALGORITHM=INSTANT accepted: a catalog change
  | 'inplace' // INSTANT refused, ALGORITHM=INPLACE, LOCK=NONE accepted: rebuilt or indexed while writes go on
  | 'inplace-locked' // only ALGORITHM=INPLACE with a lock: no copy, but writes wait
  | 'copy'; // only the plain statement (ALGORITHM=COPY)

/** What the review's findings claim of the statement's cost on the server. */
type Claim = 'none' | 'not-instant' | 'blocks-writes' | 'copy' | 'unparsed';

interface Case {
  name: string;
  /** The plain statement, without ALGORITHM or LOCK; it must accept ", ALGORITHM=…" appended. */
  sql: string;
  /** Tables created before each attempt. Defaults to SETUP. */
  setup?: string;
  /** What MariaDB 10.11 accepts. */
  server: ServerOutcome;
  /** Rule ids (every registered rule, engine findings included) that fire on the plain statement at 10.11, sorted. */
  fires: string[];
}

/** Enough rows that the server has data to copy or index; utf8mb4, so a VARCHAR(n) takes up to 4n bytes. */
const SETUP = `
  create table parent (id int not null primary key) engine = InnoDB default charset = utf8mb4;
  insert into parent values (1), (2), (3);
  create table t (
    id int not null primary key,
    name varchar(50) not null,
    code varchar(60),
    qty int,
    status enum('new', 'paid', 'shipped') not null default 'new',
    flags set('a', 'b', 'c'),
    parent_id int,
    price decimal(10, 2),
    note varchar(100)
  ) engine = InnoDB default charset = utf8mb4;
  -- No row holds NULL in qty or 'shipped' in status, so tightening them fails on no data: only the algorithm is tested.
  insert into t values
    (1, 'one', 'c1', 10, 'new', 'a', 1, 1.50, 'n1'),
    (2, 'two', 'c2', 20, 'paid', 'a,b', 2, 2.50, null),
    (3, 'three', null, 0, 'new', null, null, null, repeat('x', 100));
`;

const members = (n: number, prefix: string): string => Array.from({ length: n }, (_, i) => `'${prefix}${i + 1}'`).join(', ');

/**
 * ENUMs of 255 and 254 members and SETs of 8 and 7, each 1 byte a row: one more member takes another byte for the
 * full ones, and still fits for the others.
 */
const SETUP_FULL_MEMBERS = `
  create table t (
    id int not null primary key,
    kind enum(${members(255, 'k')}) not null,
    kind_less enum(${members(254, 'k')}) not null,
    tags set(${members(8, 't')}),
    tags_less set(${members(7, 't')})
  ) engine = InnoDB default charset = utf8mb4;
  insert into t values (1, 'k1', 'k1', 't1', 't1'), (2, 'k255', 'k254', 't1,t8', 't1,t7');
`;

/** The same table with no primary key, for ADD PRIMARY KEY. */
const SETUP_NO_PK = `
  create table t (id int not null, name varchar(50) not null, qty int) engine = InnoDB default charset = utf8mb4;
  insert into t values (1, 'one', 10), (2, 'two', 20), (3, 'three', null);
`;

const CASES: Case[] = [
  { name: 'ADD COLUMN last', sql: 'alter table t add column remark text', server: 'instant', fires: [] },
  { name: 'ADD COLUMN FIRST', sql: 'alter table t add column remark text first', server: 'instant', fires: [] },
  { name: 'ADD COLUMN AFTER', sql: 'alter table t add column remark text after name', server: 'instant', fires: [] },
  {
    name: 'ADD COLUMN with AUTO_INCREMENT',
    sql: 'alter table t add column seq bigint not null auto_increment, add unique key uq_seq (seq)',
    server: 'inplace-locked',
    fires: ['mysql-add-column-rebuild'],
  },
  {
    name: 'ADD COLUMN STORED generated',
    sql: 'alter table t add column qty2 int as (qty * 2) stored',
    server: 'copy',
    fires: ['mysql-add-column-rebuild'],
  },
  { name: 'ADD COLUMN VIRTUAL generated', sql: 'alter table t add column qty2 int as (qty * 2) virtual', server: 'instant', fires: [] },
  { name: 'DROP COLUMN', sql: 'alter table t drop column code', server: 'instant', fires: ['dropping-column'] },
  { name: 'MODIFY int to bigint (widening)', sql: 'alter table t modify qty bigint', server: 'copy', fires: ['changing-column-type'] },
  { name: 'MODIFY int to smallint (narrowing)', sql: 'alter table t modify qty smallint', server: 'copy', fires: ['changing-column-type', 'narrowing-type'] },
  { name: 'MODIFY restating the same type as NOT NULL', sql: 'alter table t modify qty int not null default 0', server: 'inplace', fires: [] },
  { name: 'MODIFY NOT NULL to NULL, same type', sql: 'alter table t modify name varchar(50) null', server: 'inplace', fires: [] },
  { name: 'MODIFY moving a column, same type', sql: 'alter table t modify qty int after id', server: 'instant', fires: [] },
  // node-sql-parser cannot read this form nor CONVERT TO below; parse/classifyMysqlAlterStatement does.
  { name: 'ALTER COLUMN SET DEFAULT', sql: 'alter table t alter column qty set default 5', server: 'instant', fires: [] },
  { name: 'DECIMAL precision widened', sql: 'alter table t modify price decimal(12, 2)', server: 'copy', fires: ['changing-column-type'] },
  { name: 'VARCHAR longer within 255 bytes', sql: 'alter table t modify name varchar(60) not null', server: 'instant', fires: [] },
  { name: 'VARCHAR longer up to 252 bytes (63 characters)', sql: 'alter table t modify code varchar(63)', server: 'instant', fires: [] },
  { name: 'VARCHAR longer to 256 bytes (64 characters)', sql: 'alter table t modify code varchar(64)', server: 'copy', fires: ['changing-column-type'] },
  { name: 'VARCHAR longer across 255 bytes', sql: 'alter table t modify code varchar(70)', server: 'copy', fires: ['changing-column-type'] },
  { name: 'VARCHAR longer, both beyond 255 bytes', sql: 'alter table t modify note varchar(120)', server: 'instant', fires: [] },
  { name: 'VARCHAR shorter', sql: 'alter table t modify name varchar(40) not null', server: 'copy', fires: ['changing-column-type', 'narrowing-type'] },
  {
    name: 'ENUM member appended',
    sql: "alter table t modify status enum('new', 'paid', 'shipped', 'refunded') not null default 'new'",
    server: 'instant',
    fires: [],
  },
  {
    name: 'ENUM member inserted in the middle',
    sql: "alter table t modify status enum('new', 'pending', 'paid', 'shipped') not null default 'new'",
    server: 'copy',
    fires: ['changing-column-type', 'mysql-enum-change'],
  },
  {
    name: 'ENUM member removed',
    sql: "alter table t modify status enum('new', 'paid') not null default 'new'",
    server: 'copy',
    fires: ['changing-column-type', 'mysql-enum-change', 'narrowing-type'],
  },
  {
    name: 'ENUM 256th member appended (1 to 2 bytes a row)',
    sql: `alter table t modify kind enum(${members(256, 'k')}) not null`,
    setup: SETUP_FULL_MEMBERS,
    server: 'copy',
    fires: ['changing-column-type', 'mysql-enum-change'],
  },
  {
    name: 'SET 9th member appended (1 to 2 bytes a row)',
    sql: `alter table t modify tags set(${members(9, 't')})`,
    setup: SETUP_FULL_MEMBERS,
    server: 'copy',
    fires: ['changing-column-type', 'mysql-enum-change'],
  },
  {
    name: 'ENUM 255th member appended (still 1 byte a row)',
    sql: `alter table t modify kind_less enum(${members(255, 'k')}) not null`,
    setup: SETUP_FULL_MEMBERS,
    server: 'instant',
    fires: [],
  },
  {
    name: 'SET 8th member appended (still 1 byte a row)',
    sql: `alter table t modify tags_less set(${members(8, 't')})`,
    setup: SETUP_FULL_MEMBERS,
    server: 'instant',
    fires: [],
  },
  { name: 'SET member appended', sql: "alter table t modify flags set('a', 'b', 'c', 'd')", server: 'instant', fires: [] },
  { name: 'ADD INDEX', sql: 'alter table t add index t_qty_idx (qty)', server: 'inplace', fires: [] },
  { name: 'ADD UNIQUE', sql: 'alter table t add unique key t_name_uq (name)', server: 'inplace', fires: [] },
  { name: 'DROP INDEX', sql: 'alter table t drop index t_parent_idx', setup: `${SETUP} create index t_parent_idx on t (parent_id);`, server: 'inplace', fires: [] },
  {
    name: 'DROP FOREIGN KEY',
    sql: 'alter table t drop foreign key t_parent_fk',
    setup: `${SETUP} alter table t add constraint t_parent_fk foreign key (parent_id) references parent (id);`,
    server: 'instant',
    fires: [],
  },
  { name: 'DROP PRIMARY KEY', sql: 'alter table t drop primary key', server: 'copy', fires: ['mysql-algorithm-copy'] },
  { name: 'DROP and ADD PRIMARY KEY in one', sql: 'alter table t drop primary key, add primary key (id, name)', server: 'inplace', fires: [] },
  { name: 'ADD PRIMARY KEY', sql: 'alter table t add primary key (id)', setup: SETUP_NO_PK, server: 'inplace', fires: [] },
  { name: 'RENAME COLUMN', sql: 'alter table t rename column name to full_name', server: 'instant', fires: ['renaming-column'] },
  { name: 'CHANGE column, same type, new name', sql: 'alter table t change name full_name varchar(50) not null', server: 'instant', fires: ['renaming-column'] },
  { name: 'CHANGE column type', sql: 'alter table t change qty quantity bigint', server: 'copy', fires: ['changing-column-type', 'renaming-column'] },
  { name: 'RENAME TO', sql: 'alter table t rename to t_renamed', server: 'instant', fires: ['renaming-table'] },
  { name: 'ENGINE=InnoDB (a null rebuild)', sql: 'alter table t engine = InnoDB', server: 'inplace', fires: [] },
  { name: 'CONVERT TO CHARACTER SET', sql: 'alter table t convert to character set latin1', server: 'copy', fires: ['mysql-algorithm-copy'] },
  {
    name: 'ADD FOREIGN KEY, foreign_key_checks on',
    sql: 'alter table t add constraint t_parent_fk foreign key (parent_id) references parent (id)',
    server: 'copy',
    fires: ['mysql-algorithm-copy'],
  },
];

/** Findings that claim a cost on the server, and which; undefined for findings about something else (data loss, naming). */
function claimOf(f: Finding): Claim | undefined {
  switch (f.ruleId) {
    case 'unparsed-statement':
    case 'syntax-error':
      return 'unparsed';
    // changing-column-type's MySQL claim, in its docs, is ALGORITHM=COPY.
    case 'mysql-algorithm-copy':
    case 'mysql-enum-change':
    case 'changing-column-type':
      return 'copy';
    case 'mysql-add-column-rebuild':
      if (/copies the table/.test(f.message)) return 'copy';
      if (/without concurrent writes/.test(f.message)) return 'blocks-writes';
      return 'not-instant';
    default:
      return undefined;
  }
}

const RANK: Record<Claim, number> = { none: 0, 'not-instant': 1, 'blocks-writes': 2, copy: 3, unparsed: 4 };

function claimOfAll(findings: Finding[]): Claim {
  return findings.map(claimOf).reduce<Claim>((worst, c) => (c !== undefined && RANK[c] > RANK[worst] ? c : worst), 'none');
}

/** Which server outcomes a claim allows. An unparsed statement claims nothing, but is not silence either. */
const ALLOWED: Record<Claim, ServerOutcome[]> = {
  none: ['instant', 'inplace'],
  'not-instant': ['inplace', 'inplace-locked', 'copy'],
  'blocks-writes': ['inplace-locked', 'copy'],
  copy: ['copy'],
  unparsed: ['instant', 'inplace', 'inplace-locked', 'copy'],
};

/**
 * Cases where the rules and MariaDB disagree today, by case name: each runs as `it.fails`, so the test goes red
 * the day a rule is fixed and the entry must go. Empty: every disagreement found so far is fixed.
 */
const EXPECTED_DISAGREEMENTS: ReadonlySet<string> = new Set<string>([]);

/**
 * Cases where the server refuses the statement with an explicit ALGORITHM=INSTANT, ALGORITHM=INPLACE or
 * LOCK=NONE, and no finding says so (the migration would then fail at deploy time, loudly, rather than lock):
 * gaps in what the rules model, as `it.fails` like the list above. Empty: mysql-online-ddl-refused reads every
 * case's ALGORITHM / LOCK from rules/mysqlOnlineDdl's facts.
 */
const EXPECTED_REFUSAL_GAPS: ReadonlySet<string> = new Set<string>([]);

const database = `quarry_online_ddl_${process.pid}_${Date.now().toString(36)}`;
let conn: mysql.Connection;
let serverVersion: string;

interface Attempt {
  accepted: boolean;
  /** mysql2's error code when refused. */
  code?: string;
  message?: string;
}

type Variant = 'instant' | 'inplaceNone' | 'inplace' | 'plain';

/** What each attempt appends to the plain statement. */
const VARIANTS: Record<Variant, string> = {
  instant: ', algorithm = instant',
  inplaceNone: ', algorithm = inplace, lock = none',
  inplace: ', algorithm = inplace',
  plain: '',
};

interface Observation {
  attempts: Record<Variant, Attempt>;
  outcome: ServerOutcome | 'refused';
  /** The review of each variant of the statement, against the live schema before it. */
  findings: Record<Variant, Finding[]>;
}

async function reset(setup: string): Promise<void> {
  await conn.query('drop table if exists t, t_renamed, parent');
  await conn.query(setup);
}

const REFUSED = /^ER_ALTER_OPERATION_NOT_SUPPORTED/;

/** Runs the statement on a fresh table; a refusal other than "this algorithm / lock is not supported" is a broken case and throws. */
async function attempt(setup: string, sql: string): Promise<Attempt> {
  await reset(setup);
  try {
    await conn.query(sql);
    return { accepted: true };
  } catch (error) {
    const e = error as { code?: string; message?: string };
    if (!e.code || !REFUSED.test(e.code)) throw new Error(`${sql} failed for another reason than its algorithm: ${e.code ?? '?'} ${e.message ?? String(error)}`);
    return { accepted: false, code: e.code, message: e.message };
  }
}

async function liveSchema(setup: string): Promise<SchemaModel> {
  await reset(setup);
  const { config, secrets } = parseConnectionUrl(testMysqlUrl());
  const driver = await createDriver({ config: connectionConfigSchema.parse({ ...config, name: 'online-ddl', database, allowWrites: false }), secrets });
  try {
    return await driver.introspect();
  } finally {
    await driver.dispose();
  }
}

async function observe(c: Case): Promise<Observation> {
  const setup = c.setup ?? SETUP;
  const schema = await liveSchema(setup);
  const attempts = {} as Observation['attempts'];
  const findings = {} as Observation['findings'];
  for (const [variant, suffix] of Object.entries(VARIANTS) as [Variant, string][]) {
    attempts[variant] = await attempt(setup, `${c.sql}${suffix}`);
    findings[variant] = await reviewSql(`${c.sql}${suffix};`, { dialect: 'mysql', serverVersion, schema });
  }
  const outcome: Observation['outcome'] = attempts.instant.accepted
    ? 'instant'
    : attempts.inplaceNone.accepted
      ? 'inplace'
      : attempts.inplace.accepted
        ? 'inplace-locked'
        : attempts.plain.accepted
          ? 'copy'
          : 'refused';
  return { attempts, outcome, findings };
}

/** Whether the review says the server refuses the statement as written (an ALGORITHM or LOCK it cannot honour); undefined when it could not read it. */
function saysRefused(findings: Finding[]): boolean | undefined {
  if (findings.some((f) => claimOf(f) === 'unparsed')) return undefined;
  return findings.some((f) => /refuses/.test(f.message));
}

beforeAll(async () => {
  const admin = await mysql.createConnection({ uri: testMysqlUrl() });
  try {
    await admin.query(`create database ${database}`);
  } finally {
    await admin.end();
  }
  conn = await mysql.createConnection({ uri: testMysqlUrl(), database, multipleStatements: true });
  // The server's default, stated: with it on, MariaDB adds a foreign key only by copying the table.
  await conn.query('set session foreign_key_checks = 1');
  const [rows] = await conn.query('select version() as v');
  serverVersion = (rows as { v: string }[])[0]!.v;
});

afterAll(async () => {
  await conn?.query(`drop database if exists ${database}`).catch(() => undefined);
  await conn?.end();
});

/** The pinned facts are MariaDB 10.11's; on another server only the agreement between rules and server is checked. */
const isMariadb1011 = (): boolean => {
  const v = parseServerVersion(serverVersion, 'mysql');
  return Boolean(v?.mariadb && v.major === 10 && v.minor === 11);
};

describe('MySQL/MariaDB online-DDL rule facts, against the real server', () => {
  it('runs on MariaDB (the test server), whose version the rules are given', () => {
    expect(parseServerVersion(serverVersion, 'mysql')?.mariadb).toBe(true);
  });

  describe.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    let seen: Observation;
    beforeAll(async () => {
      seen = await observe(c);
    });

    it(`pins what MariaDB 10.11 accepts and which rules fire: ${c.sql}`, (ctx) => {
      if (!isMariadb1011()) ctx.skip();
      const fired = [...new Set(seen.findings.plain.map((f) => f.ruleId))].sort();
      expect({ fired, outcome: seen.outcome }, JSON.stringify(seen.attempts)).toEqual({ fired: c.fires, outcome: c.server });
    });

    (EXPECTED_DISAGREEMENTS.has(c.name) ? it.fails : it)('the rules’ verdict on the plain statement agrees with the server', () => {
      const claim = claimOfAll(seen.findings.plain);
      const said = seen.findings.plain.map((f) => `${f.ruleId}: ${f.message}`).join('\n') || '(no finding)';
      expect(ALLOWED[claim], `server: ${seen.outcome} ${JSON.stringify(seen.attempts)}\nrules (${claim}):\n${said}`).toContain(seen.outcome);
    });

    /** For each variant with an ALGORITHM / LOCK: where the review's "the server refuses this ALTER" and the server differ. */
    const refusalMismatches = (direction: 'false-alarm' | 'gap'): string[] =>
      (['instant', 'inplaceNone', 'inplace'] as const).flatMap((v) => {
        const said = saysRefused(seen.findings[v]);
        const refused = !seen.attempts[v].accepted;
        if (said === undefined || said === refused || (direction === 'false-alarm') !== said) return [];
        const what = seen.findings[v].map((f) => `${f.ruleId}: ${f.message}`).join(' | ') || '(no finding)';
        return [`${c.sql}${VARIANTS[v]}: server ${refused ? `refused it (${seen.attempts[v].message ?? ''})` : 'accepted it'}; review said ${what}`];
      });

    it('never says the server refuses an ALGORITHM / LOCK that it accepts', () => {
      expect(refusalMismatches('false-alarm')).toEqual([]);
    });

    (EXPECTED_REFUSAL_GAPS.has(c.name) ? it.fails : it)('says so when the server refuses the ALGORITHM / LOCK asked for', () => {
      expect(refusalMismatches('gap')).toEqual([]);
    });
  });
});
