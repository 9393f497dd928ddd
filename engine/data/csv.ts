/**
 * An RFC 4180 CSV reader that remembers where every field starts, so a bad cell can be reported
 * at its exact line and column. Handles quoted fields (with "" for a quote, and line breaks
 * inside), CRLF / LF / CR line ends, a trailing newline and a UTF-8 byte-order mark.
 *
 * Blank lines (nothing at all between two line breaks) are skipped wherever they are — at the end,
 * and in the middle too, as pandas' read_csv does by default — since they never hold a row.
 * A line of only spaces is not blank: it is a row with one field.
 */
import { DataFileError } from '../core/errors';

export interface CsvField {
  /** The field's text, quotes removed and "" unescaped. */
  text: string;
  /** 1-based line and column of the field's first character (its opening quote, if quoted). */
  line: number;
  column: number;
}

export interface CsvRow {
  fields: CsvField[];
  /** 1-based line and column just past the row's last character (where a missing field would go). */
  endLine: number;
  endColumn: number;
}

export interface CsvLimits {
  /** Stop with an error after this many rows (the header included). */
  maxRows: number;
}

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;

export function parseCsv(text: string, file: string, limits: CsvLimits = { maxRows: Infinity }): CsvRow[] {
  const rows: CsvRow[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  // Offset of column 1 of the current line (after a BOM, which editors do not show as a column).
  let lineStart = i;
  const n = text.length;

  /** Moves past a line break at i (CRLF, LF or CR). */
  const newline = (): void => {
    if (text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF) i += 2;
    else i += 1;
    line++;
    lineStart = i;
  };

  while (i < n) {
    const first = text.charCodeAt(i);
    if (first === CR || first === LF) {
      newline();
      continue;
    }
    if (rows.length >= limits.maxRows) {
      throw new DataFileError(`the file has more than ${limits.maxRows.toLocaleString('en-US')} rows, the most Trainscope reads`, file, line, 1);
    }
    const fields: CsvField[] = [];
    for (;;) {
      const field: CsvField = { text: '', line, column: i - lineStart + 1 };
      if (text.charCodeAt(i) === QUOTE) {
        i++;
        let value = '';
        let chunkStart = i;
        for (;;) {
          if (i >= n) {
            throw new DataFileError('unterminated quoted field: the closing " is missing', file, field.line, field.column);
          }
          const c = text.charCodeAt(i);
          if (c === QUOTE) {
            value += text.slice(chunkStart, i);
            if (text.charCodeAt(i + 1) === QUOTE) {
              value += '"';
              i += 2;
              chunkStart = i;
              continue;
            }
            i++;
            break;
          }
          if (c === CR || c === LF) {
            value += text.slice(chunkStart, i);
            const lineBreakStart = i;
            newline();
            value += text.slice(lineBreakStart, i);
            chunkStart = i;
            continue;
          }
          i++;
        }
        field.text = value;
        const after = text.charCodeAt(i);
        if (i < n && after !== COMMA && after !== CR && after !== LF) {
          throw new DataFileError(
            'unexpected text after the closing quote of a quoted field (a quote inside a field is written "")',
            file,
            line,
            i - lineStart + 1,
          );
        }
      } else {
        const start = i;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === COMMA || c === CR || c === LF) break;
          i++;
        }
        field.text = text.slice(start, i);
      }
      fields.push(field);
      if (i < n && text.charCodeAt(i) === COMMA) {
        i++;
        continue;
      }
      break;
    }
    rows.push({ fields, endLine: line, endColumn: i - lineStart + 1 });
    if (i < n) newline();
  }
  return rows;
}
