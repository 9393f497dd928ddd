/**
 * One cause, one finding, on the key to change — on the course's own cases where the diagnostics used
 * to pile up symptoms or give the wrong advice (test/fixtures/experiments/diagnostics/causes/).
 * Each experiment trains for real; the findings are the run's last form of each (a finding grows as
 * consequences of its cause are folded into it).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withFinding } from '../../../engine/diagnostics/finding';
import type { FindingRecord } from '../../../engine/train/events';
import { trainExperiment } from './trainExperiment';

const DIR = path.resolve(__dirname, '../../fixtures/experiments/diagnostics/causes');

function findingsOf(name: string): FindingRecord[] {
  // A finding grows as consequences are folded into it: keep its last form.
  let findings: FindingRecord[] = [];
  for (const r of trainExperiment(path.join(DIR, `${name}.experiment.json`))) if (r.kind === 'finding') findings = withFinding(findings, r);
  return findings;
}

const onLearningRate = (f: FindingRecord): boolean => f.path.includes('lr');

describe('causes, not symptoms', () => {
  it('0.01·randn on eight tanh layers: one finding on init, with the gradients, update ratios and flat loss inside it (a loss that never left its start is not called underfitting)', () => {
    const findings = findingsOf('small-init-deep-tanh');
    expect(findings.map((f) => f.rule)).toEqual(['vanishing-activations']);
    const [cause] = findings;
    expect(cause.path).toEqual(['init', 'weight']);
    expect(cause.fix?.edits[0]).toMatchObject({ path: ['init', 'weight'], value: { type: 'xavier_normal' } });
    expect(cause.explains).toEqual(expect.arrayContaining(['vanishing-gradients', 'update-ratio:low', 'loss-flat']));
    expect(cause.explains).not.toContain('underfitting');
    // Nothing tells the student to raise the learning rate, against the example's own comment.
    expect(findings.some(onLearningRate)).toBe(false);
    expect(JSON.stringify(findings)).not.toMatch(/learning rate is (probably )?too low/);
  });

  it('ten saturated tanh layers: one finding for all of them; the explosion that follows is blamed on the initialization', () => {
    const findings = findingsOf('saturated-deep-tanh');
    const saturated = findings.filter((f) => f.rule === 'saturated-units');
    expect(saturated).toHaveLength(1);
    expect(saturated[0]).toMatchObject({ target: 'init', path: ['init', 'weight'] });
    expect(saturated[0].related!.filter((n) => /saturated$/.test(n.message)).length).toBeGreaterThanOrEqual(5);
    const stop = findings.find((f) => f.severity === 'error');
    expect(stop).toBeDefined();
    expect(stop!.path).toEqual(['init', 'weight']);
    expect(stop!.message).toMatch(/follows from what was found at step 1/);
    expect(stop!.message).not.toMatch(/learning rate .* is too high/);
    expect(stop!.fix?.edits[0].path).toEqual(['init', 'weight']);
    expect(findings.filter((f) => f.severity !== 'error').some(onLearningRate)).toBe(false);
  });

  it("an initial loss far above ln C from one layer's own init is blamed on that init, not on inputs already in [-1, 1]", () => {
    const findings = findingsOf('own-init-initial-loss');
    const initial = findings.filter((f) => f.rule === 'initial-loss');
    expect(initial).toHaveLength(1);
    expect(initial[0].path).toEqual(['model', 4, 'init']);
    expect(initial[0].message).toMatch(/model\[4\] multiplies the spread of its input/);
    expect(initial[0].message).not.toMatch(/standardize/i);
    expect(initial[0].fix?.edits).toEqual([{ kind: 'set', path: ['model', 4, 'init'], value: { weight: { type: 'kaiming_normal', nonlinearity: 'relu' } } }]);
  });

  it('with gradient clipping already on, nothing recommends clipping', () => {
    const findings = findingsOf('clipped-exploding-gradients');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.some((f) => f.path[0] === 'training' && f.path[1] === 'clip_grad_norm')).toBe(false);
    expect(JSON.stringify(findings)).not.toMatch(/mitigated using gradient clipping/);
    expect(findings.every((f) => f.path[0] === 'init' || f.path[0] === 'model')).toBe(true);
  });

  it('Xavier with the tanh gain, whose activations settle at a stable scale, gets no "use Xavier" and no finding about the scale', () => {
    const findings = findingsOf('xavier-tanh');
    expect(findings.filter((f) => /activations|saturated|gradients/.test(f.rule))).toEqual([]);
    expect(findings.some((f) => f.fix?.title.includes('Xavier'))).toBe(false);
  });

  it('a converged model is not told to raise its learning rate', () => {
    const findings = findingsOf('converged');
    expect(findings.filter((f) => f.rule === 'update-ratio')).toEqual([]);
    expect(findings.some(onLearningRate)).toBe(false);
  });
});
