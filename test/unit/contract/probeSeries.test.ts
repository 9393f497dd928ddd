import { describe, expect, it } from 'vitest';
import {
  findingItem,
  findingMarkers,
  histogramBins,
  histogramCaption,
  latestHistograms,
  namedSeries,
  paramLabel,
  shortNumber,
  type FindingItem,
} from '../../../contract/probeSeries';
import { RunDigest } from '../../../engine/series/digest';
import { F, SeriesSummary } from '../../../engine/series/summary';
import type { FindingRecord, MetricRecord, ProbeRecord, StepRecord } from '../../../engine/train/events';
import records from '../../fixtures/runs/spiral-probes.records.json';

const fixture = records as MetricRecord[];
const probes = fixture.filter((r): r is ProbeRecord => r.kind === 'probe');
const findings = fixture.filter((r): r is FindingRecord => r.kind === 'finding');
const steps = fixture.filter((r): r is StepRecord => r.kind === 'step');
const latest = probes[probes.length - 1];

function digestOf(recs: readonly MetricRecord[]): RunDigest {
  const d = new RunDigest();
  recs.forEach(r => d.addRecord(r));
  return d;
}

/** A series' values, one per bucket (the fixture is small: one point per bucket). */
function points(summary: SeriesSummary): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  summary.forEachIn(0, Infinity, (d, at) => {
    if (d[at + F.COUNT] > 0) out.push({ x: d[at + F.X_LAST], y: d[at + F.LAST] });
  });
  return out;
}

describe('probe series on a real probed run', () => {
  it('the fixture is a real run: probes at init and every few steps, ReLU units dying, findings', () => {
    expect(probes.length).toBeGreaterThanOrEqual(5);
    expect(probes[0].initial).toBe(true);
    expect(findings.length).toBeGreaterThan(0);
    const relu = latest.layers.find(l => l.kind === 'relu')!;
    expect(relu.dead).toBeGreaterThan(0);
  });

  it('keeps the histograms of the latest probe only, one per layer, with bin edges', () => {
    const d = digestOf(fixture);
    expect(d.counts.probes).toBe(probes.length);
    const hs = latestHistograms(d.probe);
    expect(hs.map(h => [h.index, h.name, h.kind, h.step])).toEqual(latest.layers.map(l => [l.index, l.name, l.kind, latest.step]));
    hs.forEach((h, i) => {
      const layer = latest.layers[i];
      expect(h.bins.map(b => b.count)).toEqual(layer.histogram.counts);
      expect(h.bins[0].lo).toBe(layer.histogram.lo);
      expect(h.bins[h.bins.length - 1].hi).toBe(layer.histogram.hi);
      for (let b = 1; b < h.bins.length; b++) {
        expect(h.bins[b].lo).toBe(h.bins[b - 1].hi);
      }
      // Every finite value is in a bin or counted below / above the range.
      expect(h.bins.reduce((sum, b) => sum + b.count, 0) + h.under + h.over).toBe(layer.count);
      expect([h.mean, h.std, h.dead, h.saturated_fraction]).toEqual([layer.mean, layer.std, layer.dead, layer.saturated_fraction]);
    });
  });

  it('follows dead units per ReLU layer and saturation per tanh layer over the probed steps', () => {
    const d = digestOf(fixture);
    const reluLayers = latest.layers.filter(l => l.kind === 'relu');
    const dead = namedSeries(d.series, 'dead');
    expect(dead.map(s => s.key)).toEqual(reluLayers.map(l => `dead/${l.index}`));
    expect(dead[0].label).toBe(`[${reluLayers[0].index}] ReLU`);
    expect(points(dead[0].summary)).toEqual(probes.map(p => ({ x: p.step, y: p.layers[reluLayers[0].index].dead })));
    const tanh = latest.layers.find(l => l.kind === 'tanh')!;
    const saturation = namedSeries(d.series, 'saturation');
    expect(saturation.map(s => s.key)).toEqual([`saturation/${tanh.index}`]);
    expect(points(saturation[0].summary).map(p => p.x)).toEqual(probes.map(p => p.step));
  });

  it('gives each weight matrix an update/weight ratio and a gradient-norm line', () => {
    const d = digestOf(fixture);
    const matrices = latest.params.filter(p => p.shape.length === 2);
    const ratio = namedSeries(d.series, 'update_ratio');
    expect(ratio.map(l => l.key)).toEqual(matrices.map(p => `update_ratio/${p.name}`));
    expect(ratio[0].label).toBe('[0] Linear(2 → 16) weight');
    for (const line of ratio) {
      const name = line.key.slice('update_ratio/'.length);
      expect(points(line.summary)).toEqual(probes.map(p => ({ x: p.step, y: p.params.find(q => q.name === name)!.update_ratio })).filter(p => p.y !== undefined));
    }
    const norms = namedSeries(d.series, 'param_grad_norm');
    expect(norms.map(l => l.key)).toEqual(matrices.map(p => `param_grad_norm/${p.name}`));
    expect(points(d.series.get('total_grad_norm')!)).toEqual(probes.map(p => ({ x: p.step, y: p.total_grad_norm })));
  });

  it('lists the findings in the order they fired', () => {
    const items = digestOf(fixture).findings.map(findingItem);
    expect(items.map(f => [f.step, f.severity, f.rule, f.message])).toEqual(findings.map(f => [f.step, f.severity, f.rule, f.message]));
    expect(items[0].target).toBe(findings[0].target);
    expect(items.map(f => f.fix)).toEqual(findings.map(f => f.fix?.title));
  });

  it('keeps non-finite probe values visible as such instead of dropping them', () => {
    const probe: ProbeRecord = {
      ...latest,
      step: 99,
      total_grad_norm: Number.POSITIVE_INFINITY,
      params: latest.params.map(p => ({ ...p, update_ratio: Number.NaN })),
    };
    const d = digestOf([probe]);
    expect(d.series.get('total_grad_norm')!.bucket(99)).toMatchObject({ count: 0, nonfinite: 1 });
    expect(namedSeries(d.series, 'update_ratio')[0].summary.bucket(99)).toMatchObject({ count: 0, nonfinite: 1 });
  });
});

describe('finding markers on the loss curve', () => {
  const item = (step: number): FindingItem => ({ rule: 'r', severity: 'warning', step, epoch: 1, message: 'm' });

  it('sits each finding on the mini-batch loss of its step', () => {
    const d = digestOf(fixture);
    const items = d.findings.map(findingItem);
    const markers = findingMarkers(items, d.series.get('loss'));
    expect(markers.map(m => [m.x, m.y])).toEqual(findings.map(f => [f.step, steps.find(r => r.step === f.step)!.loss]));
    expect(markers[0].finding).toBe(items[0]);
  });

  it('uses the nearest earlier step, the first point for step 0, and nothing without a curve', () => {
    const curve = new SeriesSummary(64);
    curve.add(1, 3);
    curve.add(4, 2);
    curve.add(8, 1);
    expect(findingMarkers([item(0), item(1), item(6), item(20)], curve).map(m => [m.x, m.y])).toEqual([
      [0, 3],
      [1, 3],
      [6, 2],
      [20, 1],
    ]);
    expect(findingMarkers([item(3)], new SeriesSummary(8))).toEqual([]);
    expect(findingMarkers([item(3)], undefined)).toEqual([]);
  });
});

describe('histogram bins and labels', () => {
  it('splits [lo, hi] into equal bins whose last edge is exactly hi', () => {
    const bins = histogramBins({ lo: -1, hi: 0.5, counts: [1, 2, 3], under: 4, over: 5 });
    expect(bins.map(b => [b.lo, b.hi, b.count])).toEqual([
      [-1, -0.5, 1],
      [-0.5, 0, 2],
      [0, 0.5, 3],
    ]);
    const flat = histogramBins({ lo: 2, hi: 2, counts: [7, 0], under: 0, over: 0 });
    expect(flat.map(b => [b.lo, b.hi])).toEqual([
      [2, 2],
      [2, 2],
    ]);
  });

  it('names parameters by their layer and captions a layer with its numbers', () => {
    const layers = [{ index: 0, name: 'Linear(2 → 16)' }];
    expect(paramLabel({ name: '0.weight' }, layers)).toBe('[0] Linear(2 → 16) weight');
    expect(paramLabel({ name: 'extra' }, layers)).toBe('extra');
    const hs = latestHistograms(digestOf(fixture).probe);
    const relu = hs.find(h => h.kind === 'relu')!;
    expect(histogramCaption(relu)).toBe(
      `mean ${shortNumber(relu.mean)} · std ${shortNumber(relu.std)} · dead ${relu.dead}/${relu.features} (${Math.round(relu.dead_fraction! * 100)}%)`,
    );
    expect(histogramCaption(hs.find(h => h.kind === 'tanh')!)).toMatch(/ · saturated \d+(\.\d)?%$/);
    expect([shortNumber(0), shortNumber(0.000123), shortNumber(1.23456), shortNumber(-25000)]).toEqual(['0', '1.2e-4', '1.23', '-2.5e+4']);
  });
});
