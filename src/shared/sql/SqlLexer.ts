import type { LexicalFacts } from '../dialect/lexicalFacts';

export type TokenKind =
  | 'word'
  | 'number'
  | 'string'
  | 'quotedIdentifier'
  | 'dollarString'
  | 'comment'
  | 'space'
  | 'delimiter'
  | 'punct'
  | 'other';

export interface Token {
  kind: TokenKind;
  /** Offsets into the lexed text, end exclusive. */
  start: number;
  end: number;
  /** Upper-cased text, for words only. */
  upper?: string;
  /** True when a string, identifier, dollar string or block comment reached the end of the text unclosed. */
  unterminated?: boolean;
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isWordStart = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
const isWordPart = (c: number): boolean => isWordStart(c) || isDigit(c) || c === 36; // '$' may continue a word

/**
 * A small hand-written SQL tokenizer driven by LexicalFacts. It knows literals, quoted identifiers and comments
 * well enough to find statement boundaries and keywords; it is not a parser. Never throws: malformed input
 * (an unclosed quote) yields a token marked `unterminated` that runs to the end of the text.
 */
export class SqlLexer {
  /** The statement terminator the lexer reports as a 'delimiter' token. Defaults to ';'. */
  delimiter = ';';
  private pos: number;
  private inExecutableComment = false;

  constructor(
    readonly text: string,
    private readonly facts: LexicalFacts,
    start = 0,
    private readonly limit = text.length,
  ) {
    this.pos = start;
  }

  get offset(): number {
    return this.pos;
  }

  /** Move the read position, e.g. past a DELIMITER command line the splitter consumed itself. */
  seek(offset: number): void {
    this.pos = offset;
  }

  next(): Token | undefined {
    const s = this.text;
    const start = this.pos;
    if (start >= this.limit) return undefined;
    const c = s.charCodeAt(start);
    const f = this.facts;

    if (this.delimiter !== ';' && s.startsWith(this.delimiter, start)) {
      return this.emit('delimiter', start, start + this.delimiter.length);
    }
    if (isSpace(c)) {
      let i = start + 1;
      while (i < this.limit && isSpace(s.charCodeAt(i))) i++;
      return this.emit('space', start, i);
    }
    // Comments
    for (const lc of f.lineComments) {
      if (s.startsWith(lc, start)) {
        if (lc === '--' && f.dashCommentNeedsSpace) {
          const n = s.charCodeAt(start + 2);
          if (!(start + 2 >= this.limit || isSpace(n) || n < 32)) continue;
        }
        let i = s.indexOf('\n', start);
        if (i < 0 || i > this.limit) i = this.limit;
        return this.emit('comment', start, i);
      }
    }
    if (c === 47 /* / */ && s.charCodeAt(start + 1) === 42 /* * */) {
      if (f.executableComments && s.charCodeAt(start + 2) === 33 /* ! */) {
        let i = start + 3;
        while (i < this.limit && isDigit(s.charCodeAt(i))) i++;
        this.inExecutableComment = true;
        return this.emit('comment', start, i);
      }
      return this.blockComment(start);
    }
    if (this.inExecutableComment && c === 42 && s.charCodeAt(start + 1) === 47) {
      this.inExecutableComment = false;
      return this.emit('comment', start, start + 2);
    }
    // Strings
    const ch = s[start]!;
    if (f.stringQuotes.includes(ch)) {
      return this.quoted('string', start, start + 1, ch, f.backslashEscapesInStrings);
    }
    for (const [open, close] of f.identifierQuotes) {
      if (ch === open) return this.quoted('quotedIdentifier', start, start + 1, close, false);
    }
    if (c === 36 /* $ */ && f.dollarQuoting) {
      const tok = this.dollar(start);
      if (tok) return tok;
    }
    if (isWordStart(c)) {
      let i = start + 1;
      while (i < this.limit && isWordPart(s.charCodeAt(i)) && !this.atCustomDelimiter(i)) i++;
      const upper = s.slice(start, i).toUpperCase();
      if (s[i] === "'" && f.escapeStringPrefixes.includes(upper)) {
        return this.quoted('string', start, i + 1, "'", true);
      }
      const t = this.emit('word', start, i);
      t.upper = upper;
      return t;
    }
    if (isDigit(c) || (c === 46 && isDigit(s.charCodeAt(start + 1)))) {
      let i = start + 1;
      while (i < this.limit && !this.atCustomDelimiter(i)) {
        const d = s.charCodeAt(i);
        if (isDigit(d) || d === 46 || (d >= 65 && d <= 90) || (d >= 97 && d <= 122) || d === 95) i++;
        else if ((d === 43 || d === 45) && (s[i - 1] === 'e' || s[i - 1] === 'E')) i++;
        else break;
      }
      return this.emit('number', start, i);
    }
    if (c === 59 /* ; */) return this.emit(this.delimiter === ';' ? 'delimiter' : 'punct', start, start + 1);
    if (c === 40 || c === 41 || c === 44 || c === 46 || c === 61) return this.emit('punct', start, start + 1);
    if (c === 36 && isDigit(s.charCodeAt(start + 1))) {
      let i = start + 1;
      while (i < this.limit && isDigit(s.charCodeAt(i))) i++;
      return this.emit('other', start, i);
    }
    // Surrogate pairs stay together so offsets never split a character.
    const width = c >= 0xd800 && c <= 0xdbff ? 2 : 1;
    return this.emit('other', start, Math.min(start + width, this.limit));
  }

  /** A custom terminator (`END$$`, `1//`) ends a word or number that would otherwise swallow it. */
  private atCustomDelimiter(i: number): boolean {
    return this.delimiter !== ';' && this.text.startsWith(this.delimiter, i);
  }

  private emit(kind: TokenKind, start: number, end: number): Token {
    this.pos = end;
    return { kind, start, end };
  }

  private quoted(kind: TokenKind, start: number, bodyStart: number, close: string, backslash: boolean): Token {
    const s = this.text;
    const closeCode = close.charCodeAt(0);
    let i = bodyStart;
    while (i < this.limit) {
      const c = s.charCodeAt(i);
      if (backslash && c === 92) {
        i += 2;
        continue;
      }
      if (c === closeCode) {
        if (s.charCodeAt(i + 1) === closeCode && i + 1 < this.limit) {
          i += 2;
          continue;
        }
        return this.emit(kind, start, i + 1);
      }
      i++;
    }
    const t = this.emit(kind, start, this.limit);
    t.unterminated = true;
    return t;
  }

  private blockComment(start: number): Token {
    const s = this.text;
    let depth = 1;
    let i = start + 2;
    while (i < this.limit) {
      const c = s.charCodeAt(i);
      if (c === 42 && s.charCodeAt(i + 1) === 47) {
        depth--;
        i += 2;
        if (depth === 0 || !this.facts.nestedBlockComments) return this.emit('comment', start, i);
        continue;
      }
      if (this.facts.nestedBlockComments && c === 47 && s.charCodeAt(i + 1) === 42) {
        depth++;
        i += 2;
        continue;
      }
      i++;
    }
    const t = this.emit('comment', start, this.limit);
    t.unterminated = true;
    return t;
  }

  private dollar(start: number): Token | undefined {
    const s = this.text;
    let i = start + 1;
    if (s.charCodeAt(i) !== 36) {
      if (!isWordStart(s.charCodeAt(i))) return undefined;
      while (i < this.limit && (isWordStart(s.charCodeAt(i)) || isDigit(s.charCodeAt(i)))) i++;
      if (s.charCodeAt(i) !== 36) return undefined;
    }
    const tag = s.slice(start, i + 1);
    const close = s.indexOf(tag, i + 1);
    if (close < 0 || close + tag.length > this.limit) {
      const t = this.emit('dollarString', start, this.limit);
      t.unterminated = true;
      return t;
    }
    return this.emit('dollarString', start, close + tag.length);
  }
}
