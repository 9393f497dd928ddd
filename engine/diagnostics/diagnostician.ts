import type { ProbeRecord } from '../probes/record';
import { RULES } from './catalogue';
import { causesOf, matches } from './causes';
import type { RunContext } from './context';
import { findingKey, type Finding, type FindingDraft } from './finding';
import { LossWindow, type EpochObservation, type ObservationEvent, type RunObservations } from './observations';
import type { DiagnosticRule } from './rule';
import { DEFAULT_THRESHOLDS, type DiagnosticThresholds } from './thresholds';

/** What `observe` reads of a record of the run: steps, epochs and probes; other kinds are ignored. */
export type ObservedRecord =
  | { kind: 'step'; step: number; epoch: number; loss: number }
  | ({ kind: 'epoch' } & EpochObservation)
  | ProbeRecord
  | { kind: 'finding' };

export interface DiagnosticianOptions {
  /** Overrides of the default thresholds (already validated by the experiment format). */
  thresholds?: Partial<DiagnosticThresholds>;
  /** Rule ids to skip. */
  disabled?: readonly string[];
  /** The catalogue to run (default RULES). */
  rules?: readonly DiagnosticRule[];
}

interface MutableObservations {
  context: RunContext;
  event: ObservationEvent;
  step: number;
  epoch: number;
  initialLoss: number | undefined;
  lastLoss: number | undefined;
  losses: LossWindow;
  epochs: EpochObservation[];
  probes: ProbeRecord[];
  initialProbe: ProbeRecord | undefined;
}

/**
 * Watches one run. The loop (or whoever reads its records) feeds it every step loss, epoch record
 * and probe record in order; each call returns the findings that are new or have grown (each rule
 * fires at most once per run per target, stamped with the step it fired at; a finding grows when
 * a consequence of its cause is folded into it, see causes.ts). Once an 'error' finding has
 * fired, `shouldStop` is true and `stopFinding` says why: the loop ends the run at that step.
 * Per step it costs a few comparisons and the flat-loss rule's O(flatWindow) means.
 */
export class Diagnostician {
  readonly thresholds: DiagnosticThresholds;
  /** Every finding so far, in the order fired. */
  readonly findings: Finding[] = [];
  private readonly byEvent: Record<ObservationEvent, DiagnosticRule[]>;
  private readonly fired = new Set<string>();
  private readonly obs: MutableObservations;
  private stop: Finding | undefined;
  private readonly keepProbes: number;

  constructor(context: RunContext, options: DiagnosticianOptions = {}) {
    this.thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
    const disabled = new Set(options.disabled ?? []);
    const rules = (options.rules ?? RULES).filter((rule) => !disabled.has(rule.id));
    this.byEvent = {
      step: rules.filter((rule) => rule.on.includes('step')),
      epoch: rules.filter((rule) => rule.on.includes('epoch')),
      probe: rules.filter((rule) => rule.on.includes('probe')),
    };
    this.keepProbes = Math.max(1, this.thresholds.sustainProbes);
    this.obs = {
      context,
      event: 'step',
      step: 0,
      epoch: 0,
      initialLoss: undefined,
      lastLoss: undefined,
      losses: new LossWindow(this.thresholds.flatWindow),
      epochs: [],
      probes: [],
      initialProbe: undefined,
    };
  }

  /** What the rules see (read only). */
  get observations(): RunObservations {
    return this.obs;
  }

  get shouldStop(): boolean {
    return this.stop !== undefined;
  }

  /** The first error finding: the reason to stop the run. */
  get stopFinding(): Finding | undefined {
    return this.stop;
  }

  /** A training step's mini-batch loss (StepRecord). The first one seen is the initial loss. */
  step(step: number, epoch: number, loss: number): Finding[] {
    const obs = this.obs;
    obs.step = step;
    obs.epoch = epoch;
    if (obs.initialLoss === undefined) obs.initialLoss = loss;
    obs.lastLoss = loss;
    obs.losses.push(step, loss);
    return this.run('step');
  }

  /** An end-of-epoch evaluation (EpochRecord). */
  epoch(record: EpochObservation): Finding[] {
    const obs = this.obs;
    obs.step = Math.max(obs.step, record.step);
    obs.epoch = record.epoch;
    obs.epochs.push({ epoch: record.epoch, step: record.step, train_loss: record.train_loss, val_loss: record.val_loss });
    return this.run('epoch');
  }

  /** A probe record (the step's StepRecord should come first). */
  probe(record: ProbeRecord): Finding[] {
    const obs = this.obs;
    obs.step = Math.max(obs.step, record.step);
    obs.epoch = record.epoch;
    if (record.initial && obs.initialProbe === undefined) obs.initialProbe = record;
    obs.probes.push(record);
    if (obs.probes.length > this.keepProbes) obs.probes.shift();
    return this.run('probe');
  }

  /** Any record of the run's stream, dispatched by kind (the training loop's records fit). */
  observe(record: ObservedRecord): Finding[] {
    switch (record.kind) {
      case 'step':
        return this.step(record.step, record.epoch, record.loss);
      case 'epoch':
        return this.epoch(record);
      case 'probe':
        return this.probe(record);
      default:
        // Findings (and any later kind) are outputs, not observations.
        return [];
    }
  }

  /**
   * Findings reported before (by a run this one resumes): they are not reported again, and later
   * consequences of their causes fold into them.
   */
  remember(findings: readonly (Finding | Pick<Finding, 'rule' | 'target'>)[]): void {
    for (const finding of findings) {
      if (this.fired.has(findingKey(finding))) continue;
      this.fired.add(findingKey(finding));
      // Checkpoints of older versions kept only which rules had fired.
      if (!('message' in finding)) continue;
      for (const key of finding.explains ?? []) this.fired.add(key);
      this.findings.push({ ...finding });
    }
  }

  private run(event: ObservationEvent): Finding[] {
    const obs = this.obs;
    obs.event = event;
    const fresh: Finding[] = [];
    const report = (finding: Finding): void => {
      const at = fresh.findIndex((f) => findingKey(f) === findingKey(finding));
      if (at >= 0) fresh[at] = finding;
      else fresh.push(finding);
    };
    for (const rule of this.byEvent[event]) {
      for (const draft of rule.check(obs, this.thresholds)) {
        const key = findingKey({ rule: rule.id, target: draft.target });
        if (this.fired.has(key)) continue;
        this.fired.add(key);
        const cause = this.causeOf(rule.id, draft.target);
        if (cause !== undefined && rule.severity !== 'error') {
          report(this.fold(cause, key, draft));
          continue;
        }
        const finding: Finding = { rule: rule.id, severity: rule.severity, step: obs.step, epoch: obs.epoch, ...draft };
        const grown = cause !== undefined ? this.fold(cause, key, draft) : undefined;
        if (grown !== undefined) this.blameOn(finding, grown);
        report(finding);
        if (grown !== undefined) report(grown);
        this.findings.push(finding);
        if (rule.severity === 'error' && this.stop === undefined) this.stop = finding;
      }
    }
    return fresh;
  }

  /** The finding already reported that explains a finding of `rule` about `target`, if any. */
  private causeOf(rule: string, target: string | undefined): Finding | undefined {
    for (const causeKey of causesOf(rule, target)) {
      const cause = this.findings.find((f) => matches(causeKey, f.rule, f.target));
      if (cause !== undefined) return cause;
    }
    return undefined;
  }

  /** `cause` with the symptom `draft` (of finding key `key`) folded in as a consequence; the grown copy. */
  private fold(cause: Finding, key: string, draft: FindingDraft): Finding {
    // A consequence about one layer points at it; one blamed on a general key (the learning rate) is the cause's.
    const path = draft.path[0] === 'model' && draft.path.length > 1 ? draft.path : cause.path;
    const note = { message: `Then, at step ${this.obs.step.toLocaleString('en-US')}: ${draft.headline}.`, path, step: this.obs.step };
    const grown: Finding = { ...cause, related: [...(cause.related ?? []), note], explains: [...(cause.explains ?? []), key] };
    this.findings[this.findings.indexOf(cause)] = grown;
    return grown;
  }

  /** A run-stopping error that follows from `cause`: blamed on the cause's key, with its fix. */
  private blameOn(error: Finding, cause: Finding): void {
    error.message =
      `${error.observation ?? error.message} This follows from what was found at step ${cause.step.toLocaleString('en-US')}: ${cause.headline}. ` +
      `Change that first${cause.fix ? ` (${cause.fix.title.charAt(0).toLowerCase()}${cause.fix.title.slice(1)})` : ''}.`;
    error.path = [...cause.path];
    if (cause.fix) error.fix = cause.fix;
    else delete error.fix;
    error.related = [{ message: `The cause, found at step ${cause.step.toLocaleString('en-US')}: ${cause.headline}.`, path: cause.path, step: cause.step }];
  }
}
