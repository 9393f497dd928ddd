/**
 * Synthetic runs for the comparison benchmark (bench/compare.bench.mjs): `runs` runs of `steps`
 * steps each — a noisy falling batch loss, a decaying learning rate, epoch losses and accuracies —
 * made into the very messages the host sends (contract/compare.ts), through the engine's own
 * series code, with the pieces as plain arrays so they cross into the browser page.
 */
import { COMPARE_SCALE, CompareToWebviewType, type ComparedRun } from '../contract/compare';
import { SeriesFeed, SeriesSet } from '../engine/series/seriesSet';
import type { MetricRecord } from '../engine/train/events';

export interface PlainSeries {
  key: string;
  pieces: number[];
}

const STEPS_PER_EPOCH = 100;

/** A deterministic pseudo-random number in [0, 1) for (run, step). */
function noise(run: number, step: number): number {
  const x = Math.sin(run * 12.9898 + step * 78.233) * 43758.5453;
  return x - Math.floor(x);
}

function records(run: number, from: number, to: number): MetricRecord[] {
  const out: MetricRecord[] = [];
  const rate = 0.0002 + run * 0.00002;
  for (let step = from + 1; step <= to; step++) {
    const loss = 1.1 * Math.exp(-rate * step) + 0.05 + 0.25 * noise(run, step) * Math.exp(-rate * step * 0.5);
    const lr = 0.1 * 0.5 ** Math.floor(step / 2500);
    out.push({ kind: 'step', step, epoch: Math.ceil(step / STEPS_PER_EPOCH), loss, lr });
    if (step % STEPS_PER_EPOCH === 0) {
      const base = 1.1 * Math.exp(-rate * step) + 0.05;
      out.push({
        kind: 'epoch',
        epoch: step / STEPS_PER_EPOCH,
        step,
        train_loss: base,
        val_loss: base * 1.1,
        train_accuracy: 1 - base / 1.3,
        val_accuracy: 1 - base / 1.2,
        lr,
        elapsed_ms: step,
      });
    }
  }
  return out;
}

function plain(series: { key: string; pieces: Float64Array }[]): PlainSeries[] {
  return series.map(s => ({ key: s.key, pieces: Array.from(s.pieces) }));
}

const COMPARED = new Set(['loss', 'train_loss', 'val_loss', 'train_accuracy', 'val_accuracy', 'lr']);

/** SHOW_COMPARISON of `runs` runs of `steps` steps each (series as the host's snapshot: coarsened). */
export function showMessage(runs: number, steps: number): unknown {
  const compared: (Omit<ComparedRun, 'series'> & { series: PlainSeries[] })[] = [];
  for (let i = 0; i < runs; i++) {
    const set = new SeriesSet(COMPARE_SCALE);
    for (const r of records(i, 0, steps)) set.addRecord(r);
    compared.push({
      runId: `20261205-100000-bench--run-${i}`,
      experiment: 'Bench',
      variant: `run-${i}`,
      label: `run-${i} · lr ${(0.1 / (i + 1)).toPrecision(2)}`,
      index: i,
      state: 'running',
      startedAt: '2026-12-05T10:00:00.000Z',
      series: plain(set.pack().filter(s => COMPARED.has(s.key))),
    });
  }
  return { type: CompareToWebviewType.SHOW_COMPARISON, title: `Bench: ${runs} runs`, runs: compared };
}

/** Makes APPEND_SERIES messages as runs go on: each call, `steps` more steps of every run. */
export class LiveRuns {
  private readonly feeds: SeriesFeed[];
  private readonly at: number[];

  constructor(
    private readonly runs: number,
    start: number,
  ) {
    this.feeds = Array.from({ length: runs }, () => new SeriesFeed());
    this.at = Array.from({ length: runs }, () => start);
  }

  next(steps: number): unknown {
    const series = [];
    for (let i = 0; i < this.runs; i++) {
      for (const r of records(i, this.at[i], this.at[i] + steps)) this.feeds[i].addRecord(r);
      this.at[i] += steps;
      series.push({ runId: `20261205-100000-bench--run-${i}`, series: plain(this.feeds[i].take().filter(s => COMPARED.has(s.key))) });
    }
    return { type: CompareToWebviewType.APPEND_SERIES, series };
  }
}
