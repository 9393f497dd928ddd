/**
 * What the page keeps across being hidden and shown again, or a window reload (VS Code's webview
 * state, stored as JSON): the run's id — VS Code hands it to the host to restore the panel — and a
 * small copy of what was drawn (the headline records and the main curves at a coarse resolution),
 * so the page redraws at once while the host sends the run again.
 */
import type { RunSnapshot } from '../contract/messages';
import { RunDigest, type DigestDelta } from '../contract/series';
import { SeriesSummary } from '../contract/series';
import type { RunInfo } from './dashboard';

/** The curves worth redrawing at once, each at this many buckets. */
const SAVED_SERIES = ['loss', 'train_loss', 'val_loss', 'train_accuracy', 'val_accuracy'];
const SAVED_BUCKETS = 128;

/** A digest in JSON-safe form (pieces as number arrays; every number in them is finite). */
interface SavedDigest extends Omit<DigestDelta, 'series' | 'probe' | 'boundary' | 'images'> {
  series: { key: string; pieces: number[] }[];
}

export interface SavedState {
  runId?: string;
  run?: RunInfo & { saved: SavedDigest };
}

export function saveState(shown: { run: RunInfo; digest: RunDigest } | undefined): SavedState {
  if (!shown) {
    return {};
  }
  const { run, digest } = shown;
  const series = SAVED_SERIES.flatMap(key => {
    const summary = digest.series.get(key);
    if (!summary) {
      return [];
    }
    const coarse = new SeriesSummary(SAVED_BUCKETS);
    coarse.ingestSummary(summary);
    return [{ key, pieces: Array.from(coarse.packed()) }];
  });
  // Probes, image views and the decision boundary are large and come back with the run from the host.
  const { probe: _probe, images: _images, boundary: _boundary, ...rest } = digest.latest();
  return { runId: run.runId, run: { ...run, saved: { ...rest, series } } };
}

/** The snapshot to redraw from, or undefined when the state holds none (or not a valid one). */
export function restoredSnapshot(state: SavedState | undefined): RunSnapshot | undefined {
  const saved = state?.run?.saved;
  if (!state?.run || !saved || !Array.isArray(saved.series)) {
    return undefined;
  }
  try {
    const { saved: _saved, ...info } = state.run;
    const digest: DigestDelta = {
      ...saved,
      series: saved.series.map(s => ({ key: s.key, pieces: Float64Array.from(s.pieces) })),
      findings: saved.findings ?? [],
      counts: saved.counts,
    };
    // Checked like any delta: a state from an older version of the page may not fit.
    new RunDigest().apply(digest);
    return { ...info, digest };
  } catch {
    return undefined;
  }
}
