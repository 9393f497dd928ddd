import { summarizeActivations } from './activations';
import { distributionOf } from './distribution';
import { summarizeBatchNorm, type ProbeBatchNorm } from './batchNorm';
import { summarizeOptimizer, type ProbeOptimizer } from './optimizerState';
import { summarizeParam, type ProbeParam } from './params';
import type { LayerProbe, ParamProbe, ProbeRecord } from './record';
import { countsDeadUnits, layerRoles, saturationOf } from './roles';
import { ProbeScratch, type ProbeLayout } from './scratch';
import { probeStride } from './cost';
import { ALWAYS_PROBED, DEFAULT_PROBE_SETTINGS, isProbeStep, type ProbeSettings } from './settings';
import { tensorSummary } from './stats';

/** One layer as the probe sees it: its output buffer of the last forward (read only). */
export interface ProbeLayer {
  /** Short description, e.g. "Linear(2 → 64)". */
  readonly name: string;
  /** The experiment's layer type ('linear', 'relu', 'tanh', 'batch_norm', ...). */
  readonly kind: string;
  /** rows × features values, row-major (the first `rows` rows are the probe batch). */
  readonly output: Float32Array;
  readonly features: number;
  /** ∂loss/∂output of the last backward, same layout; optional (gives LayerProbe.grad_rms). */
  readonly gradient?: Float32Array;
}

/** What the loop hands the prober: the model after a forward/backward (see ModelProbeTarget). */
export interface ProbeTarget {
  /** Rows of the last forward. */
  readonly rows: number;
  /** In model order: layers[i] is ["model", i]. */
  readonly layers: readonly ProbeLayer[];
  readonly params: readonly ProbeParam[];
  readonly batchnorm?: readonly ProbeBatchNorm[];
}

/**
 * Produces ProbeRecords for the training loop. Per probed step the loop calls, in order:
 *   forward → loss → backward (→ clipping)
 *   if (prober.isDue(step)) prober.beforeStep(params)     // snapshot θ before the update
 *   optimizer.step()
 *   if (due) record = prober.probe(step, epoch, target, optimizer)   // before any scheduler step
 * The layers' output buffers still hold the step's forward and the parameters' grads its backward
 * (optimizers do not clear them), so nothing has to be recomputed. All work memory is the
 * ProbeScratch allocated here; a probe allocates only its record.
 */
export class Prober {
  readonly settings: ProbeSettings;
  readonly scratch: ProbeScratch;
  private snapshotTaken = false;
  /** Past the first ALWAYS_PROBED probes, one probe point in this many (see cost.ts). */
  readonly stride: number;

  /** `batchRows`: the rows of a training batch, when fewer than the layout's (sized for evaluation too). */
  constructor(layout: ProbeLayout, settings: Partial<ProbeSettings> = {}, batchRows = layout.maxRows) {
    this.settings = { ...DEFAULT_PROBE_SETTINGS, ...settings };
    this.scratch = new ProbeScratch(layout);
    this.stride = probeStride({ ...layout, maxRows: Math.min(batchRows, layout.maxRows) }, this.settings.every, this.settings.max_overhead);
  }

  /**
   * Whether step `step` (1-based) is probed: the first (initialization) and every `every`-th — past
   * the first ALWAYS_PROBED of them, every `stride`·`every`-th, so that probes stay within
   * `max_overhead` of the training time.
   */
  isDue(step: number): boolean {
    const { every } = this.settings;
    if (!isProbeStep(this.settings, step)) return false;
    return step === 1 || step < every * ALWAYS_PROBED || step % (every * this.stride) === 0;
  }

  /** Copies the parameters' values before the optimizer step, to measure the step's update. */
  beforeStep(params: readonly ProbeParam[]): void {
    for (let i = 0; i < params.length; i++) {
      const data = params[i].data;
      this.scratch.snapshotFor(i, data.length).set(data);
    }
    this.snapshotTaken = true;
  }

  /**
   * The record of step `step` (1-based; step 1 is marked `initial`). Without a `beforeStep` since
   * the last probe the current values stand in for "before" and no update ratio is reported.
   */
  probe(step: number, epoch: number, target: ProbeTarget, optimizer: ProbeOptimizer): ProbeRecord {
    const { bins, saturation } = this.settings;
    const rows = target.rows;
    const roles = layerRoles(target.layers.map((layer) => layer.kind));
    const layers: LayerProbe[] = target.layers.map((layer, index) => {
      const summary = summarizeActivations(
        layer.output,
        rows,
        layer.features,
        { bins, dead: countsDeadUnits(layer.kind), saturation: saturationOf(layer.kind), saturationLevel: saturation },
        this.scratch,
      );
      const probe: LayerProbe = { index, name: layer.name, kind: layer.kind, role: roles[index], features: layer.features, ...summary };
      const n = rows * layer.features;
      if (layer.gradient !== undefined && layer.gradient.length >= n && n > 0) {
        const summary = tensorSummary(layer.gradient, n);
        probe.grad_rms = Math.sqrt(summary.squares / n);
        const gradients = distributionOf(layer.gradient, n, this.scratch, summary.nonfinite < n ? summary : undefined);
        if (gradients !== undefined) probe.grad_distribution = gradients;
      }
      return probe;
    });

    let gradSquares = 0;
    const params: ParamProbe[] = target.params.map((param, i) => {
      const before = this.snapshotTaken ? this.scratch.snapshots[i] : undefined;
      const summary = summarizeParam(param, before, bins);
      gradSquares += summary.gradSquares;
      // Weight matrices only, as the update ratios: bias and normalization vectors say little over time.
      if (param.shape.length >= 2) {
        const weights = distributionOf(before ?? param.data, param.data.length, this.scratch, summary.range);
        if (weights !== undefined) summary.probe.distribution = weights;
      }
      return summary.probe;
    });
    this.snapshotTaken = false;

    const record: ProbeRecord = {
      kind: 'probe',
      step,
      epoch,
      rows,
      lr: optimizer.lr,
      total_grad_norm: Math.sqrt(gradSquares),
      layers,
      params,
    };
    if (step === 1) record.initial = true;
    if (optimizer.momentum !== undefined) record.momentum = optimizer.momentum;
    record.optimizer = summarizeOptimizer(optimizer, target.params, this.scratch);
    if (target.batchnorm !== undefined && target.batchnorm.length > 0) record.batchnorm = target.batchnorm.map(summarizeBatchNorm);
    return record;
  }
}
