/** Trains a test experiment file (synthetic data only) to the end, in process: every record it wrote. */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { loadData } from '../../../engine/data/kinds';
import { parseExperiment } from '../../../engine/experiment/parse';
import type { MetricRecord } from '../../../engine/train/events';
import { TrainingSession } from '../../../engine/train/session';
import { textFiles } from '../textFiles';

export function trainExperiment(file: string): MetricRecord[] {
  const parsed = parseExperiment(fs.readFileSync(file, 'utf8'), path.basename(file));
  const resolved = parsed.resolve();
  expect(resolved, JSON.stringify(parsed.problems)).toBeDefined();
  const data = loadData(resolved!.spec.data, textFiles(() => {
    throw new Error('these experiments use synthetic data only');
  }));
  const records: MetricRecord[] = [];
  const session = new TrainingSession(resolved!.spec, data, {
    onEvent: (e) => {
      if (e.type === 'records') records.push(...e.records);
    },
  });
  session.runToEnd();
  return records;
}
