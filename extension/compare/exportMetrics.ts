import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExportFormat } from '../../contract/compare';
import { metricsCsv, metricsJson, type ExportedEpoch, type ExportedRun } from '../../contract/metricsExport';
import { differingSettings, flattenSettings, runLabels } from '../../contract/runSettings';
import { ChunkIndex } from '../../engine/runs/chunkIndex';
import { RECORDS_FILE } from '../../engine/runs/recordFile';
import { settingsAsResolvedToday } from '../../engine/runs/recordedSettings';
import { readMeta } from '../../engine/runs/runFiles';
import { forEachLegacyRecord, LEGACY_METRICS_FILE } from '../../engine/runs/runReader';
import type { MetricRecord } from '../../engine/train/events';

/**
 * The epochs of a run, read from its records: only the chunks that hold records other than steps
 * are decoded, so a run of a million steps is read in the time its few hundred epochs take.
 */
export function readEpochs(dir: string): ExportedEpoch[] {
  const epochs: ExportedEpoch[] = [];
  const visit = (r: MetricRecord): void => {
    if (r.kind !== 'epoch') return;
    const e: ExportedEpoch = { epoch: r.epoch, step: r.step, train_loss: r.train_loss, lr: r.lr, elapsed_ms: r.elapsed_ms };
    if (r.train_accuracy !== undefined) e.train_accuracy = r.train_accuracy;
    if (r.val_loss !== undefined) e.val_loss = r.val_loss;
    if (r.val_accuracy !== undefined) e.val_accuracy = r.val_accuracy;
    epochs.push(e);
  };
  const bin = path.join(dir, RECORDS_FILE);
  if (fs.existsSync(bin)) {
    new ChunkIndex(bin).update().read(chunk => chunk.kind === 'records', visit);
  } else if (fs.existsSync(path.join(dir, LEGACY_METRICS_FILE))) {
    forEachLegacyRecord(path.join(dir, LEGACY_METRICS_FILE), visit);
  }
  return epochs;
}

/** The runs (folders) as an export file's text, in `format`. */
export function exportText(dirs: readonly string[], format: ExportFormat): string {
  const metas = dirs.map(readMeta);
  const specs = metas.map(m => settingsAsResolvedToday(m.spec));
  const differences = differingSettings(specs);
  const labels = runLabels(
    metas.map(m => ({ variant: m.variant, name: m.name, startedAt: m.started_at })),
    differences,
  );
  const runs: ExportedRun[] = metas.map((m, i) => ({
    runId: m.id,
    experiment: m.experiment,
    ...(m.variant !== undefined ? { variant: m.variant } : {}),
    label: labels[i],
    startedAt: m.started_at,
    status: m.status,
    settings: Object.fromEntries(flattenSettings(specs[i])),
    ...(m.summary ? { summary: m.summary } : {}),
    epochs: readEpochs(dirs[i]),
  }));
  return format === 'csv' ? metricsCsv(runs, differences.map(d => d.path)) : metricsJson(runs);
}
