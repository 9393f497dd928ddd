/**
 * The experiment format's behaviour as it was before its machinery was rebuilt on a schema library:
 * every example and fixture file, and ~2,500 generated inputs (every kind by name and as an object,
 * unknown and misspelt keys, wrong types and out-of-range values for every key), must resolve to the
 * same settings and report the same problems at the same places; and the JSON Schema must offer the
 * same completions. The recorded outcomes are test/fixtures/*-baseline.json.gz.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../../../engine/experiment/parse';
import { completionMap } from './completionMap';

const root = path.resolve(__dirname, '../../..');
const read = (file: string): any => JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(root, file))).toString('utf8'));
const baseline = read('test/fixtures/format-baseline.json.gz');

/** Settings compare by their keys and values, not by the order of the keys. */
function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function outcome(text: string, file: string): { problems: string[]; resolved: Record<string, unknown> } {
  const p = parseExperiment(text, file);
  const problems = p.problems.map(x => `${x.line}:${x.column} ${x.severity}${x.variant ? ` [${x.variant}]` : ''}: ${x.message} @${JSON.stringify(x.path)}`);
  const resolved: Record<string, unknown> = { '': p.resolve()?.spec ?? null };
  for (const v of p.variants) resolved[v.name] = p.resolve(v.name)?.spec ?? null;
  return JSON.parse(JSON.stringify({ problems, resolved }, sortedKeys));
}

/**
 * Inputs whose outcome changed on purpose, and why. ConstantLR divides by its factor at the end of
 * its warm-up, so a factor of 0 is now refused where it is written instead of failing the run;
 * an empty list of schedulers no longer adds a nonsensical "needs -1 milestones".
 */
const CHANGED: Record<string, string[]> = {
  'schedule.constant:factor:5': ["21:15 error: 'factor' must be greater than 0, not -1 @[\"schedule\",\"factor\"]"],
  'schedule.constant:factor:6': ["21:15 error: 'factor' must be greater than 0, not 0 @[\"schedule\",\"factor\"]"],
  'schedule.sequential:schedulers:1': ["21:19 error: 'schedulers' needs at least 1 schedule @[\"schedule\",\"schedulers\"]"],
};

describe('the experiment format resolves and reports as before', () => {
  it.each(Object.keys(baseline.files))('%s', file => {
    expect(outcome(fs.readFileSync(path.join(root, file), 'utf8'), path.join(root, file))).toEqual(baseline.files[file]);
  });

  it(`${baseline.cases.length} generated inputs`, () => {
    const file = path.join(root, 'test/fixtures/experiments/case.experiment.json');
    const differences: string[] = [];
    for (const c of baseline.cases) {
      const now = outcome(JSON.stringify(c.value, null, 2), file);
      if (CHANGED[c.name]) {
        expect(now.problems, c.name).toEqual(CHANGED[c.name]);
        continue;
      }
      if (JSON.stringify(now) !== JSON.stringify({ problems: c.problems, resolved: c.resolved }, sortedKeys)) {
        differences.push(`${c.name}\n  was: ${JSON.stringify(c.problems)}\n  now: ${JSON.stringify(now.problems)}`);
      }
    }
    expect(differences.slice(0, 20).join('\n')).toBe('');
  });
});

describe('the JSON Schema offers the same completions', () => {
  it('at every key and value of the examples and of every kind', async () => {
    const schema = JSON.parse(fs.readFileSync(path.join(root, 'schemas/experiment.schema.json'), 'utf8'));
    const docs: Record<string, string> = {};
    for (const f of fs.readdirSync(path.join(root, 'examples'))) {
      if (f.endsWith('.json')) docs[`examples/${f}`] = fs.readFileSync(path.join(root, 'examples', f), 'utf8');
    }
    for (const c of baseline.cases) if (/:(base|name)$/.test(c.name)) docs[`case ${c.name}`] = JSON.stringify(c.value, null, 2);
    const expected = read('test/fixtures/completions-baseline.json.gz');
    const now = await completionMap(schema, docs);
    const differences = Object.keys({ ...expected, ...now })
      .filter(k => JSON.stringify(now[k]) !== JSON.stringify(expected[k]))
      .map(k => `${k}\n  was: ${JSON.stringify(expected[k])}\n  now: ${JSON.stringify(now[k])}`);
    expect(differences.slice(0, 20).join('\n')).toBe('');
  }, 60_000);
});
