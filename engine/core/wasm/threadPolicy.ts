/**
 * Whether a job gets a second thread. On a 2-core machine a second thread pays only when there is
 * a free core: when the editor, another run or another program keeps one busy, the helper gets a
 * fraction of a core, takes few tasks, and the engine's thread may even wait for a task the helper
 * started and then lost its core in the middle of. So the policy watches every two-thread job —
 * the share of its tasks the helper took, and how long the engine's thread waited for the helper
 * at the end — and when the helper does not pay its way, runs on one thread for a while before it
 * tries two again (backing off longer each time it is disappointed, as long as that lasts).
 *
 * Small jobs never get a second thread: waking it costs tens of microseconds.
 */
export interface ThreadPolicyOptions {
  /** Threads the kernels may use (1 = never a helper). */
  threads: number;
  /** Multiply-adds (or elements, for updates) below which a job runs on one thread. */
  minWork: number;
  /** Milliseconds clock. */
  now?: () => number;
}

/** A job where the helper took less than this share of the tasks did not pay for waking it. */
const MIN_HELPER_SHARE = 0.2;
/** ... nor one where the engine's thread spent more than this share of the job waiting for it. */
const MAX_WAIT_SHARE = 0.25;
/** Judged over this many recent two-thread jobs (an exponential average). */
const WINDOW = 8;
const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 8000;

export class ThreadPolicy {
  readonly threads: number;
  readonly minWork: number;
  private readonly now: () => number;
  private score = 1;
  private judged = 0;
  private singleUntil = 0;
  private backoff = FIRST_BACKOFF_MS;
  /** Counts for benchmarks: jobs run with two threads, with one for lack of work, and backed off. */
  readonly stats = { parallel: 0, small: 0, backedOff: 0, backoffs: 0 };

  constructor(options: ThreadPolicyOptions) {
    this.threads = Math.max(1, Math.floor(options.threads));
    this.minWork = options.minWork;
    this.now = options.now ?? (() => performance.now());
  }

  /** Threads for a job of `work` units. */
  threadsFor(work: number): number {
    if (this.threads === 1 || work < this.minWork) {
      this.stats.small++;
      return 1;
    }
    if (this.singleUntil > 0) {
      if (this.now() < this.singleUntil) {
        this.stats.backedOff++;
        return 1;
      }
      this.singleUntil = 0;
      this.score = 1;
      this.judged = 0;
    }
    this.stats.parallel++;
    return this.threads;
  }

  /** What a two-thread job showed: the helper's share of its tasks and the engine thread's waiting share. */
  record(helperShare: number, waitShare: number): void {
    const paid = helperShare >= MIN_HELPER_SHARE && waitShare <= MAX_WAIT_SHARE ? 1 : 0;
    this.score += (paid - this.score) / WINDOW;
    this.judged++;
    if (this.judged >= WINDOW / 2 && this.score < 0.5) {
      this.singleUntil = this.now() + this.backoff;
      this.backoff = Math.min(MAX_BACKOFF_MS, this.backoff * 2);
      this.stats.backoffs++;
    } else if (this.judged >= WINDOW && this.score > 0.9) {
      this.backoff = FIRST_BACKOFF_MS;
    }
  }
}
