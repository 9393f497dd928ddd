import { COMPARED_SERIES, COMPARE_SCALE, type ComparedRun, type RunStop } from '../../contract/compare';
import { differingSettings, runLabels } from '../../contract/runSettings';
import { CAPACITY, type SeriesPieces } from '../../engine/series/seriesSet';
import { seriesGroup } from '../../engine/series/recordSeries';
import { SeriesSummary } from '../../engine/series/summary';
import type { Run } from '../runs/run';

/** Where a diagnostic stopped the run, if one did. */
export function runStop(run: Run): RunStop | undefined {
  const by = run.summary?.stopped_by;
  return by ? { rule: by.rule, step: by.step, message: run.summary?.error } : undefined;
}

/** The compared series of a run, coarsened to what a comparison keeps (COMPARE_SCALE). */
export function comparedSeries(run: Run): SeriesPieces {
  const out: SeriesPieces = [];
  for (const key of COMPARED_SERIES) {
    const summary = run.digest.series.get(key);
    if (!summary || summary.isEmpty) continue;
    const coarse = new SeriesSummary(Math.max(2, Math.round(CAPACITY[seriesGroup(key)] * COMPARE_SCALE)));
    coarse.ingestSummary(summary);
    out.push({ key, pieces: coarse.packed() });
  }
  return out;
}

/** Only the compared series of a delta's pieces. */
export function comparedPieces(series: SeriesPieces): SeriesPieces {
  return series.filter(s => (COMPARED_SERIES as readonly string[]).includes(s.key)).map(s => ({ key: s.key, pieces: s.pieces }));
}

/** Each run's label among these runs (runSettings.ts), by run id. */
export function labelsOf(runs: readonly Run[], specOf: (run: Run) => unknown, nameOf: (run: Run) => string | undefined): Map<string, string> {
  const differences = differingSettings(runs.map(specOf));
  const labels = runLabels(
    runs.map(r => ({ variant: r.identity.variant, name: nameOf(r), startedAt: r.identity.startedAt })),
    differences,
  );
  return new Map(runs.map((r, i) => [r.id, labels[i]]));
}

export function comparedRun(run: Run, index: number, label: string): ComparedRun {
  return {
    runId: run.id,
    experiment: run.identity.experiment,
    variant: run.identity.variant,
    label,
    index,
    state: run.state,
    startedAt: run.identity.startedAt,
    summary: run.summary,
    stop: runStop(run),
    series: comparedSeries(run),
    ...(run.digest.boundary ? { boundary: run.digest.boundary } : {}),
  };
}
