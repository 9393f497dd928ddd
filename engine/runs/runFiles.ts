/**
 * A run on disk, shared by the command line and the extension:
 *
 *   <runsDir>/<YYYYMMDD-HHMMSS>-<slug(name)>[--<variant>]/
 *     run.json        what ran and how it ended (RunFile), rewritten on `started` and `finished`
 *     metrics.jsonl   one MetricRecord per line (steps, probes, findings, epochs), appended as training goes
 *     summary.json    the RunSummary, written when the run ends
 *
 * Appending records line by line means a run cut off mid-write (a crash, a killed process) still
 * loads: `readRun` skips a truncated last line.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ExperimentSpec } from '../experiment/sections';
import type { MetricRecord, RunHeader, RunSummary, TrainEvent } from '../train/events';

export const RUN_FORMAT = 1;
export const RUN_FILE = 'run.json';
export const METRICS_FILE = 'metrics.jsonl';
export const SUMMARY_FILE = 'summary.json';

/** 'interrupted': the process ended without recording an end (a writer may also mark it so). */
export type RunFileStatus = 'running' | 'completed' | 'stopped' | 'failed' | 'interrupted';

/** The content of run.json. */
export interface RunMeta {
  format: typeof RUN_FORMAT;
  /** The run folder's name. */
  id: string;
  experiment: string;
  variant?: string;
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

export class RunWriter {
  private meta: RunMeta;
  private ended = false;

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
    fs.writeFileSync(path.join(writer.dir, METRICS_FILE), '');
    return writer;
  }

  /** Records an event: metric records are appended; `started` and `finished` update run.json. */
  write(event: TrainEvent): void {
    switch (event.type) {
      case 'started':
        this.meta.header = event.header;
        this.saveMeta();
        break;
      case 'records':
        if (event.records.length > 0) {
          fs.appendFileSync(path.join(this.dir, METRICS_FILE), event.records.map(r => JSON.stringify(r) + '\n').join(''));
        }
        break;
      case 'finished':
        if (this.ended) return;
        this.ended = true;
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

/** A run's metadata and records; a truncated or garbled line of metrics.jsonl is skipped. */
export function readRun(dir: string): { meta: RunMeta; records: MetricRecord[] } {
  const meta = readMeta(dir);
  let text = '';
  try {
    text = fs.readFileSync(path.join(dir, METRICS_FILE), 'utf8');
  } catch {
    // A run that failed before its first record may have no metrics file.
  }
  return { meta, records: parseMetrics(text) };
}

/** The record kinds a run writes (see MetricRecord); a line of any other kind is skipped. */
const RECORD_KINDS: ReadonlySet<string> = new Set<MetricRecord['kind']>(['step', 'epoch', 'probe', 'finding']);

/**
 * The records of a metrics.jsonl text, in order: one per line, skipping blank lines, lines that are
 * not JSON (cut off mid-write) and lines that are not a record of a known kind with a step number.
 */
export function parseMetrics(text: string): MetricRecord[] {
  const records: MetricRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const record: unknown = JSON.parse(line);
      if (isRecord(record)) records.push(record);
    } catch {
      // A line cut off mid-write.
    }
  }
  return records;
}

function isRecord(value: unknown): value is MetricRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { kind, step } = value as { kind?: unknown; step?: unknown };
  return typeof kind === 'string' && RECORD_KINDS.has(kind) && typeof step === 'number';
}

function readMeta(dir: string): RunMeta {
  const meta = JSON.parse(fs.readFileSync(path.join(dir, RUN_FILE), 'utf8')) as RunMeta;
  if (meta.format !== RUN_FORMAT || typeof meta.id !== 'string') {
    throw new Error(`${path.join(dir, RUN_FILE)} is not a Trainscope run (format ${String(meta.format)})`);
  }
  // The folder is the run's identity, even if it was renamed or copied.
  meta.id = path.basename(dir);
  return meta;
}
