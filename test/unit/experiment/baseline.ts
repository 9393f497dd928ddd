/**
 * The experiment format's recorded behaviour: what every example and fixture file, and ~2,500
 * generated inputs, resolve to and report, and what the JSON Schema completes. The test compares
 * today's outcomes with test/fixtures/*-baseline.json.gz; `npm run record-baseline` records them
 * again after a change made on purpose (the failing test lists what changed, to review first).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { parseExperiment } from '../../../engine/experiment/parse';
import { completionMap } from './completionMap';

export const root = path.resolve(__dirname, '../../..');
export const FORMAT_BASELINE = 'test/fixtures/format-baseline.json.gz';
export const COMPLETIONS_BASELINE = 'test/fixtures/completions-baseline.json.gz';
/** The generated inputs are written as this file (their positions and messages name it). */
export const CASE_FILE = path.join(root, 'test/fixtures/experiments/case.experiment.json');

export interface Outcome {
  problems: string[];
  resolved: Record<string, unknown>;
}
export interface FormatBaseline {
  files: Record<string, Outcome>;
  cases: ({ name: string; value: unknown } & Outcome)[];
}

export const readBaseline = (file: string): any => JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(root, file))).toString('utf8'));
const writeBaseline = (file: string, value: unknown): void => fs.writeFileSync(path.join(root, file), zlib.gzipSync(JSON.stringify(value), { level: 9 }));

/** Settings compare by their keys and values, not by the order of the keys. */
function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export const normalized = (outcome: Outcome): Outcome => JSON.parse(JSON.stringify(outcome, sortedKeys));

/** A file's problems (position, severity, variant, message, path) and each variant's resolved settings. */
export function outcome(text: string, file: string): Outcome {
  const p = parseExperiment(text, file);
  const problems = p.problems.map(x => `${x.line}:${x.column} ${x.severity}${x.variant ? ` [${x.variant}]` : ''}: ${x.message} @${JSON.stringify(x.path)}`);
  const resolved: Record<string, unknown> = { '': p.resolve()?.spec ?? null };
  for (const v of p.variants) resolved[v.name] = p.resolve(v.name)?.spec ?? null;
  return normalized({ problems, resolved });
}

export const caseText = (value: unknown): string => JSON.stringify(value, null, 2);

/** The files recorded: every example and every experiment among the test fixtures. */
export function recordedFiles(): string[] {
  const list = (dir: string): string[] =>
    fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap(e => (e.isDirectory() ? list(`${dir}/${e.name}`) : e.name.endsWith('.experiment.json') && e.name !== 'case.experiment.json' ? [`${dir}/${e.name}`] : []));
  return [...list('examples'), ...list('test/fixtures/experiments')].sort();
}

/** Documents whose completions are recorded: the examples and each kind's smallest experiment. */
export function completionDocs(cases: FormatBaseline['cases']): Record<string, string> {
  const docs: Record<string, string> = {};
  for (const f of fs.readdirSync(path.join(root, 'examples'))) {
    if (f.endsWith('.json')) docs[`examples/${f}`] = fs.readFileSync(path.join(root, 'examples', f), 'utf8');
  }
  for (const c of cases) if (/:(base|name)$/.test(c.name)) docs[`case ${c.name}`] = caseText(c.value);
  return docs;
}

export const currentSchema = (): object => JSON.parse(fs.readFileSync(path.join(root, 'schemas/experiment.schema.json'), 'utf8'));

/** Records today's outcomes for the same generated inputs and for today's files. */
export async function recordBaseline(): Promise<{ files: number; cases: number; completions: number }> {
  const old = readBaseline(FORMAT_BASELINE) as FormatBaseline;
  const files: FormatBaseline['files'] = {};
  for (const file of recordedFiles()) files[file] = outcome(fs.readFileSync(path.join(root, file), 'utf8'), path.join(root, file));
  const cases = old.cases.map(({ name, value }) => ({ name, value, ...outcome(caseText(value), CASE_FILE) }));
  writeBaseline(FORMAT_BASELINE, { files, cases });
  const completions = await completionMap(currentSchema(), completionDocs(cases));
  writeBaseline(COMPLETIONS_BASELINE, completions);
  return { files: Object.keys(files).length, cases: cases.length, completions: Object.keys(completions).length };
}
