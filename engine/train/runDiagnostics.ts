import type { Task } from '../core/task';
import type { JsonPath } from '../core/errors';
import { RULES } from '../diagnostics/catalogue';
import type { ContextLayer, RunContext } from '../diagnostics/context';
import { Diagnostician } from '../diagnostics/diagnostician';
import { findingKey, type Finding, type Severity } from '../diagnostics/finding';
import type { EpochObservation } from '../diagnostics/observations';
import type { DiagnosticRule } from '../diagnostics/rule';
import type { DiagnosticsSpec } from '../diagnostics/settings';
import type { ExperimentSpec } from '../experiment/sections';
import type { ProbeRecord } from '../probes/record';
import type { FindingCounts, FindingRecord, RunHeader } from './events';

/**
 * What a checkpoint keeps of the diagnostics (JSON): what the rules look back on — the first loss,
 * the window of recent losses, the epochs, the recent probes — and which findings were reported,
 * so that a resumed run neither repeats a finding nor misses one the original run would report.
 */
export interface DiagnosticsState {
  initial?: { step: number; loss: number };
  /** The latest step losses, oldest first; the first is of step `first_step`. */
  losses: { first_step: number; values: number[] };
  /** The epoch of the latest observation. */
  epoch: number;
  epochs: EpochObservation[];
  probes: ProbeRecord[];
  initial_probe?: ProbeRecord;
  /** The findings reported so far, whole (older checkpoints: only their rule, target and severity). */
  reported: (Finding | { rule: string; target?: string; severity: Severity })[];
}

/**
 * The session's diagnostics: a Diagnostician over the run's experiment, fed every step loss, probe
 * and epoch record; its findings come back as records. Each rule reports each target once per run,
 * also across a checkpoint and resume (see `stateDict`).
 */
export class RunDiagnostics {
  private readonly diagnostician: Diagnostician;
  /** Off while a resumed run's observations are replayed: the rules then see, but do not report. */
  private armed = true;
  private readonly reported = new Map<string, Finding | { rule: string; target?: string; severity: Severity }>();
  private initial: DiagnosticsState['initial'];
  private stop: Finding | undefined;

  constructor(spec: ExperimentSpec, settings: DiagnosticsSpec | undefined, header: Pick<RunHeader, 'task' | 'expectedInitialLoss'>, inputScale?: RunContext['inputScale']) {
    const context = runContextFromSpec(spec, header);
    if (inputScale) context.inputScale = inputScale;
    const rules = RULES.map((rule): DiagnosticRule => ({ ...rule, check: (obs, t) => (this.armed ? rule.check(obs, t) : []) }));
    this.diagnostician = new Diagnostician(context, { thresholds: settings?.thresholds, disabled: settings?.disabled ?? [], rules });
  }

  /** A step's mini-batch loss (also a NaN one: that is what the nan-loss rule looks for). */
  step(step: number, epoch: number, loss: number): FindingRecord[] {
    if (this.initial === undefined) this.initial = { step, loss };
    return this.records(this.diagnostician.step(step, epoch, loss));
  }

  /** A probe record, after its step's loss. */
  probe(record: ProbeRecord): FindingRecord[] {
    return this.records(this.diagnostician.probe(record));
  }

  /** An end-of-epoch evaluation. */
  epoch(record: EpochObservation): FindingRecord[] {
    return this.records(this.diagnostician.epoch(record));
  }

  /** The error finding that ends the run, once one has been reported. */
  get stopFinding(): Finding | undefined {
    return this.stop;
  }

  /** Findings reported so far in the run (before a resume too), by severity. */
  counts(): FindingCounts {
    const counts: FindingCounts = { error: 0, warning: 0, info: 0 };
    for (const { severity } of this.reported.values()) counts[severity]++;
    return counts;
  }

  stateDict(): DiagnosticsState {
    const obs = this.diagnostician.observations;
    const window = obs.losses;
    const values: number[] = [];
    for (let i = 0; i < window.size; i++) values.push(window.at(i));
    const state: DiagnosticsState = {
      losses: { first_step: window.firstStep, values },
      epoch: obs.epoch,
      epochs: obs.epochs.map((e) => ({ ...e })),
      probes: [...obs.probes],
      reported: [...this.reported.values()].map((r) => structuredClone(r)),
    };
    if (this.initial) state.initial = { ...this.initial };
    if (obs.initialProbe) state.initial_probe = obs.initialProbe;
    return state;
  }

  /**
   * Restores a `stateDict()` into a fresh instance: replays the observations with the rules
   * silenced (the Diagnostician then holds what it held when the state was taken) and remembers
   * the findings reported before.
   */
  loadStateDict(state: DiagnosticsState): void {
    this.armed = false;
    try {
      for (const epoch of state.epochs) this.diagnostician.epoch(epoch);
      const { initial_probe: initialProbe, probes } = state;
      if (initialProbe && !probes.some((p) => p.step === initialProbe.step)) this.diagnostician.probe(initialProbe);
      for (const probe of probes) this.diagnostician.probe(probe);
      const { first_step: first, values } = state.losses;
      // The window starts with the first loss until it has slid past it.
      if (state.initial && (values.length === 0 || first > state.initial.step)) {
        this.diagnostician.step(state.initial.step, state.epoch, state.initial.loss);
      }
      values.forEach((loss, i) => this.diagnostician.step(first + i, state.epoch, loss));
    } finally {
      this.armed = true;
    }
    this.initial = state.initial ? { ...state.initial } : undefined;
    this.reported.clear();
    for (const r of state.reported) this.reported.set(findingKey(r), structuredClone(r));
    this.diagnostician.remember(state.reported);
  }

  /** New findings, and findings that grew (sent again whole: a reader keeps the latest of each key). */
  private records(findings: readonly Finding[]): FindingRecord[] {
    const out: FindingRecord[] = [];
    for (const finding of findings) {
      this.reported.set(findingKey(finding), finding);
      if (finding.severity === 'error' && this.stop === undefined) this.stop = finding;
      out.push(findingRecord(finding));
    }
    return out;
  }
}

/** A finding as a record. Evidence that is not finite is left out (JSON would turn it into null). */
function findingRecord(finding: Finding): FindingRecord {
  const record: FindingRecord = { kind: 'finding', ...finding };
  const evidence = finding.evidence;
  if (evidence !== undefined && Object.values(evidence).some((value) => !Number.isFinite(value))) {
    record.evidence = Object.fromEntries(Object.entries(evidence).filter(([, value]) => Number.isFinite(value)));
  }
  return record;
}

/**
 * What the rules know of the run besides what it reports. `header` gives the task and the expected
 * initial loss (the loss module knows ln C; the spec alone does not know the classes of a CSV file).
 */
export function runContextFromSpec(
  spec: ExperimentSpec,
  header: { task: Task; expectedInitialLoss?: number },
): RunContext {
  const outer = spec.optimizer;
  const inner = outer.type === 'lookahead' ? outer.optimizer : outer;
  const base: JsonPath = outer.type === 'lookahead' ? ['optimizer', 'optimizer'] : ['optimizer'];
  const optimizer: RunContext['optimizer'] = { type: inner.type, lr: inner.lr, lrPath: [...base, 'lr'] };
  if ('weight_decay' in inner && typeof inner.weight_decay === 'number') {
    optimizer.weightDecay = inner.weight_decay;
    optimizer.weightDecayPath = [...base, 'weight_decay'];
  }
  const training = spec.training as unknown as Record<string, unknown>;
  const context: RunContext = {
    task: header.task,
    layers: spec.model.map((layer, index): ContextLayer => {
      const entry: ContextLayer = { index, kind: layer.type };
      if (layer.type === 'linear' || layer.type === 'maxout') {
        if (layer.out_features !== undefined) entry.outFeatures = layer.out_features;
        // The resolved layer init holds what it inherits too: what equals the experiment's is not its own
        // (and a fix that leaves it out changes nothing).
        const own = (part: 'weight' | 'bias') => {
          const value = layer.init?.[part];
          return value !== undefined && JSON.stringify(value) !== JSON.stringify(spec.init[part]) ? value.type : undefined;
        };
        const weight = own('weight');
        const bias = own('bias');
        if (weight !== undefined || bias !== undefined) {
          entry.ownInit = {};
          if (weight !== undefined) entry.ownInit.weight = weight;
          if (bias !== undefined) entry.ownInit.bias = bias;
        }
      }
      return entry;
    }),
    optimizer,
    data: spec.data.type === 'csv' ? { type: 'csv', standardize: spec.data.standardize } : { type: spec.data.type },
    initWeight: spec.init.weight.type,
    clipping: training.clip_grad_norm != null || training.clip_grad_value != null,
  };
  if (header.expectedInitialLoss !== undefined) context.expectedInitialLoss = header.expectedInitialLoss;
  return context;
}

/** The largest per-feature standard deviation and absolute value of `rows` × `features` inputs. */
export function inputScaleOf(x: Float32Array, rows: number, features: number): { std: number; maxAbs: number } {
  let std = 0;
  let maxAbs = 0;
  for (let j = 0; j < features; j++) {
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < rows; i++) {
      const v = x[i * features + j];
      sum += v;
      sumSq += v * v;
      if (Math.abs(v) > maxAbs) maxAbs = Math.abs(v);
    }
    const mean = rows > 0 ? sum / rows : 0;
    std = Math.max(std, Math.sqrt(Math.max(0, (rows > 0 ? sumSq / rows : 0) - mean * mean)));
  }
  return { std, maxAbs };
}
