/**
 * The run digest on real record streams: which series the records feed, that deltas sent in any
 * grouping rebuild the same digest, and the number formatting the views share.
 */
import { describe, expect, it } from 'vitest';
import { formatMetric } from '../../../contract/format';
import { DigestFeed, RunDigest, mergeDeltas, type DigestDelta } from '../../../engine/series/digest';
import { F, FIELDS } from '../../../engine/series/summary';
import { seriesGroup } from '../../../engine/series/recordSeries';
import type { EpochRecord, MetricRecord, StepRecord } from '../../../engine/train/events';
import records from '../../fixtures/runs/spiral-3-epochs.records.json';
import probed from '../../fixtures/runs/spiral-probes.records.json';

const fixture = records as MetricRecord[];
const withProbes = probed as MetricRecord[];

function digestOf(recs: readonly MetricRecord[]): RunDigest {
  const d = new RunDigest();
  recs.forEach(r => d.addRecord(r));
  return d;
}

/** Every finite value of a series, bucket by bucket: (count, min, max). */
function stats(d: RunDigest, key: string): [number, number, number][] {
  const out: [number, number, number][] = [];
  d.series.get(key)!.forEachIn(0, Infinity, (data, at) => out.push([data[at + F.COUNT], data[at + F.MIN], data[at + F.MAX]]));
  return out;
}

describe('run digest (what the dashboards draw)', () => {
  it('splits a real record stream into step and epoch series at the global step', () => {
    const d = digestOf(fixture);
    const steps = fixture.filter((r): r is StepRecord => r.kind === 'step');
    const epochs = fixture.filter((r): r is EpochRecord => r.kind === 'epoch');
    expect(d.counts).toMatchObject({ steps: steps.length, epochs: epochs.length });
    // Few enough points for one bucket per step: exact.
    expect(stats(d, 'loss')).toEqual(steps.map(s => [1, s.loss, s.loss]));
    expect(stats(d, 'train_loss')).toEqual(epochs.map(e => [1, e.train_loss, e.train_loss]));
    expect(d.series.get('val_accuracy')!.lastValue()).toEqual({ x: epochs.at(-1)!.step, y: epochs.at(-1)!.val_accuracy });
    expect(d.lastStep).toEqual(steps.at(-1));
    expect(d.lastEpoch).toEqual(epochs.at(-1));
    expect(d.step).toBe(steps.at(-1)!.step);
  });

  it('a constant learning rate is one value over the whole run', () => {
    const d = digestOf(fixture);
    const r = d.series.get('lr')!.range()!;
    expect(r.min).toBe(r.max);
  });

  it('deltas taken at any moment, merged or not, rebuild the digest', () => {
    const whole = digestOf(withProbes);
    for (const every of [1, 3, 17, 1000]) {
      const feed = new DigestFeed(() => 42);
      const receiver = new RunDigest();
      let merged: DigestDelta | undefined;
      withProbes.forEach((r, i) => {
        feed.addRecord(r);
        if ((i + 1) % every === 0) {
          feed.stamp();
          const delta = feed.take()!;
          // Every other delta is held back and merged with the next, as a busy host does.
          merged = merged ? mergeDeltas(merged, delta) : delta;
          if (i % 2 === 0) {
            receiver.apply(merged);
            merged = undefined;
          }
        }
      });
      feed.stamp();
      const last = feed.take();
      if (merged) receiver.apply(merged);
      if (last) receiver.apply(last);
      expect(receiver.snapshot()).toEqual({ ...whole.snapshot(), madeAt: 42 });
    }
  });

  it('deltas merged while a page is busy join the bucket they split: fewer pieces, the same digest', () => {
    // A long run: the bucket width grows to many steps, and every take splits the bucket it is in.
    const steps: StepRecord[] = Array.from({ length: 200_000 }, (_, i) => ({ kind: 'step', step: i + 1, epoch: 1, loss: Math.sin(i / 500) + 1.5 + (i % 97 === 0 ? 40 : 0), lr: 0.1 }));
    const whole = digestOf(steps);
    const feed = new DigestFeed(() => 7);
    const receiver = new RunDigest();
    let merged: DigestDelta | undefined;
    let parts = 0;
    let pieces = 0;
    let sentApart = 0;
    let sentJoined = 0;
    steps.forEach((r, i) => {
      feed.addRecord(r);
      if ((i + 1) % 61 !== 0) return;
      feed.stamp();
      const delta = feed.take()!;
      pieces += delta.series.find(s => s.key === 'loss')!.pieces.length;
      merged = merged ? mergeDeltas(merged, delta) : delta;
      if (++parts === 6) {
        const joined = merged.series.find(s => s.key === 'loss')!.pieces.length;
        expect(joined).toBeLessThanOrEqual(pieces);
        if (i > 150_000) {
          // Buckets of 128 steps by now: a delta of 61 steps is one or two pieces.
          sentApart += pieces;
          sentJoined += joined;
        }
        receiver.apply(merged);
        merged = undefined;
        parts = 0;
        pieces = 0;
      }
    });
    if (merged) receiver.apply(merged);
    feed.stamp();
    const last = feed.take();
    if (last) receiver.apply(last);
    // Exact but for the sums' rounding: (a + b) + c against a + (b + c).
    const got = receiver.series.get('loss')!.packed();
    const want = whole.series.get('loss')!.packed();
    expect(got.length).toBe(want.length);
    got.forEach((v, i) => (i % FIELDS === F.SUM ? expect(v).toBeCloseTo(want[i], 9) : expect(v).toBe(want[i])));
    expect(receiver.counts).toEqual(whole.counts);
    // Once buckets span many steps, six deltas carry about what one does.
    expect(sentJoined).toBeLessThan(0.5 * sentApart);
  });

  it('a snapshot for a page that draws only some series (the side view) holds just those, and every latest record', () => {
    const d = digestOf(withProbes);
    const curves = d.snapshot((key) => seriesGroup(key) === 'step' || seriesGroup(key) === 'epoch');
    expect(curves.series.map((s) => s.key).sort()).toEqual(d.series.keys().filter((k) => !k.includes('/') && k !== 'total_grad_norm').sort());
    expect(curves.series.length).toBeLessThan(d.snapshot().series.length);
    const { series: _a, ...latest } = curves;
    const { series: _b, ...all } = d.snapshot();
    expect(latest).toEqual(all);
  });

  it('probe records feed one series per ReLU, tanh layer and weight matrix, labelled', () => {
    const d = digestOf(withProbes);
    const keys = d.series.keys();
    expect(keys.filter(k => k.startsWith('dead/')).length).toBeGreaterThan(0);
    expect(keys.filter(k => k.startsWith('saturation/')).length).toBe(1);
    expect(d.series.label('update_ratio/0.weight')).toBe('[0] Linear(2 → 16) weight');
    expect(keys).not.toContain('update_ratio/0.bias');
    expect(d.probe).toEqual(withProbes.filter(r => r.kind === 'probe').at(-1));
    expect(d.findings).toEqual(withProbes.filter(r => r.kind === 'finding'));
  });

  it('a NaN loss (its finding: the step has no record) is kept in the loss series, as non-finite', () => {
    const d = digestOf([
      { kind: 'step', step: 1, epoch: 1, loss: 1, lr: 0.1 },
      { kind: 'finding', rule: 'nan-loss', severity: 'error', step: 2, epoch: 1, headline: 'what was seen', message: 'The loss became Infinity at step 2. ...', path: ['optimizer', 'lr'] },
    ]);
    expect(d.series.get('loss')!.bucket(2)).toMatchObject({ count: 0, nonfinite: 1, xNonfinite: 2 });
  });
});

describe('formatMetric', () => {
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
