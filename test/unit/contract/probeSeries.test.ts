import { describe, expect, it } from 'vitest';
import {
  appendProbeRecords,
  emptyProbeSeries,
  findingMarkers,
  histogramBins,
  histogramCaption,
  paramLabel,
  shortNumber,
  type FindingItem,
} from '../../../contract/probeSeries';
import { appendRecords, emptySeries } from '../../../contract/series';
import type { FindingRecord, MetricRecord, ProbeRecord, StepRecord } from '../../../engine/train/events';
import records from '../../fixtures/runs/spiral-probes.records.json';

const fixture = records as MetricRecord[];
const probes = fixture.filter((r): r is ProbeRecord => r.kind === 'probe');
const findings = fixture.filter((r): r is FindingRecord => r.kind === 'finding');
const steps = fixture.filter((r): r is StepRecord => r.kind === 'step');
const latest = probes[probes.length - 1];

function seriesOf(recs: readonly MetricRecord[], params?: 'weights' | 'all') {
  const s = emptyProbeSeries({ params });
  appendProbeRecords(s, recs);
  return s;
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
    const s = seriesOf(fixture);
    expect(s.probes).toBe(probes.length);
    expect(s.latestStep).toBe(latest.step);
    expect(s.histograms.map(h => [h.index, h.name, h.kind, h.step])).toEqual(latest.layers.map(l => [l.index, l.name, l.kind, latest.step]));
    s.histograms.forEach((h, i) => {
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
    const s = seriesOf(fixture);
    const reluLayers = latest.layers.filter(l => l.kind === 'relu');
    expect(s.deadUnits.map(d => d.key)).toEqual(reluLayers.map(l => String(l.index)));
    expect(s.deadUnits[0].label).toBe(`[${reluLayers[0].index}] ReLU`);
    expect(s.deadUnits[0].points).toEqual(probes.map(p => ({ x: p.step, y: p.layers[reluLayers[0].index].dead })));
    const tanh = latest.layers.find(l => l.kind === 'tanh')!;
    expect(s.saturation.map(d => d.key)).toEqual([String(tanh.index)]);
    expect(s.saturation[0].points.map(p => p.x)).toEqual(probes.map(p => p.step));
  });

  it('gives each weight matrix an update/weight ratio and a gradient-norm line', () => {
    const s = seriesOf(fixture);
    const matrices = latest.params.filter(p => p.shape.length === 2);
    expect(s.updateRatio.map(l => l.key)).toEqual(matrices.map(p => p.name));
    expect(s.updateRatio[0].label).toBe('[0] Linear(2 → 16) weight');
    for (const line of s.updateRatio) {
      expect(line.points).toEqual(probes.map(p => ({ x: p.step, y: p.params.find(q => q.name === line.key)!.update_ratio })));
    }
    expect(s.paramGradNorm.map(l => l.key)).toEqual(matrices.map(p => p.name));
    expect(s.paramGradNorm[1].points.map(p => p.y)).toEqual(probes.map(p => p.params.find(q => q.name === s.paramGradNorm[1].key)!.grad_norm));
    expect(s.totalGradNorm).toEqual(probes.map(p => ({ x: p.step, y: p.total_grad_norm })));
  });

  it("with params 'all', biases too — except where the ratio is undefined (zero-initialized biases at step 1)", () => {
    const s = seriesOf(fixture, 'all');
    expect(s.updateRatio.map(l => l.key).sort()).toEqual(latest.params.map(p => p.name).sort());
    const bias = s.updateRatio.find(l => l.key === '0.bias')!;
    expect(probes[0].params.find(p => p.name === '0.bias')!.update_ratio).toBeUndefined();
    expect(bias.points.map(p => p.x)).toEqual(probes.slice(1).map(p => p.step));
    expect(bias.label).toBe('[0] Linear(2 → 16) bias');
  });

  it('lists the findings in the order they fired', () => {
    const s = seriesOf(fixture);
    expect(s.findings.map(f => [f.step, f.severity, f.rule, f.message])).toEqual(findings.map(f => [f.step, f.severity, f.rule, f.message]));
    expect(s.findings[0].target).toBe(findings[0].target);
    expect(s.findings.map(f => f.fix)).toEqual(findings.map(f => f.fix?.title));
  });

  it('appending in pieces gives the same series as appending at once', () => {
    const whole = seriesOf(fixture);
    const pieces = emptyProbeSeries();
    for (let i = 0; i < fixture.length; i += 5) {
      appendProbeRecords(pieces, fixture.slice(i, i + 5));
    }
    expect(pieces).toEqual(whole);
  });

  it('ignores step and epoch records, and the loss series ignores probes and findings', () => {
    const s = seriesOf(fixture.filter(r => r.kind === 'step' || r.kind === 'epoch'));
    expect(s).toEqual(emptyProbeSeries());
    const loss = emptySeries();
    appendRecords(loss, fixture);
    expect(loss.stepLoss).toHaveLength(steps.length);
  });

  it('leaves out ratios and norms a log axis cannot show', () => {
    const probe: ProbeRecord = {
      ...latest,
      step: 99,
      total_grad_norm: 0,
      layers: latest.layers.map(l => ({ ...l, grad_rms: Number.NaN })),
      params: latest.params.map((p, i) => ({ ...p, update_ratio: [0, Number.NaN, undefined][i % 3], grad_norm: Number.POSITIVE_INFINITY })),
    };
    const s = seriesOf([probe], 'all');
    expect(s.updateRatio).toEqual([]);
    expect(s.paramGradNorm).toEqual([]);
    expect(s.layerGradRms).toEqual([]);
    expect(s.totalGradNorm).toEqual([]);
    expect(s.histograms).toHaveLength(latest.layers.length);
  });
});

describe('finding markers on the loss curve', () => {
  const item = (step: number): FindingItem => ({ rule: 'r', severity: 'warning', step, epoch: 1, message: 'm' });

  it('sits each finding on the mini-batch loss of its step', () => {
    const s = seriesOf(fixture);
    const loss = emptySeries();
    appendRecords(loss, fixture);
    const markers = findingMarkers(s.findings, loss.stepLoss);
    expect(markers.map(m => [m.x, m.y])).toEqual(findings.map(f => [f.step, steps.find(r => r.step === f.step)!.loss]));
    expect(markers[0].finding).toBe(s.findings[0]);
  });

  it('uses the nearest earlier step, the first point for step 0, and nothing without a curve', () => {
    const curve = [
      { x: 1, y: 3 },
      { x: 4, y: 2 },
      { x: 8, y: 1 },
    ];
    expect(findingMarkers([item(0), item(1), item(6), item(20)], curve).map(m => [m.x, m.y])).toEqual([
      [0, 3],
      [1, 3],
      [6, 2],
      [20, 1],
    ]);
    expect(findingMarkers([item(3)], [])).toEqual([]);
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
    const s = seriesOf(fixture);
    const relu = s.histograms.find(h => h.kind === 'relu')!;
    expect(histogramCaption(relu)).toBe(
      `mean ${shortNumber(relu.mean)} · std ${shortNumber(relu.std)} · dead ${relu.dead}/${relu.features} (${Math.round(relu.dead_fraction! * 100)}%)`,
    );
    expect(histogramCaption(s.histograms.find(h => h.kind === 'tanh')!)).toMatch(/ · saturated \d+(\.\d)?%$/);
    expect([shortNumber(0), shortNumber(0.000123), shortNumber(1.23456), shortNumber(-25000)]).toEqual(['0', '1.2e-4', '1.23', '-2.5e+4']);
  });
});
