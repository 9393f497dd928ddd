/**
 * Pure transforms from a run's probe and finding records to what the "Inside the network" views
 * draw: the latest activation histogram per layer, dead ReLU units, update/weight ratios and
 * gradient norms over steps, and the diagnostics as markers. Like series.ts: no DOM, no chart.js,
 * appended in place (the webview keeps one ProbeSeries per run and feeds it records as they come).
 */
import type { Finding, Severity } from '../engine/diagnostics/finding';
import type { Histogram, LayerProbe, LayerRole, ParamProbe, ProbeRecord } from '../engine/probes/record';
import type { MetricRecord } from '../engine/train/events';
import type { Point } from './series';

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

/** One line of a chart with a line per layer or per parameter. */
export interface NamedSeries {
  /** Stable identity: the layer index ("3") or the parameter name ("2.weight"). */
  key: string;
  /** What the legend says. */
  label: string;
  points: Point[];
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
}

/** Which parameter tensors get a line in the per-parameter charts. */
export type ParamSelection = 'weights' | 'all';

export interface ProbeSeriesOptions {
  /**
   * 'weights' (default): only tensors of two or more dimensions — the weight matrices the course
   * notes plot; biases and normalization scales are vectors whose ratios say little. 'all': every
   * parameter.
   */
  params?: ParamSelection;
}

export interface ProbeSeries {
  readonly params: ParamSelection;
  /** Probe records seen. */
  probes: number;
  /** Step of the latest probe, and the layers' histograms at it. */
  latestStep: number | undefined;
  histograms: LayerHistogram[];
  /** Dead units over steps, one line per ReLU layer (y = count of dead units). */
  deadUnits: NamedSeries[];
  /** Saturated fraction over steps, one line per tanh / sigmoid layer. */
  saturation: NamedSeries[];
  /** ‖Δθ‖/‖θ‖ over steps per parameter; only positive finite ratios (the chart's y axis is logarithmic). */
  updateRatio: NamedSeries[];
  /** ‖∇θ‖ over steps per parameter (positive, finite). */
  paramGradNorm: NamedSeries[];
  /** RMS of ∂loss/∂output over steps per layer, when the loop hands the probes layer gradients. */
  layerGradRms: NamedSeries[];
  /** ‖∇‖ over all parameters (torch's clip_grad_norm_ total) over steps. */
  totalGradNorm: Point[];
  /** Every finding, in the order they fired. */
  findings: FindingItem[];
}

export function emptyProbeSeries(options: ProbeSeriesOptions = {}): ProbeSeries {
  return {
    params: options.params ?? 'weights',
    probes: 0,
    latestStep: undefined,
    histograms: [],
    deadUnits: [],
    saturation: [],
    updateRatio: [],
    paramGradNorm: [],
    layerGradRms: [],
    totalGradNorm: [],
    findings: [],
  };
}

/** Appends records to `series` in place; kinds other than probe and finding are ignored. */
export function appendProbeRecords(series: ProbeSeries, records: readonly MetricRecord[]): void {
  for (const record of records) {
    if (record.kind === 'probe') {
      appendProbe(series, record);
    } else if (record.kind === 'finding') {
      series.findings.push(findingItem(record));
    }
  }
}

function appendProbe(series: ProbeSeries, r: ProbeRecord): void {
  series.probes++;
  series.latestStep = r.step;
  series.histograms = r.layers.map(layer => layerHistogram(layer, r.step));
  for (const layer of r.layers) {
    const key = String(layer.index);
    const label = layerLabel(layer);
    if (layer.dead !== undefined) {
      pushPoint(series.deadUnits, key, label, r.step, layer.dead);
    }
    if (layer.saturated_fraction !== undefined) {
      pushPoint(series.saturation, key, label, r.step, layer.saturated_fraction);
    }
    if (isPositive(layer.grad_rms)) {
      pushPoint(series.layerGradRms, key, label, r.step, layer.grad_rms);
    }
  }
  for (const param of r.params) {
    if (series.params === 'weights' && param.shape.length < 2) {
      continue;
    }
    const label = paramLabel(param, r.layers);
    if (isPositive(param.update_ratio)) {
      pushPoint(series.updateRatio, param.name, label, r.step, param.update_ratio);
    }
    if (isPositive(param.grad_norm)) {
      pushPoint(series.paramGradNorm, param.name, label, r.step, param.grad_norm);
    }
  }
  if (isPositive(r.total_grad_norm)) {
    series.totalGradNorm.push({ x: r.step, y: r.total_grad_norm });
  }
}

/** A log axis cannot show 0, and JSON cannot carry NaN: such values leave a gap in the line. */
function isPositive(v: number | undefined): v is number {
  return v !== undefined && Number.isFinite(v) && v > 0;
}

function pushPoint(lines: NamedSeries[], key: string, label: string, x: number, y: number): void {
  let line = lines.find(l => l.key === key);
  if (!line) {
    line = { key, label, points: [] };
    lines.push(line);
  }
  line.points.push({ x, y });
}

/** "[2] ReLU": the index tells apart layers with the same description. */
export function layerLabel(layer: Pick<LayerProbe, 'index' | 'name'>): string {
  return `[${layer.index}] ${layer.name}`;
}

/** "Linear(2 → 64) weight" for the torch key "0.weight" (the key as it is when no layer matches). */
export function paramLabel(param: Pick<ParamProbe, 'name'>, layers: readonly Pick<LayerProbe, 'index' | 'name'>[]): string {
  const dot = param.name.lastIndexOf('.');
  const index = Number(param.name.slice(0, dot));
  const layer = dot > 0 && Number.isInteger(index) ? layers.find(l => l.index === index) : undefined;
  return layer ? `${layerLabel(layer)} ${param.name.slice(dot + 1)}` : param.name;
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

function findingItem(f: Finding): FindingItem {
  const item: FindingItem = { rule: f.rule, severity: f.severity, step: f.step, epoch: f.epoch, message: f.message };
  if (f.target !== undefined) {
    item.target = f.target;
  }
  if (f.fix !== undefined) {
    item.fix = f.fix.title;
  }
  return item;
}

/** A finding placed on the loss chart: at its step, at the mini-batch loss of that step. */
export interface FindingMarker extends Point {
  finding: FindingItem;
}

/**
 * Where each finding sits on a loss curve (x = step, ascending): at the loss of the step it fired
 * at, else of the nearest step before it (an epoch finding fires at the epoch's last step; a
 * finding of step 0, before training, sits at the first point). None without a curve.
 */
export function findingMarkers(findings: readonly FindingItem[], loss: readonly Point[]): FindingMarker[] {
  if (loss.length === 0) {
    return [];
  }
  return findings.map(finding => {
    const at = lastAtOrBefore(loss, finding.step);
    const y = loss[Math.max(at, 0)].y;
    return { x: finding.step, y: Number.isFinite(y) ? y : 0, finding };
  });
}

/** Index of the last point with x ≤ `x` (binary search), −1 when all are after it. */
function lastAtOrBefore(points: readonly Point[], x: number): number {
  let lo = 0;
  let hi = points.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid].x <= x) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
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

/** Short number for captions and axis labels: 3 significant digits, exponent when very small or large. */
export function shortNumber(v: number): string {
  if (!Number.isFinite(v)) {
    return String(v);
  }
  if (v === 0) {
    return '0';
  }
  const a = Math.abs(v);
  return a < 1e-3 || a >= 1e4 ? v.toExponential(1) : String(+v.toPrecision(3));
}

function percent(fraction: number): string {
  const p = fraction * 100;
  return `${p > 0 && p < 1 ? p.toFixed(1) : Math.round(p)}%`;
}
