import type { Dialect } from '../domain/connection';

/**
 * The lexical rules of one SQL dialect, as data: what the statement splitter and classifier need to know to
 * tell code from strings, identifiers and comments. Kept here (not in the drivers) so the editor can use them too.
 */
export interface LexicalFacts {
  /** Characters that open and close a string literal; a doubled quote inside is an escaped quote. */
  stringQuotes: readonly string[];
  /** Quoted-identifier delimiters as [open, close]; a doubled close inside is an escaped close. */
  identifierQuotes: readonly (readonly [string, string])[];
  /** True when a backslash escapes the next character in every string literal (MySQL's default sql_mode). */
  backslashEscapesInStrings: boolean;
  /** Prefixes that turn a '…' literal into one with backslash escapes, e.g. PostgreSQL's E'…'. Upper case. */
  escapeStringPrefixes: readonly string[];
  /** Line comment starters. */
  lineComments: readonly string[];
  /** True when `--` starts a comment only if followed by whitespace or the end (MySQL: `5--1` is 5 - -1). */
  dashCommentNeedsSpace: boolean;
  /** True when block comments nest (PostgreSQL). */
  nestedBlockComments: boolean;
  /** True when `/*! … *\/` wraps code the server runs (MySQL versioned comments), so its body is lexed as SQL. */
  executableComments: boolean;
  /** True for PostgreSQL's $$…$$ and $tag$…$tag$ literals. */
  dollarQuoting: boolean;
  /**
   * CREATE objects whose body is a BEGIN … END block holding semicolons that do not end the statement
   * (CREATE TRIGGER in SQLite and MySQL; routines in MySQL; BEGIN ATOMIC bodies in PostgreSQL). Upper case.
   */
  compoundBodyObjects: readonly string[];
  /** True when the client-side `DELIMITER x` command (the mysql client's) changes the statement terminator. */
  delimiterCommand: boolean;
  /**
   * Prefixes of client meta-commands (psql's `\d`, sqlite3's `.tables`) that a line may start with. They are not
   * SQL, so Quarry refuses them with a clear error rather than sending them to the server.
   */
  metaCommandPrefixes: readonly string[];
  /** The client program whose meta-commands those are, for the error message. */
  metaCommandClient: string;
}

export const lexicalFacts: Readonly<Record<Dialect, LexicalFacts>> = {
  postgres: {
    stringQuotes: ["'"],
    identifierQuotes: [['"', '"']],
    backslashEscapesInStrings: false,
    escapeStringPrefixes: ['E'],
    lineComments: ['--'],
    dashCommentNeedsSpace: false,
    nestedBlockComments: true,
    executableComments: false,
    dollarQuoting: true,
    compoundBodyObjects: ['FUNCTION', 'PROCEDURE'],
    delimiterCommand: false,
    metaCommandPrefixes: ['\\'],
    metaCommandClient: 'psql',
  },
  mysql: {
    // Double quotes are strings unless sql_mode has ANSI_QUOTES; the default is assumed.
    stringQuotes: ["'", '"'],
    identifierQuotes: [['`', '`']],
    backslashEscapesInStrings: true,
    escapeStringPrefixes: [],
    lineComments: ['--', '#'],
    dashCommentNeedsSpace: true,
    nestedBlockComments: false,
    executableComments: true,
    dollarQuoting: false,
    compoundBodyObjects: ['TRIGGER', 'PROCEDURE', 'FUNCTION', 'EVENT'],
    delimiterCommand: true,
    metaCommandPrefixes: ['\\'],
    metaCommandClient: 'mysql',
  },
  sqlite: {
    stringQuotes: ["'"],
    identifierQuotes: [
      ['"', '"'],
      ['`', '`'],
      ['[', ']'],
    ],
    backslashEscapesInStrings: false,
    escapeStringPrefixes: [],
    lineComments: ['--'],
    dashCommentNeedsSpace: false,
    nestedBlockComments: false,
    executableComments: false,
    dollarQuoting: false,
    compoundBodyObjects: ['TRIGGER'],
    delimiterCommand: false,
    metaCommandPrefixes: ['.'],
    metaCommandClient: 'sqlite3',
  },
};
