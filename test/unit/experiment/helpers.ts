import { parseExperiment, type ParsedExperiment, type Problem } from '../../../engine/experiment/parse';

/** A minimal valid experiment (as an object), to spread and override in tests. */
export const MINIMAL = {
  data: { type: 'spiral' },
  model: [{ type: 'linear', out_features: 16 }, 'relu', { type: 'linear' }],
  optimizer: { type: 'sgd', lr: 0.1 },
};

export function parse(text: string, file = 'test.experiment.json'): ParsedExperiment {
  return parseExperiment(text, file);
}

export function parseObject(value: unknown): ParsedExperiment {
  return parse(JSON.stringify(value, null, 2));
}

export function errors(p: ParsedExperiment): Problem[] {
  return p.problems.filter(x => x.severity === 'error');
}

export function warnings(p: ParsedExperiment): Problem[] {
  return p.problems.filter(x => x.severity === 'warning');
}

/** "line:column message" of each problem — compact for exact assertions. */
export function brief(p: ParsedExperiment): string[] {
  return p.problems.map(x => `${x.line}:${x.column} ${x.severity}: ${x.message}`);
}

/** 1-based line and column of the `nth` occurrence of `needle` in `text`. */
export function positionOf(text: string, needle: string, nth = 0): { line: number; column: number; offset: number } {
  let offset = -1;
  for (let i = 0; i <= nth; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`'${needle}' #${nth} not in text`);
  }
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1, offset };
}

/** The text parseObject parses: two-space indented JSON. */
export function textOf(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

/** "line:column" of the value of the `nth` occurrence of key `key` in `text`. */
export function valueAt(text: string, key: string, nth = 0): string {
  const { offset } = positionOf(text, `"${key}": `, nth);
  return lineColumn(text, offset + key.length + 4);
}

/** "line:column" of the `nth` occurrence of key `key` (its opening quote) in `text`. */
export function keyAt(text: string, key: string, nth = 0): string {
  return lineColumn(text, positionOf(text, `"${key}"`, nth).offset);
}

/** "line:column" of the `nth` occurrence of `needle` in `text`. */
export function at(text: string, needle: string, nth = 0): string {
  return lineColumn(text, positionOf(text, needle, nth).offset);
}
