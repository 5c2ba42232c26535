import type { Dialect } from '../../../shared/domain/connection';

/** What Ask needs to know of a dialect to prompt for it and check the answer, kept as data. */
export interface AskDialectFacts {
  /** The schema unqualified names resolve to; undefined means the connection's database (MySQL). */
  defaultSchema?: string;
  /** True when an identifier as the parser returns it must match the catalog's name exactly (PostgreSQL folds unquoted names itself). */
  caseSensitiveIdentifiers: boolean;
  /** Catalog schemas whose tables are not in the SchemaModel but exist; their columns go unchecked. */
  systemSchemas: readonly string[];
  /** Unqualified catalog tables that exist without being in the SchemaModel. */
  systemTables: RegExp;
  /** Columns every table has without declaring them (SQLite's rowid, PostgreSQL's system columns). Lower case. */
  pseudoColumns: readonly string[];
  /** A sentence of rules for this dialect, added to the common ones. */
  rules: string;
  /** Few-shot examples written for this dialect against the small schema in `exampleSchema`. */
  examples: readonly { question: string; sql: string; explanation: string; tables: string[] }[];
}

/** The schema the few-shot examples are written against: not the user's, so the model sees the shape of an answer, not its content. */
export const exampleSchema =
  'CREATE TABLE employees (id integer PRIMARY KEY, name text, department_id integer REFERENCES departments(id), salary numeric, hired_on date);\nCREATE TABLE departments (id integer PRIMARY KEY, name text);';

type AskExample = AskDialectFacts['examples'][number];

/** Examples that read the same in every dialect. */
const bestPaid: AskExample = {
  question: 'the five best paid employees',
  sql: 'SELECT name, salary FROM employees ORDER BY salary DESC LIMIT 5',
  explanation: 'Employees sorted by salary, highest first, the first five.',
  tables: ['employees'],
};
const perDepartment: AskExample = {
  question: 'how many employees each department has',
  sql: 'SELECT d.name, count(e.id) AS employees FROM departments d LEFT JOIN employees e ON e.department_id = d.id GROUP BY d.name ORDER BY employees DESC LIMIT 100',
  explanation: 'Counts the employees of every department, departments without any included.',
  tables: ['departments', 'employees'],
};

export const askDialectFacts: Readonly<Record<Dialect, AskDialectFacts>> = {
  postgres: {
    defaultSchema: 'public',
    caseSensitiveIdentifiers: true,
    systemSchemas: ['pg_catalog', 'information_schema'],
    systemTables: /^pg_/,
    pseudoColumns: ['ctid', 'xmin', 'xmax', 'cmin', 'cmax', 'tableoid', 'oid'],
    rules: 'Quote identifiers with double quotes only when needed. Use ILIKE for case-insensitive matching and now() for the current time.',
    examples: [
      bestPaid,
      perDepartment,
    ],
  },
  mysql: {
    caseSensitiveIdentifiers: false,
    systemSchemas: ['information_schema', 'mysql', 'performance_schema', 'sys'],
    systemTables: /^$/,
    pseudoColumns: [],
    rules: 'Quote identifiers with backticks only when needed. Use NOW() for the current time and DATE_SUB(NOW(), INTERVAL 30 DAY) for date arithmetic.',
    examples: [
      bestPaid,
      {
        question: 'employees hired in the last 30 days',
        sql: 'SELECT name, hired_on FROM employees WHERE hired_on >= DATE_SUB(CURDATE(), INTERVAL 30 DAY) ORDER BY hired_on DESC LIMIT 100',
        explanation: 'Employees whose hiring date is within the last 30 days, newest first.',
        tables: ['employees'],
      },
    ],
  },
  sqlite: {
    defaultSchema: 'main',
    caseSensitiveIdentifiers: false,
    systemSchemas: ['temp'],
    systemTables: /^sqlite_(master|schema|temp_master|temp_schema|sequence|stat\d)$/i,
    pseudoColumns: ['rowid', 'oid', '_rowid_'],
    rules: "Quote identifiers with double quotes only when needed. Dates are stored as text: use date('now', '-30 days') for date arithmetic.",
    examples: [
      bestPaid,
      perDepartment,
    ],
  },
};
