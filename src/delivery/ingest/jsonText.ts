/**
 * JSON text with precise syntax errors. `JSON.parse` does the work; only when it fails does a small
 * scanner walk the text to find where (V8's messages carry a position only for some errors).
 */

/** Where and why a JSON text is malformed: 0-based offset, 1-based line and column. */
export interface JsonSyntaxError {
  message: string;
  offset: number;
  line: number;
  column: number;
}

/** Parses JSON text; on failure says where the text stops being JSON. */
export function parseJsonText(
  text: string,
): { ok: true; value: unknown } | { ok: false; error: JsonSyntaxError } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return {
      ok: false,
      error: locateJsonError(text, error instanceof Error ? error.message : String(error)),
    };
  }
}

/** Finds the first syntax error in `text` (which `JSON.parse` rejected). */
export function locateJsonError(text: string, fallbackMessage = 'invalid JSON'): JsonSyntaxError {
  const scanner = new Scanner(text);
  let message: string;
  try {
    scanner.skipSpace();
    if (scanner.pos >= text.length) throw new ScanError('empty input: expected a JSON value', scanner.pos);
    scanner.value(0);
    scanner.skipSpace();
    if (scanner.pos < text.length) throw new ScanError('unexpected text after the JSON value', scanner.pos);
    message = fallbackMessage;
  } catch (error) {
    if (!(error instanceof ScanError)) throw error;
    scanner.pos = error.offset;
    message = error.message;
  }
  return { message, offset: scanner.pos, ...lineAndColumn(text, scanner.pos) };
}

/** 1-based line and column of a 0-based offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

class ScanError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

// Deep enough for any event; keeps the recursive scanner (not JSON.parse) within the stack.
const MAX_DEPTH = 1000;

/** A validating JSON scanner that builds nothing. */
class Scanner {
  pos = 0;
  constructor(private readonly text: string) {}

  skipSpace(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else break;
    }
  }

  private describe(): string {
    if (this.pos >= this.text.length) return 'end of input';
    return `'${this.text[this.pos]}'`;
  }

  value(depth: number): void {
    if (depth > MAX_DEPTH) throw new ScanError(`nested deeper than ${MAX_DEPTH} levels`, this.pos);
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '{') {
      this.object(depth);
      return;
    }
    if (c === '[') {
      this.array(depth);
      return;
    }
    if (c === '"') {
      this.string();
      return;
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      this.number();
      return;
    }
    for (const literal of ['true', 'false', 'null']) {
      if (this.text.startsWith(literal, this.pos)) {
        this.pos += literal.length;
        return;
      }
    }
    throw new ScanError(`unexpected ${this.describe()}: expected a JSON value`, this.pos);
  }

  private object(depth: number): void {
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') {
        throw new ScanError(
          `unexpected ${this.describe()}: expected a double-quoted property name`,
          this.pos,
        );
      }
      this.string();
      this.skipSpace();
      if (this.text[this.pos] !== ':')
        throw new ScanError(`unexpected ${this.describe()}: expected ':'`, this.pos);
      this.pos++;
      this.value(depth + 1);
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === '}') {
        this.pos++;
        return;
      }
      if (c !== ',') throw new ScanError(`unexpected ${this.describe()}: expected ',' or '}'`, this.pos);
      this.pos++;
    }
  }

  private array(depth: number): void {
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return;
    }
    for (;;) {
      this.value(depth + 1);
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === ']') {
        this.pos++;
        return;
      }
      if (c !== ',') throw new ScanError(`unexpected ${this.describe()}: expected ',' or ']'`, this.pos);
      this.pos++;
    }
  }

  private string(): void {
    const start = this.pos;
    this.pos++;
    const text = this.text;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c === 0x22) {
        this.pos++;
        return;
      }
      if (c < 0x20) throw new ScanError('control character in a string', this.pos);
      if (c === 0x5c) {
        const next = text[this.pos + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(this.pos + 2, this.pos + 6))) {
            throw new ScanError('invalid \\u escape', this.pos);
          }
          this.pos += 6;
          continue;
        }
        if (next === undefined || !'"\\/bfnrt'.includes(next))
          throw new ScanError('invalid escape', this.pos);
        this.pos += 2;
        continue;
      }
      this.pos++;
    }
    throw new ScanError('unterminated string', start);
  }

  private number(): void {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(
      this.text.slice(this.pos, this.pos + 400),
    );
    if (!match) throw new ScanError('invalid number', this.pos);
    this.pos += match[0].length;
  }
}
