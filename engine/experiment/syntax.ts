/**
 * What is wrong with a file that is not JSON, said the way a student can fix it: jsonc-parser's
 * error codes in words, and the habits other languages teach (Python's True and None, single
 * quotes, NaN, .5) named with what JSON writes instead.
 */
import { createScanner, printParseErrorCode, type ParseError } from 'jsonc-parser/lib/esm/main.js';

const MESSAGES: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: "expected a colon ':' after the property name",
  CommaExpected: 'expected a comma',
  CloseBraceExpected: "expected '}' to close the object",
  CloseBracketExpected: "expected ']' to close the list",
  EndOfFileExpected: 'expected the end of the file (an experiment file holds a single object)',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: "unterminated comment (missing '*/')",
  UnexpectedEndOfString: 'unterminated string (missing the closing quote)',
  UnexpectedEndOfNumber: 'unexpected end of number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character in string',
  InvalidCharacter: 'invalid character in string (control characters must be escaped)',
};

/** Words other languages use where JSON has its own, and what JSON writes. */
const NOT_JSON: [RegExp, (word: string) => string][] = [
  [/^'/, () => 'JSON writes strings and keys in double quotes ("lr"), not single quotes'],
  [/^\.\d/, word => `write 0${word}: a JSON number needs a digit before its decimal point`],
  [/^\+\d/, word => `write ${word.slice(1)}: a JSON number has no '+' sign`],
  [/^(True|False)\b/, word => `'${word}' is Python; JSON writes ${word.toLowerCase()}`],
  [/^None\b/, () => "'None' is Python; JSON writes null"],
  [/^NaN\b/, () => 'NaN is not a JSON value'],
  [/^-?Infinity\b/, word => `${word} is not a JSON value; where an option takes infinity, write "inf"`],
];

/** Deeper than any experiment needs (its sections are a few levels deep); a guard for the recursive readers that follow. */
export const MAX_NESTING = 64;

/** Located syntax errors: one per line (later errors on a line are mostly the first one's echoes), each in words. */
export function syntaxErrors(text: string, errors: readonly ParseError[], lineOf: (offset: number) => number): { offset: number; length: number; message: string }[] {
  const lines = new Set<number>();
  const out: { offset: number; length: number; message: string }[] = [];
  for (const e of errors) {
    const line = lineOf(e.offset);
    if (lines.has(line)) continue;
    lines.add(line);
    const code = printParseErrorCode(e.error);
    const rest = text.slice(e.offset, e.offset + 40);
    const habit = code === 'InvalidSymbol' ? NOT_JSON.find(([pattern]) => pattern.test(rest)) : undefined;
    const word = habit ? (/^[-+.\w']+/.exec(rest)?.[0] ?? rest) : '';
    out.push({ offset: e.offset, length: Math.max(habit ? word.length : e.length, 1), message: habit ? habit[1](word) : (MESSAGES[code] ?? code) });
  }
  return out;
}

/** Where the file first opens an object or list deeper than MAX_NESTING, if it does. */
export function tooDeep(text: string): number | undefined {
  const scanner = createScanner(text, true);
  let depth = 0;
  // jsonc-parser's SyntaxKind (a const enum, which isolated modules cannot read): 1 '{', 2 '}', 3 '[', 4 ']', 17 end of file.
  for (let token = scanner.scan(); token !== 17; token = scanner.scan()) {
    if (token === 1 || token === 3) depth++;
    else if (token === 2 || token === 4) depth--;
    if (depth > MAX_NESTING) return scanner.getTokenOffset();
  }
  return undefined;
}
