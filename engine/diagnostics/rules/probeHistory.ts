import type { LayerProbe, ProbeRecord } from '../../probes/record';
import type { RunObservations } from '../observations';

/** The latest probe, if any. */
export function latestProbe(obs: RunObservations): ProbeRecord | undefined {
  return obs.probes[obs.probes.length - 1];
}

/** The last n probes (oldest first), or undefined when fewer than n have been seen. */
export function lastProbes(obs: RunObservations, n: number): readonly ProbeRecord[] | undefined {
  return obs.probes.length >= n ? obs.probes.slice(obs.probes.length - n) : undefined;
}

/**
 * Whether `holds` is true for a layer in each of the last n probes — or, when the latest probe is
 * the initialization probe and `atInit` is set, in that one alone (it is the only one there is).
 */
export function layerSustained(
  obs: RunObservations,
  n: number,
  index: number,
  holds: (layer: LayerProbe, probe: ProbeRecord) => boolean,
  atInit: boolean,
): boolean {
  const latest = latestProbe(obs);
  if (latest === undefined) return false;
  if (atInit && latest.initial) {
    const layer = latest.layers[index];
    return layer !== undefined && holds(layer, latest);
  }
  const probes = lastProbes(obs, n);
  return probes !== undefined && probes.every((probe) => probe.layers[index] !== undefined && holds(probe.layers[index], probe));
}

/** "model[3] (ReLU)" */
export function layerLabel(layer: Pick<LayerProbe, 'index' | 'name'>): string {
  return `model[${layer.index}] (${layer.name})`;
}

/** The model index a parameter belongs to, from its state_dict key ("3.weight" → 3). */
export function layerIndexOf(paramName: string): number | undefined {
  const index = Number.parseInt(paramName, 10);
  return Number.isInteger(index) && index >= 0 ? index : undefined;
}
