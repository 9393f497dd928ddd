/**
 * The experiment format keeps its recorded behaviour (see ./baseline.ts): every example and fixture
 * file and every generated input resolves to the same settings and reports the same problems at the
 * same places, and the JSON Schema offers the same completions. A change made on purpose: review
 * the differences listed here, then `npm run record-baseline`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { completionMap } from './completionMap';
import {
  caseText,
  CASE_FILE,
  COMPLETIONS_BASELINE,
  completionDocs,
  currentSchema,
  FORMAT_BASELINE,
  normalized,
  outcome,
  readBaseline,
  recordedFiles,
  root,
  type FormatBaseline,
} from './baseline';

const baseline = readBaseline(FORMAT_BASELINE) as FormatBaseline;
const record = 'if the change is meant, run `npm run record-baseline`';

describe('the experiment format resolves and reports as recorded', () => {
  it('records every example and fixture experiment', () => {
    expect(Object.keys(baseline.files).sort(), record).toEqual(recordedFiles());
  });

  it.each(Object.keys(baseline.files))('%s', file => {
    expect(outcome(fs.readFileSync(path.join(root, file), 'utf8'), path.join(root, file)), record).toEqual(baseline.files[file]);
  });

  it(`${baseline.cases.length} generated inputs`, () => {
    const differences: string[] = [];
    for (const c of baseline.cases) {
      const now = outcome(caseText(c.value), CASE_FILE);
      if (JSON.stringify(now) !== JSON.stringify(normalized({ problems: c.problems, resolved: c.resolved }))) {
        differences.push(`${c.name}\n  was: ${JSON.stringify(c.problems)}\n  now: ${JSON.stringify(now.problems)}`);
      }
    }
    expect(differences.slice(0, 20).join('\n'), `${differences.length} differ; ${record}`).toBe('');
  }, 60_000);
});

describe('the JSON Schema offers the recorded completions', () => {
  it('at every key and value of the examples and of every kind', async () => {
    const expected = readBaseline(COMPLETIONS_BASELINE) as Record<string, string[]>;
    const now = await completionMap(currentSchema(), completionDocs(baseline.cases));
    const differences = Object.keys({ ...expected, ...now })
      .filter(k => JSON.stringify(now[k]) !== JSON.stringify(expected[k]))
      .map(k => `${k}\n  was: ${JSON.stringify(expected[k])}\n  now: ${JSON.stringify(now[k])}`);
    expect(differences.slice(0, 20).join('\n'), `${differences.length} differ; ${record}`).toBe('');
  }, 60_000);
});
