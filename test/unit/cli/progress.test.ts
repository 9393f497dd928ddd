import { describe, expect, it } from 'vitest';
import { Progress } from '../../../cli/progress';
import type { EpochRecord } from '../../../engine/train/events';

const record = (epoch: number): EpochRecord => ({ kind: 'epoch', epoch, step: epoch * 4, train_loss: 1 / epoch, lr: 0.1, elapsed_ms: epoch });

describe('Progress', () => {
  it('without a terminal: the first epoch, every ~10%, and the last', () => {
    const out: string[] = [];
    const p = new Progress(t => out.push(t), false, 25);
    for (let e = 1; e <= 25; e++) p.epoch(record(e));
    p.end();
    expect(out.map(l => Number(/epoch\s+(\d+)/.exec(l)![1]))).toEqual([1, 3, 6, 9, 12, 15, 18, 21, 24, 25]);
    expect(out.every(l => l.endsWith('\n'))).toBe(true);
  });

  it('on a terminal: redraws one line at most every 100 ms, always shows the newest at the end', () => {
    const out: string[] = [];
    let time = 0;
    const p = new Progress(t => out.push(t), true, 1000, () => time);
    for (let e = 1; e <= 10; e++) {
      p.epoch(record(e));
      time += 30;
    }
    // Drawn at t = 0, 120 and 240 ms: epochs 1, 5, 9.
    expect(out.map(l => /epoch\s+(\d+)/.exec(l)![1])).toEqual(['1', '5', '9']);
    expect(out.every(l => l.startsWith('\r\x1b[2K'))).toBe(true);
    p.message('warning: something');
    expect(out.slice(3)).toEqual([expect.stringContaining('epoch   10/1000'), '\n', 'warning: something\n']);
  });
});
