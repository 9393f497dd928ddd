/**
 * Records a run's metric records into its folder as training goes: every record into metrics.bin
 * (appended at each flush, so a run that dies keeps all but what was made since the last flush),
 * and the run's digest into series.bin every few seconds and at the end. Decision-boundary grids
 * are kept in the digest only (the latest one): a grid is thousands of numbers, a few a second. Used in the training
 * worker (the extension) and in the command-line runner; holds only the digest (bounded) and the
 * records of one flush.
 */
import path from 'node:path';
import { RunDigest } from '../series/digest';
import type { MetricRecord } from '../train/events';
import { RECORDS_FILE, RecordFileWriter } from './recordFile';
import { writeSeriesFile } from './seriesFile';

export interface RecorderOptions {
  /** Milliseconds between rewrites of series.bin while the run goes (default 2000). */
  seriesEveryMs?: number;
  now?: () => number;
}

export class RunRecorder {
  readonly digest = new RunDigest();
  private readonly file: RecordFileWriter;
  private pending: MetricRecord[] = [];
  private lastSeriesWrite: number;
  private readonly seriesEveryMs: number;
  private readonly now: () => number;
  private closed = false;

  constructor(readonly dir: string, options: RecorderOptions = {}) {
    this.file = new RecordFileWriter(path.join(dir, RECORDS_FILE));
    this.now = options.now ?? Date.now;
    this.seriesEveryMs = options.seriesEveryMs ?? 2000;
    this.lastSeriesWrite = this.now();
  }

  add(records: readonly MetricRecord[]): void {
    for (const r of records) {
      this.digest.addRecord(r);
      if (r.kind !== 'boundary') this.pending.push(r);
    }
  }

  /** Appends what was added since the last flush; rewrites series.bin when it is due. */
  flush(): void {
    if (this.closed) return;
    if (this.pending.length > 0) {
      const records = this.pending;
      this.pending = [];
      this.file.append(records);
    }
    if (this.now() - this.lastSeriesWrite >= this.seriesEveryMs) this.writeSeries();
  }

  /** Bytes in metrics.bin. */
  get bytes(): number {
    return this.file.size;
  }

  /** Flushes, writes series.bin and closes the file (the run has ended). */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.writeSeries();
    this.file.close();
    this.closed = true;
  }

  private writeSeries(): void {
    writeSeriesFile(this.dir, this.digest.snapshot(), this.file.size);
    this.lastSeriesWrite = this.now();
  }
}
