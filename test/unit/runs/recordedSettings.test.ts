import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { differingSettings } from '../../../contract/runSettings';
import { parseExperiment } from '../../../engine/experiment/parse';
import { settingsAsResolvedToday } from '../../../engine/runs/recordedSettings';

const spiral = parseExperiment(fs.readFileSync(path.resolve(__dirname, '../../../examples/spiral.experiment.json'), 'utf8'), 'spiral.experiment.json');
/** What run.json holds: the resolved spec written as JSON. */
const recorded = (variant?: string): Record<string, unknown> => JSON.parse(JSON.stringify(spiral.resolve(variant)!.spec));

describe("a recorded run's settings as today's format resolves them", () => {
  it('every example and fixture, base and variants, re-resolves to itself (JSON, as run.json holds it)', () => {
    let runs = 0;
    for (const dir of ['examples', 'test/fixtures/experiments'].map(d => path.resolve(__dirname, '../../..', d))) {
      for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.experiment.json'))) {
        const parsed = parseExperiment(fs.readFileSync(path.join(dir, file), 'utf8'), file);
        for (const variant of [undefined, ...parsed.variants.map(v => v.name)]) {
          const spec = parsed.resolve(variant)?.spec;
          if (!spec) continue;
          const json = JSON.parse(JSON.stringify(spec));
          const today = settingsAsResolvedToday(json);
          // A new object: resolved again, not kept as recorded because it did not resolve.
          expect(today, `${file} ${variant ?? 'base'}`).not.toBe(json);
          expect(today, `${file} ${variant ?? 'base'}`).toEqual(json);
          runs++;
        }
      }
    }
    expect(runs).toBeGreaterThan(50);
  });

  it('a run recorded before an option existed gets its default, so it does not seem to differ from a new run in it', () => {
    const old = recorded('adam');
    const loss = old.loss as Record<string, unknown>;
    const optimizer = old.optimizer as Record<string, unknown>;
    delete loss.ignore_index;
    delete loss.reduction;
    delete optimizer.decoupled_weight_decay;
    expect(differingSettings([old, recorded('adam')]).map(d => d.path)).toEqual(['loss.ignore_index', 'loss.reduction', 'optimizer.decoupled_weight_decay']);
    expect(differingSettings([settingsAsResolvedToday(old), recorded('adam')])).toEqual([]);
  });

  it('settings today\'s format does not read as recorded stay as they were; what is not an object too', () => {
    const renamed = { ...recorded(), optimizer: { type: 'sgd', learning_rate: 0.1 } };
    expect(settingsAsResolvedToday(renamed)).toBe(renamed);
    for (const odd of [undefined, null, 3, 'x', []]) expect(settingsAsResolvedToday(odd)).toBe(odd);
  });
});
