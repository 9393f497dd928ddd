import type { RunMetrics, RunRow } from '../../contract/runRows';
import { differingSettings, flattenSettings, settingsText, type SettingValue } from '../../contract/runSettings';
import { readDigest } from '../../engine/runs/runReader';
import type { RunDigest } from '../../engine/series/digest';
import type { RunSummary } from '../../engine/train/events';
import type { RunManager } from '../runs/runManager';
import type { StoredRun } from '../runs/runStore';

/** Best values of a run's epoch series (lowest losses, highest accuracies). */
type Bests = Pick<RunMetrics, 'best_train_loss' | 'best_val_loss' | 'best_train_accuracy' | 'best_val_accuracy'>;

/** A split a summary may report besides training and validation (another part of the engine adds it). */
interface TestSplit {
  test?: { loss?: number; accuracy?: number };
}

/**
 * The runs table's rows from the kept runs. A finished run's best values are read once from its
 * digest (series.bin) and kept; a live run's come from the digest the window holds.
 */
export class RunRowsBuilder {
  private readonly bests = new Map<string, Bests>();

  constructor(
    private readonly runs: RunManager,
    private readonly specOf: (runId: string, dir: string) => unknown,
  ) {}

  rows(stored: readonly StoredRun[]): RunRow[] {
    // What differs is reckoned among the runs of the same experiment file.
    const byFile = new Map<string, number[]>();
    stored.forEach((s, i) => byFile.set(s.meta.file, [...(byFile.get(s.meta.file) ?? []), i]));
    const differing: string[] = stored.map(() => '');
    for (const indices of byFile.values()) {
      const differences = differingSettings(indices.map(i => this.specOf(stored[i].meta.id, stored[i].dir)));
      indices.forEach((i, k) => (differing[i] = settingsText(differences, k)));
    }
    // The scatter's axes: every numeric setting that differs among all the runs.
    const everywhere = differingSettings(stored.map(s => this.specOf(s.meta.id, s.dir)));
    return stored.map((s, i) => {
      const flat = flattenSettings(this.specOf(s.meta.id, s.dir));
      const settings: Record<string, SettingValue> = {};
      for (const d of everywhere) {
        const v = flat.get(d.path);
        if (v !== undefined) settings[d.path] = v;
      }
      const summary = s.meta.summary ?? this.runs.get(s.meta.id)?.summary;
      return {
        runId: s.meta.id,
        experiment: s.meta.experiment,
        variant: s.meta.variant,
        name: s.meta.name,
        file: s.meta.file,
        state: s.state,
        startedAt: s.meta.started_at,
        differing: differing[i],
        settings,
        metrics: { ...finals(summary), ...this.bestsOf(s) },
        findings: summary?.findings ?? { error: 0, warning: 0, info: 0 },
        stoppedBy: summary?.stopped_by?.rule,
      };
    });
  }

  private bestsOf(s: StoredRun): Bests {
    const live = this.runs.get(s.meta.id);
    if (live?.isActive) return bestsOf(live.digest);
    const key = `${s.meta.id}:${s.state}`;
    let b = this.bests.get(key);
    if (!b) {
      try {
        b = live ? bestsOf(live.digest) : bestsOf(readDigest(s.dir).digest);
      } catch {
        b = {};
      }
      this.bests.set(key, b);
    }
    return b;
  }

  forget(runId: string): void {
    for (const key of this.bests.keys()) if (key.startsWith(`${runId}:`)) this.bests.delete(key);
  }
}

function finals(summary: (RunSummary & TestSplit) | undefined): RunMetrics {
  if (!summary) return {};
  const f = summary.final;
  const m: RunMetrics = {
    final_train_loss: f?.train_loss,
    final_val_loss: f?.val_loss,
    final_train_accuracy: f?.train_accuracy,
    final_val_accuracy: f?.val_accuracy,
    steps_per_second: summary.steps_per_second,
    duration_ms: summary.elapsed_ms,
    steps: summary.steps,
  };
  if (typeof summary.test?.accuracy === 'number') m.test_accuracy = summary.test.accuracy;
  if (typeof summary.test?.loss === 'number') m.test_loss = summary.test.loss;
  return m;
}

function bestsOf(digest: RunDigest): Bests {
  const range = (key: string) => digest.series.get(key)?.range();
  return {
    best_train_loss: range('train_loss')?.min,
    best_val_loss: range('val_loss')?.min,
    best_train_accuracy: range('train_accuracy')?.max,
    best_val_accuracy: range('val_accuracy')?.max,
  };
}
