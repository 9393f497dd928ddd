/**
 * Pure transforms from a run's digest (engine/series/digest.ts) to what the "Inside the network"
 * views draw: the latest activation histogram per layer (from the latest probe), the lines of the
 * charts over steps (dead ReLU units, saturation, update/weight ratios, gradient norms: series of
 * the digest, one per layer or weight matrix), and the findings as a list and as markers. No DOM,
 * no chart.js.
 */
import type { Finding, Severity } from '../engine/diagnostics/finding';
import type { Histogram, LayerProbe, LayerRole } from '../engine/probes/record';
import { layerLabel, paramLabel, type ProbeSeriesPrefix } from '../engine/series/recordSeries';
import type { SeriesSet } from '../engine/series/seriesSet';
import { F, type SeriesSummary } from '../engine/series/summary';
import { shortNumber } from './format';

export { layerLabel, paramLabel, shortNumber };

/** The course notes' healthy update/weight ratio: updates about a thousandth of the weights. */
export const UPDATE_RATIO_REFERENCE = 1e-3;

/** One histogram bin with its edges: values in [lo, hi) (the last bin includes hi). */
export interface HistogramBin {
  lo: number;
  hi: number;
  count: number;
}

/** One layer's output distribution at one probe, ready to draw as bars. */
export interface LayerHistogram {
  /** Position in the model (["model", index]). */
  index: number;
  /** "Linear(2 → 64)", "ReLU", ... */
  name: string;
  /** The experiment's layer type. */
  kind: string;
  role: LayerRole;
  features: number;
  /** The probe it comes from. */
  step: number;
  bins: HistogramBin[];
  /** Values below the first / above the last edge (activations are binned over their 1st–99th percentiles). */
  under: number;
  over: number;
  /** Finite values summarized, and the non-finite ones left out. */
  count: number;
  nonfinite: number;
  mean: number;
  std: number;
  /** ReLU layers: units zero over the whole probe batch. */
  dead?: number;
  dead_fraction?: number;
  /** tanh / sigmoid layers. */
  saturated_fraction?: number;
}

/** A diagnostic as the dashboard lists and marks it. */
export interface FindingItem {
  rule: string;
  severity: Severity;
  step: number;
  epoch: number;
  message: string;
  /** The layer or parameter it is about, when the rule names one. */
  target?: string;
  /** The title of its quick fix (applied from the experiment file), when it has one. */
  fix?: string;
  /** Its details: per-layer evidence and the consequences folded into it. */
  notes?: string[];
}

/** The histogram of a layer's output with each bin's edges (see Histogram in engine/probes/record.ts). */
export function layerHistogram(layer: LayerProbe, step: number): LayerHistogram {
  const h: LayerHistogram = {
    index: layer.index,
    name: layer.name,
    kind: layer.kind,
    role: layer.role,
    features: layer.features,
    step,
    bins: histogramBins(layer.histogram),
    under: layer.histogram.under,
    over: layer.histogram.over,
    count: layer.count,
    nonfinite: layer.nonfinite,
    mean: layer.mean,
    std: layer.std,
  };
  if (layer.dead !== undefined) {
    h.dead = layer.dead;
  }
  if (layer.dead_fraction !== undefined) {
    h.dead_fraction = layer.dead_fraction;
  }
  if (layer.saturated_fraction !== undefined) {
    h.saturated_fraction = layer.saturated_fraction;
  }
  return h;
}

/** Bin i covers [lo + i·w, lo + (i+1)·w), w = (hi − lo)/bins; the last edge is exactly hi. */
export function histogramBins(h: Histogram): HistogramBin[] {
  const n = h.counts.length;
  const width = n > 0 ? (h.hi - h.lo) / n : 0;
  return h.counts.map((count, i) => ({ lo: h.lo + i * width, hi: i === n - 1 ? h.hi : h.lo + (i + 1) * width, count }));
}

export function findingItem(f: Finding): FindingItem {
  const item: FindingItem = { rule: f.rule, severity: f.severity, step: f.step, epoch: f.epoch, message: f.message };
  if (f.target !== undefined) {
    item.target = f.target;
  }
  if (f.fix !== undefined) {
    item.fix = f.fix.title;
  }
  if (f.related?.length) {
    item.notes = f.related.map((n) => n.message);
  }
  return item;
}

/** One line of a chart with a line per layer or per weight matrix: a series of the digest. */
export interface NamedSeries {
  /** The digest's series key ("dead/1", "update_ratio/0.weight"). */
  key: string;
  /** What the legend says ("[1] ReLU", "[0] Linear(2 → 64) weight"). */
  label: string;
  summary: SeriesSummary;
}

/** The series of one probe quantity, one per layer or weight matrix, in the order first seen. */
export function namedSeries(series: SeriesSet, prefix: ProbeSeriesPrefix): NamedSeries[] {
  const out: NamedSeries[] = [];
  for (const key of series.keys()) {
    if (!key.startsWith(`${prefix}/`)) {
      continue;
    }
    out.push({ key, label: series.label(key) ?? key.slice(prefix.length + 1), summary: series.get(key)! });
  }
  return out;
}

/** The latest probe's histograms, one per layer. */
export function latestHistograms(probe: { step: number; layers: readonly LayerProbe[] } | undefined): LayerHistogram[] {
  return probe ? probe.layers.map(layer => layerHistogram(layer, probe.step)) : [];
}

/** A finding placed on the loss chart: at its step, at the mini-batch loss there. */
export interface FindingMarker {
  x: number;
  y: number;
  finding: FindingItem;
}

/**
 * Where each finding sits on the loss curve: at its step, at the loss of the bucket holding that
 * step (its last value up to the step, else its first), else of the nearest bucket before it; a
 * finding of step 0, before training, sits at the first value. None without a curve.
 */
export function findingMarkers(findings: readonly FindingItem[], loss: SeriesSummary | undefined): FindingMarker[] {
  if (!loss || loss.range() === undefined) {
    return [];
  }
  return findings.map(finding => ({ x: finding.step, y: lossNear(loss, finding.step), finding }));
}

function lossNear(loss: SeriesSummary, step: number): number {
  for (let i = Math.min(loss.indexOf(step), loss.length - 1); i >= 0; i--) {
    const b = loss.bucket(i);
    if (b && b.count > 0 && b.xFirst <= step) {
      return b.xLast <= step ? b.last : b.first;
    }
  }
  // Before the first value (a finding at step 0): the first value.
  let first: number | undefined;
  loss.forEachIn(0, Infinity, (d, at) => {
    if (first === undefined && d[at + F.COUNT] > 0) {
      first = d[at + F.FIRST];
    }
  });
  return first ?? 0;
}

/** A histogram's caption: "mean 0.41 · std 0.62 · dead 3/64 (5%)". */
export function histogramCaption(h: LayerHistogram): string {
  const parts = [`mean ${shortNumber(h.mean)}`, `std ${shortNumber(h.std)}`];
  if (h.dead !== undefined) {
    parts.push(`dead ${h.dead}/${h.features}${h.dead_fraction !== undefined ? ` (${percent(h.dead_fraction)})` : ''}`);
  }
  if (h.saturated_fraction !== undefined) {
    parts.push(`saturated ${percent(h.saturated_fraction)}`);
  }
  if (h.nonfinite > 0) {
    parts.push(`${h.nonfinite} NaN/Inf`);
  }
  return parts.join(' · ');
}

function percent(fraction: number): string {
  const p = fraction * 100;
  return `${p > 0 && p < 1 ? p.toFixed(1) : Math.round(p)}%`;
}
