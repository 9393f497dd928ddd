/**
 * What a view needs of a run, in bounded memory, at any length: every series as a summary, the
 * latest step, epoch and probe records (headline numbers, histograms), and the findings (each rule
 * fires once per target, so they stay few). The worker makes deltas of it as training goes; the
 * extension host and each webview keep a RunDigest and apply them; the run folder keeps one beside
 * the raw records, so a run of a million steps reopens without reading them.
 */
import { findingKey } from '../diagnostics/finding';
import type { BoundaryRecord, EpochRecord, FindingRecord, ImagesRecord, MetricRecord, ProbeRecord, StepRecord } from '../train/events';
import { SeriesFeed, SeriesSet, arePiecesValid, concatPieces, piecesSize, type SeriesPieces } from './seriesSet';

/** How many records of each kind a run has (the raw file holds them all). */
export interface RecordCounts {
  steps: number;
  epochs: number;
  probes: number;
  findings: number;
}

/** What changed in a run (or, as a snapshot, everything). */
export interface DigestDelta {
  series: SeriesPieces;
  lastStep?: StepRecord;
  lastEpoch?: EpochRecord;
  probe?: ProbeRecord;
  /** The latest decision boundary (2-D classifiers): only the latest is kept anywhere. */
  boundary?: BoundaryRecord;
  /** The latest views of an image data set (examples, confusion matrix, first-layer weights). */
  images?: ImagesRecord;
  /** Findings not in an earlier delta. */
  findings: FindingRecord[];
  counts: RecordCounts;
  /**
   * Wall time (ms since the epoch, Date.now) when the newest record of the delta was made: a view
   * compares it with its own clock to know how far behind the engine it is.
   */
  madeAt?: number;
}

export function emptyCounts(): RecordCounts {
  return { steps: 0, epochs: 0, probes: 0, findings: 0 };
}

export class RunDigest {
  readonly series: SeriesSet;
  lastStep: StepRecord | undefined;
  lastEpoch: EpochRecord | undefined;
  probe: ProbeRecord | undefined;
  boundary: BoundaryRecord | undefined;
  images: ImagesRecord | undefined;
  readonly findings: FindingRecord[] = [];
  counts: RecordCounts = emptyCounts();
  readonly findingKeys = new Set<string>();
  /** The `madeAt` of the newest delta applied. */
  madeAt: number | undefined;

  /** `scale` < 1 keeps coarser summaries than the sender's (see SeriesSet). */
  constructor(scale = 1) {
    this.series = new SeriesSet(scale);
  }

  addRecord(r: MetricRecord): void {
    this.series.addRecord(r);
    noteRecord(this, r);
  }

  apply(delta: DigestDelta): void {
    this.series.ingest(delta.series);
    if (delta.lastStep) this.lastStep = delta.lastStep;
    if (delta.lastEpoch) this.lastEpoch = delta.lastEpoch;
    if (delta.probe) this.probe = delta.probe;
    if (delta.boundary) this.boundary = delta.boundary;
    if (delta.images) this.images = delta.images;
    for (const f of delta.findings) upsertFinding(this.findings, f);
    this.counts = { ...delta.counts };
    if (delta.madeAt !== undefined) this.madeAt = delta.madeAt;
  }

  /** Everything (or only the series `keep` keeps), as one delta: to start a view, or to keep beside the raw records. */
  snapshot(keep?: (key: string) => boolean): DigestDelta {
    return { ...this.latest(), series: this.series.pack(keep) };
  }

  /** Everything but the series: the latest records, the findings and the counts (cheap to take). */
  latest(): Omit<DigestDelta, 'series'> {
    const d: Omit<DigestDelta, 'series'> = { findings: [...this.findings], counts: { ...this.counts } };
    if (this.lastStep) d.lastStep = this.lastStep;
    if (this.lastEpoch) d.lastEpoch = this.lastEpoch;
    if (this.probe) d.probe = this.probe;
    if (this.boundary) d.boundary = this.boundary;
    if (this.images) d.images = this.images;
    if (this.madeAt !== undefined) d.madeAt = this.madeAt;
    return d;
  }

  /** The latest step reached (by any record). */
  get step(): number {
    return Math.max(this.lastStep?.step ?? 0, this.lastEpoch?.step ?? 0, this.probe?.step ?? 0);
  }
}

/** The latest records and the counts, as RunDigest and DigestFeed keep them. */
interface Latest {
  lastStep?: StepRecord;
  lastEpoch?: EpochRecord;
  probe?: ProbeRecord;
  boundary?: BoundaryRecord;
  images?: ImagesRecord;
  findings: FindingRecord[];
  counts: RecordCounts;
  /** The keys of every finding so far (a finding that grew is sent again whole, and counts once). */
  findingKeys: Set<string>;
}

function noteRecord(into: Latest, r: MetricRecord): void {
  switch (r.kind) {
    case 'step':
      into.lastStep = r;
      into.counts.steps++;
      break;
    case 'epoch':
      into.lastEpoch = r;
      into.counts.epochs++;
      break;
    case 'probe':
      into.probe = r;
      into.counts.probes++;
      break;
    case 'boundary':
      into.boundary = r;
      break;
    case 'images':
      into.images = r;
      break;
    case 'finding':
      upsertFinding(into.findings, r);
      if (!into.findingKeys.has(findingKey(r))) into.counts.findings++;
      into.findingKeys.add(findingKey(r));
      break;
  }
}

/** The sending side: records in, a delta out whenever asked (at most a few dozen times a second). */
export class DigestFeed {
  private readonly feed = new SeriesFeed();
  /** Since the last delta (the counts: since the start). */
  private latest: Latest = { findings: [], counts: emptyCounts(), findingKeys: new Set() };
  private changed = false;
  private madeAt: number | undefined;

  constructor(private readonly clock: () => number = Date.now) {}

  addRecord(r: MetricRecord): void {
    this.feed.addRecord(r);
    noteRecord(this.latest, r);
    this.changed = true;
  }

  /** Call after a batch of records: stamps the delta with the time they were made. */
  stamp(): void {
    if (this.changed) this.madeAt = this.clock();
  }

  get pending(): boolean {
    return this.changed;
  }

  /** The delta since the last call, or undefined when nothing happened. */
  take(): DigestDelta | undefined {
    if (!this.changed) return undefined;
    const { lastStep, lastEpoch, probe, boundary, images, findings, counts, findingKeys } = this.latest;
    const d: DigestDelta = { series: this.feed.take(), findings, counts: { ...counts } };
    if (lastStep) d.lastStep = lastStep;
    if (lastEpoch) d.lastEpoch = lastEpoch;
    if (probe) d.probe = probe;
    if (boundary) d.boundary = boundary;
    if (images) d.images = images;
    if (this.madeAt !== undefined) d.madeAt = this.madeAt;
    this.latest = { findings: [], counts, findingKeys };
    this.changed = false;
    return d;
  }
}

/** Two deltas as one (the later one's latest records win; pieces and findings add up). */
export function mergeDeltas(a: DigestDelta, b: DigestDelta): DigestDelta {
  const findings = [...a.findings];
  for (const f of b.findings) upsertFinding(findings, f);
  const d: DigestDelta = { series: concatPieces(a.series, b.series), findings, counts: b.counts };
  const lastStep = b.lastStep ?? a.lastStep;
  const lastEpoch = b.lastEpoch ?? a.lastEpoch;
  const probe = b.probe ?? a.probe;
  const boundary = b.boundary ?? a.boundary;
  const images = b.images ?? a.images;
  const madeAt = b.madeAt ?? a.madeAt;
  if (lastStep) d.lastStep = lastStep;
  if (lastEpoch) d.lastEpoch = lastEpoch;
  if (probe) d.probe = probe;
  if (boundary) d.boundary = boundary;
  if (images) d.images = images;
  if (madeAt !== undefined) d.madeAt = madeAt;
  return d;
}

/** Numbers a delta holds in its pieces (what a queue of deltas is bounded by). */
export function deltaSize(d: DigestDelta): number {
  return piecesSize(d.series);
}

/** A structural check of a delta that came from another thread or process. */
export function isDigestDelta(value: unknown): value is DigestDelta {
  if (typeof value !== 'object' || value === null) return false;
  const d = value as Partial<DigestDelta>;
  return arePiecesValid(d.series) && Array.isArray(d.findings) && typeof d.counts === 'object' && d.counts !== null;
}

/** Puts `finding` in `list` in place of the one of the same rule and target; whether it replaced one. */
function upsertFinding(list: FindingRecord[], finding: FindingRecord): boolean {
  const key = findingKey(finding);
  const at = list.findIndex((f) => findingKey(f) === key);
  if (at < 0) list.push(finding);
  else list[at] = finding;
  return at >= 0;
}
