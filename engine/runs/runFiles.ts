/**
 * A run on disk, shared by the command line and the extension:
 *
 *   <runsDir>/<YYYYMMDD-HHMMSS>-<slug(name)>[--<variant>]/
 *     run.json        what ran and how it ended (RunFile), rewritten on `started` and `finished`
 *     metrics.bin     every MetricRecord (steps, probes, findings, epochs) in compact chunks,
 *                     appended as training goes (recordFile.ts)
 *     series.bin      the run's digest: every series summarized, the latest records, the findings
 *                     (seriesFile.ts), rewritten every few seconds and at the end
 *     summary.json    the RunSummary, written when the run ends
 *
 * Runs recorded before metrics.bin have metrics.jsonl (one record per line) instead; they still
 * open (runReader.ts). Appending whole chunks means a run cut off mid-write (a crash, a killed
 * process) still loads: a torn last chunk is skipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ExperimentSpec } from '../experiment/sections';
import type { MetricRecord, RunHeader, RunSummary, TrainEvent } from '../train/events';
import { readRecords, parseLegacyLine } from './runReader';
import { RunRecorder } from './runRecorder';

/** 2: records in metrics.bin. 1: records in metrics.jsonl (still read). */
export const RUN_FORMAT = 2;
const READABLE_FORMATS: readonly number[] = [1, 2];
export const RUN_FILE = 'run.json';
export const SUMMARY_FILE = 'summary.json';

/** 'interrupted': the process ended without recording an end (a writer may also mark it so). */
export type RunFileStatus = 'running' | 'completed' | 'stopped' | 'failed' | 'interrupted';

/** The content of run.json. */
export interface RunMeta {
  format: 1 | 2;
  /** The run folder's name. */
  id: string;
  experiment: string;
  variant?: string;
  /** A name the user gave the run (Rename in the Runs view or the runs table). */
  name?: string;
  /** The experiment file's path as given (relative to the workspace or the command's cwd). */
  file: string;
  /** ISO 8601. */
  started_at: string;
  status: RunFileStatus;
  spec: ExperimentSpec;
  header?: RunHeader;
  summary?: RunSummary;
}

export interface RunInit {
  experiment: string;
  variant?: string;
  file: string;
  spec: ExperimentSpec;
  /** Start time (default: now); names the folder. */
  now?: Date;
}

/**
 * Writes a run folder: run.json from `started` and `finished`, and — when the records come through
 * it (the command line) — metrics.bin and series.bin through a RunRecorder. In the extension the
 * training worker records the records itself (RunRecorder) and the host writes only run.json.
 */
export class RunWriter {
  private meta: RunMeta;
  private ended = false;
  private recorder: RunRecorder | undefined;

  private constructor(
    readonly dir: string,
    meta: RunMeta,
  ) {
    this.meta = meta;
  }

  get id(): string {
    return this.meta.id;
  }

  /** Creates the run folder (unique even for runs started within the same second) and run.json. */
  static create(runsDir: string, init: RunInit): RunWriter {
    const now = init.now ?? new Date();
    fs.mkdirSync(runsDir, { recursive: true });
    const base = runFolderName(now, init.experiment, init.variant);
    let id = base;
    for (let n = 2; ; n++) {
      try {
        // Without `recursive`, mkdir fails if the folder exists: an atomic claim of the name.
        fs.mkdirSync(path.join(runsDir, id));
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        id = `${base}-${n}`;
      }
    }
    const meta: RunMeta = {
      format: RUN_FORMAT,
      id,
      experiment: init.experiment,
      ...(init.variant !== undefined ? { variant: init.variant } : {}),
      file: init.file,
      started_at: now.toISOString(),
      status: 'running',
      spec: init.spec,
    };
    const writer = new RunWriter(path.join(runsDir, id), meta);
    writer.saveMeta();
    return writer;
  }

  /**
   * Records an event: metric records are appended to metrics.bin (flushed at once); `started` and
   * `finished` update run.json.
   */
  write(event: TrainEvent): void {
    switch (event.type) {
      case 'started':
        this.meta.header = event.header;
        this.saveMeta();
        break;
      case 'records':
        if (event.records.length > 0 && !this.ended) {
          this.recorder ??= new RunRecorder(this.dir);
          this.recorder.add(event.records);
          this.recorder.flush();
        }
        break;
      case 'finished':
        if (this.ended) return;
        this.ended = true;
        this.recorder?.close();
        this.meta.status = event.summary.status;
        this.meta.summary = event.summary;
        fs.writeFileSync(path.join(this.dir, SUMMARY_FILE), JSON.stringify(event.summary, null, 2) + '\n');
        this.saveMeta();
        break;
      case 'log':
        break;
    }
  }

  /** Marks a run that ends without a `finished` event (the process is going away). */
  markInterrupted(): void {
    if (this.ended) return;
    this.ended = true;
    this.recorder?.close();
    this.meta.status = 'interrupted';
    this.saveMeta();
  }

  /** Writes run.json through a temporary file, so a reader never sees half of it. */
  private saveMeta(): void {
    const file = path.join(this.dir, RUN_FILE);
    const temp = `${file}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(this.meta, null, 2) + '\n');
    fs.renameSync(temp, file);
  }
}

/** "20250131-142501-spiral-mlp--adam" (local time, as the user reads it). */
export function runFolderName(time: Date, experiment: string, variant?: string): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const stamp =
    `${time.getFullYear()}${p(time.getMonth() + 1)}${p(time.getDate())}-` +
    `${p(time.getHours())}${p(time.getMinutes())}${p(time.getSeconds())}`;
  return `${stamp}-${slug(experiment)}${variant !== undefined ? `--${slug(variant)}` : ''}`;
}

/** Lower case ASCII letters, digits and single dashes; never empty. */
export function slug(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return s || 'run';
}

/** Every run in `runsDir` (newest first); folders without a readable run.json are skipped. */
export function listRuns(runsDir: string): RunMeta[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(runsDir, { withFileTypes: true });
  } catch {
    return [];
  }
  const runs: RunMeta[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    try {
      runs.push(readMeta(path.join(runsDir, entry.name)));
    } catch {
      // Not a run folder, or one being created right now.
    }
  }
  return runs.sort((a, b) => (a.started_at < b.started_at ? 1 : a.started_at > b.started_at ? -1 : 0));
}

/**
 * A run's metadata and every record, in order (a torn end skipped). Holds all the records: for
 * tests, tools and small runs; views read the digest instead (runReader.ts).
 */
export function readRun(dir: string): { meta: RunMeta; records: MetricRecord[] } {
  return { meta: readMeta(dir), records: readRecords(dir) };
}

/**
 * The records of a metrics.jsonl text (the format before metrics.bin), in order: one per line,
 * skipping blank lines, lines that are not JSON (cut off mid-write) and lines that are not a
 * record of a known kind with a step number.
 */
export function parseMetrics(text: string): MetricRecord[] {
  const records: MetricRecord[] = [];
  for (const line of text.split('\n')) parseLegacyLine(line, (r) => records.push(r));
  return records;
}

/** The run.json of a run folder; throws when it is not one. */
export function readMeta(dir: string): RunMeta {
  const meta = JSON.parse(fs.readFileSync(path.join(dir, RUN_FILE), 'utf8')) as RunMeta;
  if (!READABLE_FORMATS.includes(meta.format) || typeof meta.id !== 'string') {
    throw new Error(`${path.join(dir, RUN_FILE)} is not a Trainscope run (format ${String(meta.format)})`);
  }
  // The folder is the run's identity, even if it was renamed or copied.
  meta.id = path.basename(dir);
  return meta;
}
