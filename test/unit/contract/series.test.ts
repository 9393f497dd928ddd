import { describe, expect, it } from 'vitest';
import { appendRecords, downsample, emptySeries, formatMetric, lastEpoch, lastStep } from '../../../contract/series';
import type { MetricRecord } from '../../../engine/train/events';
import records from '../../fixtures/runs/spiral-3-epochs.records.json';

const fixture = records as MetricRecord[];

describe('run series (what the dashboards draw)', () => {
  it('splits a real record stream into step and epoch series', () => {
    const s = emptySeries();
    appendRecords(s, fixture);
    const steps = fixture.filter(r => r.kind === 'step');
    const epochs = fixture.filter(r => r.kind === 'epoch');
    expect(s.stepLoss).toHaveLength(steps.length);
    expect(s.trainLoss).toHaveLength(epochs.length);
    expect(s.valLoss).toHaveLength(epochs.length);
    expect(s.trainAccuracy.map(p => p.y)).toEqual(epochs.map(e => (e.kind === 'epoch' ? e.train_accuracy : NaN)));
    // Epoch points sit at the global step where the epoch ended, on the same x axis as the steps.
    expect(s.trainLoss.map(p => p.x)).toEqual(epochs.map(e => e.step));
  });

  it('appending in pieces gives the same series as appending at once', () => {
    const whole = emptySeries();
    appendRecords(whole, fixture);
    const pieces = emptySeries();
    for (let i = 0; i < fixture.length; i += 7) {
      appendRecords(pieces, fixture.slice(i, i + 7));
    }
    expect(pieces).toEqual(whole);
  });

  it('keeps only the changes of a constant learning rate', () => {
    const s = emptySeries();
    appendRecords(s, fixture);
    expect(s.learningRate.length).toBe(2);
    expect(s.learningRate[1].x).toBe(lastStep(fixture)!.step);
    const changing: MetricRecord[] = [1, 2, 3, 4].map(step => ({ kind: 'step', step, epoch: 1, loss: 1, lr: step < 3 ? 0.1 : 0.01 }));
    const t = emptySeries();
    appendRecords(t, changing);
    expect(t.learningRate.map(p => [p.x, p.y])).toEqual([
      [1, 0.1],
      [2, 0.1],
      [3, 0.01],
      [4, 0.01],
    ]);
  });

  it('follows the momentum when the optimizer has one, and stays empty otherwise', () => {
    const s = emptySeries();
    appendRecords(s, fixture);
    expect(s.momentum).toEqual([]);
    const cycling: MetricRecord[] = [1, 2, 3].map(step => ({ kind: 'step', step, epoch: 1, loss: 1, lr: 0.1, momentum: 0.95 - 0.05 * step }));
    appendRecords(s, cycling);
    expect(s.momentum.map(p => p.y)).toEqual([0.9, 0.85, 0.8].map(v => expect.closeTo(v, 12)));
  });

  it('finds the latest epoch and step', () => {
    expect(lastEpoch(fixture)?.epoch).toBe(3);
    expect(lastStep(fixture)?.step).toBe(fixture.filter(r => r.kind === 'step').length);
    expect(lastEpoch([])).toBeUndefined();
  });

  it('downsamples to bucket means, keeping both ends', () => {
    const pts = Array.from({ length: 1000 }, (_, i) => ({ x: i, y: i % 2 }));
    const d = downsample(pts, 102);
    expect(d).toHaveLength(102);
    expect(d[0]).toEqual(pts[0]);
    expect(d[d.length - 1]).toEqual(pts[999]);
    // 998 inner points in 100 buckets of 9 or 10 alternating 0/1 values: means within 1/18 of 0.5.
    for (const p of d.slice(1, -1)) {
      expect(Math.abs(p.y - 0.5)).toBeLessThanOrEqual(1 / 18 + 1e-12);
    }
    expect(downsample(pts.slice(0, 10), 100)).toHaveLength(10);
  });

  it('formats headline numbers', () => {
    expect(formatMetric(undefined)).toBe('–');
    expect(formatMetric(NaN)).toBe('NaN');
    expect(formatMetric(0.123456)).toBe('0.1235');
    expect(formatMetric(0.9876, 'accuracy')).toBe('98.8%');
    expect(formatMetric(0.0003, 'lr')).toBe('3.0e-4');
    expect(formatMetric(0.01, 'lr')).toBe('0.01');
    expect(formatMetric(12345.6)).toBe('1.23e+4');
  });
});
