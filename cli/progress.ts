/**
 * Training progress on stderr. On a terminal: one line, redrawn at most ten times a second (small
 * models finish thousands of epochs a second). Otherwise (a log file, CI): a line every ~10% of
 * the epochs, plus the first and the last.
 */
import type { EpochRecord } from '../engine/train/events';
import { epochLine } from './format';

const REDRAW_MS = 100;

export class Progress {
  private lineOpen = false;
  private lastDraw = -Infinity;
  /** The newest line not drawn yet (throttled). */
  private pending: string | undefined;
  private readonly every: number;

  constructor(
    private readonly write: (text: string) => void,
    private readonly tty: boolean,
    private readonly epochs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.every = Math.max(1, Math.round(epochs / 10));
  }

  epoch(record: EpochRecord): void {
    const line = epochLine(record, this.epochs);
    if (!this.tty) {
      if (record.epoch === 1 || record.epoch % this.every === 0 || record.epoch === this.epochs) this.write(`${line}\n`);
      return;
    }
    const time = this.now();
    if (time - this.lastDraw < REDRAW_MS && record.epoch !== this.epochs) {
      this.pending = line;
      return;
    }
    this.draw(line, time);
  }

  /** A message that must not be drawn over by the live line. */
  message(text: string): void {
    this.end();
    this.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Ends the live line, showing the newest epoch. */
  end(): void {
    if (this.pending !== undefined) this.draw(this.pending, this.now());
    if (this.lineOpen) {
      this.write('\n');
      this.lineOpen = false;
    }
  }

  private draw(line: string, time: number): void {
    // \r + "erase line": redraw in place.
    this.write(`\r\x1b[2K${line}`);
    this.lineOpen = true;
    this.lastDraw = time;
    this.pending = undefined;
  }
}
