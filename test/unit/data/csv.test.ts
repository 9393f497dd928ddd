import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../engine/data/csv';
import { DataFileError } from '../../../engine/core/errors';

const texts = (csv: string): string[][] => parseCsv(csv, 'f.csv').map(r => r.fields.map(f => f.text));

function thrown(f: () => unknown): DataFileError {
  try {
    f();
  } catch (e) {
    if (e instanceof DataFileError) return e;
    throw e;
  }
  throw new Error('expected a DataFileError');
}

describe('parseCsv', () => {
  it('reads plain rows, with or without a trailing newline', () => {
    expect(texts('a,b\n1,2\n3,4\n')).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
    expect(texts('a,b\n1,2\n3,4')).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
  });

  it('handles CRLF and lone CR line ends', () => {
    expect(texts('a,b\r\n1,2\r\n')).toEqual([['a', 'b'], ['1', '2']]);
    expect(texts('a,b\r1,2\r')).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('strips a UTF-8 byte-order mark, and counts columns as the editor shows them', () => {
    const rows = parseCsv('\uFEFFname,value\nx,1\n', 'f.csv');
    expect(rows[0].fields[0]).toEqual({ text: 'name', line: 1, column: 1 });
    expect(rows[0].fields[1]).toEqual({ text: 'value', line: 1, column: 6 });
  });

  it('reads quoted fields: commas, "" escapes and line breaks inside', () => {
    const rows = parseCsv('a,b,c\n"x, y","say ""hi""","two\nlines"\n1,2,3\n', 'f.csv');
    expect(rows[1].fields.map(f => f.text)).toEqual(['x, y', 'say "hi"', 'two\nlines']);
    expect(rows[1].fields.map(f => [f.line, f.column])).toEqual([
      [2, 1],
      [2, 8],
      [2, 21],
    ]);
    // The row after a multi-line field starts on the right line.
    expect(rows[2].fields[0]).toEqual({ text: '1', line: 4, column: 1 });
  });

  it('keeps empty fields, including a last one after a trailing comma', () => {
    expect(texts('a,b,c\n1,,\n,"",3')).toEqual([['a', 'b', 'c'], ['1', '', ''], ['', '', '3']]);
  });

  it('tracks line and column of every field and of the row end', () => {
    const rows = parseCsv('h1,h2\n10,200\n', 'f.csv');
    expect(rows[1].fields).toEqual([
      { text: '10', line: 2, column: 1 },
      { text: '200', line: 2, column: 4 },
    ]);
    expect(rows[1]).toMatchObject({ endLine: 2, endColumn: 7 });
  });

  it('skips blank lines at the end and in the middle (as pandas does) without losing line numbers', () => {
    const rows = parseCsv('a,b\n1,2\n\n3,4\n\n\n', 'f.csv');
    expect(rows.map(r => r.fields.map(f => f.text))).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
    expect(rows[2].fields[0].line).toBe(4);
    // A line of spaces is a row, not a blank line.
    expect(texts('a\n \n')).toEqual([['a'], [' ']]);
  });

  it('an unterminated quote is reported at the opening quote', () => {
    const e = thrown(() => parseCsv('a,b\n1,"oops\n2,3\n', 'data/f.csv'));
    expect(e.message).toBe('unterminated quoted field: the closing " is missing');
    expect([e.file, e.line, e.column]).toEqual(['data/f.csv', 2, 3]);
  });

  it('text after a closing quote is reported where it starts', () => {
    const e = thrown(() => parseCsv('a,b\n"x"y,2\n', 'f.csv'));
    expect([e.line, e.column]).toEqual([2, 4]);
  });

  it('stops at the row limit with a clear error', () => {
    const e = thrown(() => parseCsv('a\n1\n2\n3\n', 'f.csv', { maxRows: 3 }));
    expect(e.message).toBe('the file has more than 3 rows, the most Trainscope reads');
    expect(e.line).toBe(4);
  });
});
