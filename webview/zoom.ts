/**
 * The step range the charts show, shared by all of them (zoom one, the others follow), and the
 * detail the page asks the host for when a range is zoomed in further than the run's digest has
 * buckets: the raw records of that range, at a bucket width of about a pixel column. A few answers
 * are kept (one per zoom level visited); the digest itself stays bounded.
 */
import { MAX_DETAIL_BUCKETS } from '../contract/messages';
import type { BucketSource } from '../contract/decimate';
import type { PackedSeries } from '../contract/series';
import { windowFromPieces, type SeriesWindow } from '../contract/series';

export interface StepRange {
  from: number;
  to: number;
}

/** The zoom: undefined = the whole run. */
export class SharedRange {
  private value: StepRange | undefined;
  private readonly listeners: (() => void)[] = [];

  get current(): StepRange | undefined {
    return this.value;
  }

  set(range: StepRange | undefined): void {
    const next = range && range.to > range.from ? { from: Math.max(0, range.from), to: range.to } : undefined;
    if (next?.from === this.value?.from && next?.to === this.value?.to) {
      return;
    }
    this.value = next;
    this.listeners.forEach(l => l());
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }
}

interface Answer {
  from: number;
  to: number;
  width: number;
  /** The run's last step when it was read (a live run's newer steps are not in it). */
  readUpTo: number;
  windows: Map<string, SeriesWindow>;
}

/** Answers kept: one per zoom level the user went through, the oldest dropped. */
const KEEP_ANSWERS = 4;
const REQUEST_DELAY_MS = 100;
/** A live run zoomed at its end: ask again for its newer steps at most this often. */
const REFRESH_LIVE_MS = 1000;

export interface DetailRequestOut {
  requestId: number;
  keys: string[];
  from: number;
  to: number;
  width: number;
}

export class DetailCache {
  private answers: Answer[] = [];
  private wanted = new Set<string>();
  private request: { from: number; to: number; width: number; readUpTo: number } | undefined;
  private sent: (DetailRequestOut & { readUpTo: number }) | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private nextId = 1;
  private lastSent = 0;

  constructor(
    private readonly post: (request: DetailRequestOut) => void,
    private readonly onAnswer: () => void,
  ) {}

  /** Forgets everything (another run is shown). */
  clear(): void {
    this.answers = [];
    this.wanted.clear();
    this.request = undefined;
    this.sent = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The width of a bucket per pixel column for a range: the finest detail worth drawing. */
  static widthFor(range: StepRange, columns: number): number {
    const perColumn = Math.max(1, (range.to - range.from) / Math.max(1, columns));
    return 2 ** Math.floor(Math.log2(perColumn));
  }

  /**
   * What to draw `key` from over `range`: the finest kept answer that covers it and is finer than
   * the digest's summary, else the summary. Asks for detail when the summary is too coarse.
   */
  source(key: string, summary: BucketSource, range: StepRange | undefined, columns: number, maxX: number): BucketSource {
    if (!range) {
      return summary;
    }
    const width = DetailCache.widthFor(range, columns);
    const answer = this.bestAnswer(key, range, summary.width);
    if (summary.width > width && (!answer || answer.width > width || this.stale(answer, range, maxX))) {
      this.want(key, range, width, maxX);
    }
    return answer?.windows.get(key) ?? summary;
  }

  /** Takes an answer; false when it is not the one asked for last (a newer zoom replaced it). */
  receive(requestId: number, from: number, to: number, width: number, series: PackedSeries[]): boolean {
    if (!this.sent || this.sent.requestId !== requestId) {
      return false;
    }
    const windows = new Map(series.map(s => [s.key, windowFromPieces(s.pieces, from, to)]));
    this.answers = [{ from, to, width, readUpTo: this.sent.readUpTo, windows }, ...this.answers.filter(a => a.width !== width)].slice(0, KEEP_ANSWERS);
    this.sent = undefined;
    this.onAnswer();
    return true;
  }

  private bestAnswer(key: string, range: StepRange, coarsest: number): Answer | undefined {
    let best: Answer | undefined;
    for (const a of this.answers) {
      if (a.from <= range.from && a.to >= range.to && a.width < coarsest && a.windows.has(key) && (!best || a.width < best.width)) {
        best = a;
      }
    }
    return best;
  }

  private stale(answer: Answer, range: StepRange, maxX: number): boolean {
    return range.to > answer.readUpTo && maxX > answer.readUpTo && Date.now() - this.lastSent > REFRESH_LIVE_MS;
  }

  private want(key: string, range: StepRange, width: number, maxX: number): void {
    this.wanted.add(key);
    // Half a range of margin each side, so a pan stays inside the answer.
    const span = range.to - range.from;
    const from = Math.max(0, Math.floor(range.from - span / 2));
    const to = Math.ceil(range.to + span / 2);
    let w = width;
    while ((to - from) / w > MAX_DETAIL_BUCKETS) {
      w *= 2;
    }
    this.request = { from, to, width: w, readUpTo: maxX };
    if (this.sent && this.sent.from <= range.from && this.sent.to >= range.to && this.sent.width <= w && [...this.wanted].every(k => this.sent!.keys.includes(k))) {
      return; // already on its way
    }
    this.timer ??= setTimeout(() => this.send(), REQUEST_DELAY_MS);
  }

  private send(): void {
    this.timer = undefined;
    const r = this.request;
    if (!r || this.wanted.size === 0) {
      return;
    }
    const out = { requestId: this.nextId++, keys: [...this.wanted], from: r.from, to: r.to, width: r.width };
    this.sent = { ...out, readUpTo: r.readUpTo };
    this.lastSent = Date.now();
    this.wanted.clear();
    this.request = undefined;
    this.post(out);
  }
}
