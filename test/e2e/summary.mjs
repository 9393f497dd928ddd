// Each test stage leaves test-results/<stage>/summary.json = { passed, failed, ... } so that
// scripts/test.mjs can count individual tests across very different runners.
import fs from 'node:fs';
import path from 'node:path';
import { resultsFor } from './paths.mjs';

export function summaryFile(stage) {
  return path.join(resultsFor(stage), 'summary.json');
}

export function clearSummary(stage) {
  fs.rmSync(summaryFile(stage), { force: true });
}

export function writeSummary(stage, { passed, failed, ...details }) {
  fs.mkdirSync(resultsFor(stage), { recursive: true });
  fs.writeFileSync(summaryFile(stage), JSON.stringify({ stage, passed, failed, ...details, at: new Date().toISOString() }, null, 2));
}

/** The stage's summary, or undefined when it wrote none (it crashed before counting). */
export function readSummary(stage) {
  try {
    return JSON.parse(fs.readFileSync(summaryFile(stage), 'utf8'));
  } catch {
    return undefined;
  }
}
