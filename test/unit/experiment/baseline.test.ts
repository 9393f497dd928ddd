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

function outcome(text: string, file: string): { problems: string[]; resolved: Record<string, unknown> } {
  const p = parseExperiment(text, file);
  const problems = p.problems.map(x => `${x.line}:${x.column} ${x.severity}${x.variant ? ` [${x.variant}]` : ''}: ${x.message} @${JSON.stringify(x.path)}`);
  const resolved: Record<string, unknown> = { '': p.resolve()?.spec ?? null };
  for (const v of p.variants) resolved[v.name] = p.resolve(v.name)?.spec ?? null;
  return JSON.parse(JSON.stringify({ problems, resolved }));
}

describe('the experiment format resolves and reports as before', () => {
  it.each(Object.keys(baseline.files))('%s', file => {
    expect(outcome(fs.readFileSync(path.join(root, file), 'utf8'), path.join(root, file))).toEqual(baseline.files[file]);
  });

  it(`${baseline.cases.length} generated inputs`, () => {
    const file = path.join(root, 'test/fixtures/experiments/case.experiment.json');
    const differences: string[] = [];
    for (const c of baseline.cases) {
      const now = outcome(JSON.stringify(c.value, null, 2), file);
      if (JSON.stringify(now) !== JSON.stringify({ problems: c.problems, resolved: c.resolved })) {
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
