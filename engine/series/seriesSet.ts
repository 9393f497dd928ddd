/**
 * Every series of one run, each a bounded SeriesSummary, keyed as recordSeries.ts names them; and
 * their travelling form. The worker, the extension host, the webview and the run folder each keep
 * one; they exchange `SeriesPieces` (what changed, as pieces) and `PackedSeries` (everything, e.g.
 * a snapshot or the file beside the raw records). A comparison of many runs keeps one per run.
 */
import { PieceEmitter } from './pieces';
import { recordPoints, seriesGroup, type SeriesGroup } from './recordSeries';
import type { MetricRecord } from '../train/events';
import { F, FIELDS, mergeInto, SeriesSummary } from './summary';

/**
 * Buckets per series: a step series is drawn across a whole chart, the sparser ones need fewer. A
 * distribution is nine series per layer drawn as bands (one band column per bucket is plenty),
 * so it keeps fewer: a 5-layer model's 13 distributions hold ~3.6 MB per copy of the digest.
 */
export const CAPACITY: Record<SeriesGroup, number> = { step: 2048, epoch: 1024, probe: 1024, distribution: 256 };

/** One series in travelling form: its pieces (FIELDS numbers each) and, for probe series, a label. */
export interface PackedSeries {
  key: string;
  label?: string;
  pieces: Float64Array;
}

/** What changed in a run's series since the last delta, or all of them. */
export type SeriesPieces = PackedSeries[];

export class SeriesSet {
  private readonly summaries = new Map<string, SeriesSummary>();
  private readonly labels = new Map<string, string>();
  private readonly sink = {
    point: (key: string, x: number, y: number) => this.summary(key).add(x, y),
    label: (key: string, label: string) => {
      if (!this.labels.has(key)) this.labels.set(key, label);
    },
  };

  /** `scale` multiplies every capacity (a receiver may keep coarser summaries than the sender). */
  constructor(private readonly scale = 1) {}

  /** Adds a record's points. */
  addRecord(record: MetricRecord): void {
    recordPoints(record, this.sink);
  }

  add(key: string, x: number, y: number): void {
    this.summary(key).add(x, y);
  }

  /** Merges pieces (a delta, a snapshot or a detail answer). */
  ingest(series: SeriesPieces): void {
    for (const s of series) {
      if (s.label !== undefined && !this.labels.has(s.key)) this.labels.set(s.key, s.label);
      const summary = this.summary(s.key);
      for (let at = 0; at + FIELDS <= s.pieces.length; at += FIELDS) summary.ingest(s.pieces, at);
    }
  }

  /** Every series, each as its buckets. */
  pack(keep: (key: string) => boolean = () => true): SeriesPieces {
    return [...this.summaries].filter(([key]) => keep(key)).map(([key, summary]) => withLabel({ key, pieces: summary.packed() }, this.labels.get(key)));
  }

  get(key: string): SeriesSummary | undefined {
    return this.summaries.get(key);
  }

  has(key: string): boolean {
    return this.summaries.has(key);
  }

  label(key: string): string | undefined {
    return this.labels.get(key);
  }

  /** Series keys, in the order first seen. */
  keys(): string[] {
    return [...this.summaries.keys()];
  }

  /** Sum of every summary's revision: changes whenever anything was added. */
  get revision(): number {
    let r = 0;
    for (const s of this.summaries.values()) r += s.revision;
    return r;
  }

  /** The highest x of any series (−1 when empty). */
  get maxX(): number {
    let x = -1;
    for (const s of this.summaries.values()) x = Math.max(x, s.maxX);
    return x;
  }

  get bytes(): number {
    let b = 0;
    for (const s of this.summaries.values()) b += s.bytes;
    return b;
  }

  clear(): void {
    this.summaries.clear();
    this.labels.clear();
  }

  private summary(key: string): SeriesSummary {
    let s = this.summaries.get(key);
    if (!s) {
      s = new SeriesSummary(Math.max(2, Math.round(CAPACITY[seriesGroup(key)] * this.scale)));
      this.summaries.set(key, s);
    }
    return s;
  }
}

/**
 * The sending side of a live run: turns records into pieces per series (PieceEmitter), to be
 * taken as a delta at most a few dozen times a second. Holds one open piece per series.
 */
export class SeriesFeed {
  private readonly emitters = new Map<string, PieceEmitter>();
  /** Labels not sent yet. */
  private readonly newLabels = new Map<string, string>();
  private readonly sent = new Set<string>();
  private readonly sink = {
    point: (key: string, x: number, y: number) => this.emitter(key).add(x, y),
    label: (key: string, label: string) => {
      if (!this.sent.has(key)) this.newLabels.set(key, label);
    },
  };

  addRecord(record: MetricRecord): void {
    recordPoints(record, this.sink);
  }

  get pending(): boolean {
    for (const e of this.emitters.values()) if (e.pending) return true;
    return false;
  }

  /** The pieces since the last call (series without any left out). */
  take(): SeriesPieces {
    const out: SeriesPieces = [];
    for (const [key, emitter] of this.emitters) {
      if (!emitter.pending) continue;
      const label = this.newLabels.get(key);
      out.push(withLabel({ key, pieces: emitter.take() }, label));
      if (label !== undefined) {
        this.newLabels.delete(key);
        this.sent.add(key);
      }
    }
    return out;
  }

  private emitter(key: string): PieceEmitter {
    let e = this.emitters.get(key);
    if (!e) {
      e = new PieceEmitter(CAPACITY[seriesGroup(key)]);
      this.emitters.set(key, e);
    }
    return e;
  }
}

/**
 * Concatenates two deltas (pieces never overlap, so merging them later is exact). Where b's first
 * piece of a series lies in the same aligned bucket as a's last one (every take closes the open
 * piece, so consecutive deltas usually split one bucket), the two become one piece: deltas merged
 * while a page is busy then carry about as many pieces as a single delta.
 */
export function concatPieces(a: SeriesPieces, b: SeriesPieces): SeriesPieces {
  const byKey = new Map<string, PackedSeries>(a.map((s) => [s.key, s]));
  for (const s of b) {
    const prev = byKey.get(s.key);
    if (!prev) {
      byKey.set(s.key, s);
      continue;
    }
    const joined = sameBucket(prev.pieces, prev.pieces.length - FIELDS, s.pieces, 0) ? FIELDS : 0;
    const pieces = new Float64Array(prev.pieces.length + s.pieces.length - joined);
    pieces.set(prev.pieces);
    if (joined > 0) {
      const last = prev.pieces.length - FIELDS;
      mergeInto(pieces, last, s.pieces, 0);
      pieces[last + F.WIDTH] = Math.max(prev.pieces[last + F.WIDTH], s.pieces[F.WIDTH]);
    }
    pieces.set(s.pieces.subarray(joined), prev.pieces.length);
    byKey.set(s.key, withLabel({ key: s.key, pieces }, prev.label ?? s.label));
  }
  return [...byKey.values()];
}

/**
 * Whether two pieces lie in one aligned bucket of the wider one's width (power-of-two buckets
 * nest, so the narrower piece then lies inside it too and the merged piece is a valid one).
 */
function sameBucket(a: Float64Array, at: number, b: Float64Array, from: number): boolean {
  if (at < 0 || b.length < from + FIELDS) return false;
  const width = Math.max(a[at + F.WIDTH], b[from + F.WIDTH]);
  return Math.floor(a[at + F.X0] / width) === Math.floor(b[from + F.X0] / width);
}

/** Numbers held by a delta (what bounds a queue of them). */
export function piecesSize(series: SeriesPieces): number {
  return series.reduce((n, s) => n + s.pieces.length, 0);
}

/** Whether every piece is well formed (a message from elsewhere is checked before it is merged). */
export function arePiecesValid(series: unknown): series is SeriesPieces {
  if (!Array.isArray(series)) return false;
  return series.every((s) => {
    if (typeof s !== 'object' || s === null) return false;
    const { key, label, pieces } = s as Partial<PackedSeries>;
    if (typeof key !== 'string' || (label !== undefined && typeof label !== 'string')) return false;
    if (!(pieces instanceof Float64Array) || pieces.length % FIELDS !== 0) return false;
    for (let at = 0; at < pieces.length; at += FIELDS) {
      const x0 = pieces[at + F.X0];
      const width = pieces[at + F.WIDTH];
      if (!(x0 >= 0) || !(width >= 1) || !Number.isFinite(width)) return false;
    }
    return true;
  });
}

function withLabel(s: PackedSeries, label: string | undefined): PackedSeries {
  if (label !== undefined) s.label = label;
  return s;
}
