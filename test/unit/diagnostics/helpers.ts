/** Synthetic runs for the diagnostic rules: contexts, probe records and observation streams. */
import type { RunContext } from '../../../engine/diagnostics/context';
import { Diagnostician } from '../../../engine/diagnostics/diagnostician';
import type { Finding } from '../../../engine/diagnostics/finding';
import type { Histogram, LayerProbe, LayerRole, ParamProbe, ProbeRecord } from '../../../engine/probes/record';

/** A 3-class ReLU MLP trained with SGD at lr 0.1: model [linear 64, relu, linear 64, relu, linear]. */
export function context(overrides: Partial<RunContext> = {}): RunContext {
  return {
    task: 'classification',
    expectedInitialLoss: Math.log(3),
    layers: [
      { index: 0, kind: 'linear', outFeatures: 64 },
      { index: 1, kind: 'relu' },
      { index: 2, kind: 'linear', outFeatures: 64 },
      { index: 3, kind: 'relu' },
      { index: 4, kind: 'linear' },
    ],
    optimizer: { type: 'sgd', lr: 0.1, lrPath: ['optimizer', 'lr'], weightDecay: 0, weightDecayPath: ['optimizer', 'weight_decay'] },
    data: { type: 'spiral' },
    initWeight: 'default',
    clipping: false,
    ...overrides,
  };
}

/** A deep model of `depth` hidden layers of `kind`. */
export function deepContext(kind: string, depth: number, overrides: Partial<RunContext> = {}): RunContext {
  const layers: RunContext['layers'][number][] = [];
  for (let i = 0; i < depth; i++) {
    layers.push({ index: 2 * i, kind: 'linear', outFeatures: 32 });
    layers.push({ index: 2 * i + 1, kind });
  }
  layers.push({ index: 2 * depth, kind: 'linear' });
  return context({ layers, ...overrides });
}

const EMPTY_HISTOGRAM: Histogram = { lo: 0, hi: 0, counts: [0], under: 0, over: 0 };

export function layer(index: number, kind: string, role: LayerRole, extra: Partial<LayerProbe> = {}): LayerProbe {
  return {
    index,
    name: kind === 'linear' ? 'Linear(32 → 32)' : kind === 'relu' ? 'ReLU' : kind,
    kind,
    role,
    features: 32,
    count: 32 * 32,
    nonfinite: 0,
    mean: 0,
    std: 1,
    min: -1,
    max: 1,
    percentiles: [0, 0, 0, 0, 0, 0, 0],
    histogram: EMPTY_HISTOGRAM,
    ...extra,
  };
}

export function param(name: string, shape: number[], extra: Partial<ParamProbe> = {}): ParamProbe {
  return { name, shape, norm: 1, grad_norm: 0.1, histogram: EMPTY_HISTOGRAM, nonfinite: 0, grad_nonfinite: 0, ...extra };
}

export function probe(step: number, layers: LayerProbe[], params: ParamProbe[] = [], extra: Partial<ProbeRecord> = {}): ProbeRecord {
  const record: ProbeRecord = { kind: 'probe', step, epoch: 1, rows: 32, lr: 0.1, total_grad_norm: 1, layers, params, ...extra };
  if (step === 1) record.initial = true;
  return record;
}

/** Layers of a deep model (see deepContext) with the given activation stds and optional gradient RMS. */
export function deepLayers(kind: string, stds: readonly number[], gradRms?: readonly number[]): LayerProbe[] {
  const layers: LayerProbe[] = [];
  stds.forEach((std, i) => {
    layers.push(layer(2 * i, 'linear', 'pre-activation', { std: std * 2 }));
    const extra: Partial<LayerProbe> = { std };
    if (gradRms) extra.grad_rms = gradRms[i];
    layers.push(layer(2 * i + 1, kind, 'activation', extra));
  });
  layers.push(layer(2 * stds.length, 'linear', 'output', { features: 3 }));
  return layers;
}

/** Feeds step losses 1..n to a fresh Diagnostician; returns it and every finding. */
export function runLosses(losses: readonly number[], ctx: RunContext = context(), thresholds = {}): { d: Diagnostician; findings: Finding[] } {
  const d = new Diagnostician(ctx, { thresholds });
  const findings: Finding[] = [];
  losses.forEach((loss, i) => findings.push(...d.step(i + 1, 1, loss)));
  return { d, findings };
}

/** Feeds probe records (each after its step loss of 1.0) to a fresh Diagnostician. */
export function runProbes(probes: readonly ProbeRecord[], ctx: RunContext = context(), thresholds = {}, lossAt: (step: number) => number = () => 1.0): Finding[] {
  const d = new Diagnostician(ctx, { thresholds });
  const findings: Finding[] = [];
  for (const p of probes) {
    findings.push(...d.step(p.step, p.epoch, lossAt(p.step)));
    findings.push(...d.probe(p));
  }
  return findings;
}

export function ofRule(findings: readonly Finding[], rule: string): Finding[] {
  return findings.filter((f) => f.rule === rule);
}
