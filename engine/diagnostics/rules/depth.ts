/**
 * Rules across the depth of the network: activations whose spread collapses or blows up layer by
 * layer at initialization (the course notes' tables of 10 tanh layers), and gradients that shrink
 * or grow on their way back (course notes 001: "exploding gradients lead to cliffs; can be
 * mitigated using gradient clipping"). Both look at the activation layers (role 'activation') in
 * model order.
 */
import type { LayerProbe, ProbeRecord } from '../../probes/record';
import type { FindingDraft } from '../finding';
import { saturationOf } from '../../probes/roles';
import { batchNormBeforeActivations, formatNumber, gradientClipping, percent, weightInitOf, weightLayerBefore } from '../fixes';
import type { RunObservations } from '../observations';
import type { DiagnosticRule } from '../rule';
import { lastProbes, latestProbe } from './probeHistory';

/** num/den; +∞ when only the denominator is 0, NaN (fails every test) when both are. */
function ratio(num: number, den: number): number {
  if (den > 0) return num / den;
  return num > 0 ? Infinity : NaN;
}

/** The longest run of consecutive ratios that pass `test`, if it has at least minRun of them: ratio indices [start, end]. */
export function longestRun(ratios: readonly number[], test: (r: number) => boolean, minRun: number): { start: number; end: number } | undefined {
  let best: { start: number; end: number } | undefined;
  let start = -1;
  for (let j = 0; j <= ratios.length; j++) {
    const passes = j < ratios.length && test(ratios[j]);
    if (passes && start < 0) start = j;
    if (!passes && start >= 0) {
      const length = j - start;
      if (length >= minRun && (best === undefined || length > best.end - best.start + 1)) best = { start, end: j - 1 };
      start = -1;
    }
  }
  return best;
}

function activationLayers(probe: ProbeRecord): LayerProbe[] {
  return probe.layers.filter((layer) => layer.role === 'activation');
}

/**
 * Activations that can blow up: not those squashed into a range (tanh, sigmoid), whose spread
 * grows toward a stable scale and whose trouble is saturation (saturated-units' business).
 */
function unbounded(layers: readonly LayerProbe[]): LayerProbe[] {
  return layers.filter((layer) => saturationOf(layer.kind) === undefined);
}

/** Exploding means reaching a large scale: activations that grow from tiny inputs toward 1 are settling, not exploding. */
const EXPLODED_STD = 1;

/** Forward: std of layer j+1 over std of layer j. */
function stdRatios(layers: readonly LayerProbe[]): number[] {
  return layers.slice(1).map((layer, j) => ratio(layer.std, layers[j].std));
}

/** Backward: gradient RMS at layer j over that at layer j+1 (< 1 = shrinking on the way back). */
function gradientRatios(layers: readonly LayerProbe[]): number[] {
  return layers.slice(1).map((layer, j) => ratio(layers[j].grad_rms as number, layer.grad_rms as number));
}

function chain(values: readonly number[]): string {
  return values.map(formatNumber).join(' → ');
}

function activationRule(direction: 'vanishing' | 'exploding'): DiagnosticRule {
  const vanishing = direction === 'vanishing';
  return {
    id: `${direction}-activations`,
    severity: 'warning',
    title: vanishing ? 'Activations vanishing at initialization' : 'Activations exploding at initialization',
    description: vanishing
      ? 'At initialization, each activation layer\'s standard deviation is less than `activationRatioLow` (0.75) of the previous one\'s, for `depthRun` (3) layers in a row.'
      : 'At initialization, each activation layer\'s standard deviation is more than `activationRatioHigh` (1.33) times the previous one\'s, for `depthRun` (3) layers in a row.',
    on: ['probe'],
    thresholds: vanishing ? ['activationRatioLow', 'depthRun'] : ['activationRatioHigh', 'depthRun'],
    check(obs, t) {
      const probe = latestProbe(obs);
      if (probe === undefined || !probe.initial) return [];
      const layers = vanishing ? activationLayers(probe) : unbounded(activationLayers(probe));
      const test = vanishing ? (r: number) => r < t.activationRatioLow : (r: number) => r > t.activationRatioHigh;
      const run = longestRun(stdRatios(layers), test, t.depthRun);
      if (run === undefined) return [];
      const span = layers.slice(run.start, run.end + 2);
      const first = span[0];
      const last = span[span.length - 1];
      if (!vanishing && !(last.std > EXPLODED_STD)) return [];
      // The weights that feed the span: the experiment's init, unless the first of them has its own.
      const where = weightInitOf(obs.context, weightLayerBefore(obs.context, first.index));
      const draft: FindingDraft = {
        headline: `at initialization the activations ${vanishing ? 'shrink' : 'grow'} layer by layer (std ${formatNumber(first.std)} → ${formatNumber(last.std)})`,
        message:
          `At initialization the activations ${vanishing ? 'shrink' : 'grow'} layer by layer: their standard deviation goes ` +
          `${chain(span.map((l) => l.std))} from model[${first.index}] to model[${last.index}] (${vanishing ? `each layer keeps less than ${percent(t.activationRatioLow)}` : `each layer grows by more than ${formatNumber(t.activationRatioHigh)}×`} ` +
          `of the previous one). ${vanishing ? 'Course notes: with weights too small "all activations become zero", and the gradients vanish with them' : 'Course notes: with weights too large the units saturate or blow up, and the gradients with them'}; ` +
          'initialize with Xavier for tanh/sigmoid or Kaiming for ReLU so that each layer keeps the variance of its input.',
        path: where.path,
        evidence: { first_std: first.std, last_std: last.std, layers: span.length },
      };
      if (where.fix) draft.fix = where.fix;
      return [draft];
    },
  };
}

/** The run of gradient ratios out of range in one probe, if any (needs grad_rms on the activation layers). */
function gradientRun(probe: ProbeRecord, test: (r: number) => boolean, minRun: number) {
  const layers = activationLayers(probe).filter((layer) => layer.grad_rms !== undefined);
  const run = longestRun(gradientRatios(layers), test, minRun);
  return run === undefined ? undefined : layers.slice(run.start, run.end + 2);
}

function gradientRule(direction: 'vanishing' | 'exploding'): DiagnosticRule {
  const vanishing = direction === 'vanishing';
  return {
    id: `${direction}-gradients`,
    severity: 'warning',
    title: vanishing ? 'Gradients vanishing across layers' : 'Gradients exploding across layers',
    description: vanishing
      ? 'Going back one activation layer, the RMS of ∂loss/∂activation keeps less than `gradientRatioLow` (0.75) of its value, for `depthRun` (3) layers in a row — at initialization or for `sustainProbes` (3) probes. Needs the layer gradients from the loop.'
      : 'Going back one activation layer, the RMS of ∂loss/∂activation grows by more than `gradientRatioHigh` (2)×, for `depthRun` (3) layers in a row — at initialization or for `sustainProbes` (3) probes. Needs the layer gradients from the loop.',
    on: ['probe'],
    thresholds: vanishing ? ['gradientRatioLow', 'depthRun', 'sustainProbes'] : ['gradientRatioHigh', 'depthRun', 'sustainProbes'],
    check(obs: RunObservations, t) {
      const latest = latestProbe(obs);
      if (latest === undefined) return [];
      const test = vanishing ? (r: number) => r < t.gradientRatioLow : (r: number) => r > t.gradientRatioHigh;
      const probes = latest.initial ? [latest] : lastProbes(obs, t.sustainProbes);
      if (probes === undefined) return [];
      const runs = probes.map((probe) => gradientRun(probe, test, t.depthRun));
      if (runs.some((run) => run === undefined)) return [];
      const span = runs[runs.length - 1] as LayerProbe[];
      const backwards = [...span].reverse();
      const seen =
        `The gradient ${vanishing ? 'shrinks' : 'grows'} on its way back through the network: the RMS of ∂loss/∂activation goes ` +
        `${chain(backwards.map((l) => l.grad_rms as number))} from model[${backwards[0].index}] back to model[${backwards[backwards.length - 1].index}]` +
        `${latest.initial ? ' at initialization' : ''}.`;
      const evidence = {
        first_grad_rms: backwards[0].grad_rms as number,
        last_grad_rms: backwards[backwards.length - 1].grad_rms as number,
        layers: span.length,
      };
      const headline = `the gradient ${vanishing ? 'shrinks' : 'grows'} layer by layer on its way back (RMS ${formatNumber(evidence.first_grad_rms)} → ${formatNumber(evidence.last_grad_rms)})`;
      if (vanishing) {
        const fix = batchNormBeforeActivations(obs.context);
        const draft: FindingDraft = {
          headline,
          message: `${seen} Course notes: "gradient vanishing: no training can continue as gradient goes to zero"; ${
            fix ? "batch normalization keeps every layer's signal in range." : 'the model already normalizes its layers, so look at the initialization and the depth.'
          }`,
          path: ['model'],
          evidence,
        };
        if (fix) draft.fix = fix;
        return [draft];
      }
      const clip = gradientClipping(obs.context);
      if (clip) {
        return [{ headline, message: `${seen} Course notes: "exploding gradients lead to cliffs; can be mitigated using gradient clipping".`, path: ['training', 'clip_grad_norm'], fix: clip, evidence }];
      }
      // Clipping caps each step's size, not this growth across layers: the weights' scale causes it.
      const where = weightInitOf(obs.context, weightLayerBefore(obs.context, span[0].index));
      return [
        {
          headline,
          message: `${seen} Gradient clipping is already on: it limits each step, not this growth from layer to layer, which comes from the weights' scale — initialize them for the nonlinearity (or normalize the layers).`,
          path: where.path,
          ...(where.fix ? { fix: where.fix } : {}),
          evidence,
        },
      ];
    },
  };
}

export const vanishingActivations = activationRule('vanishing');
export const explodingActivations = activationRule('exploding');
export const vanishingGradients = gradientRule('vanishing');
export const explodingGradients = gradientRule('exploding');
