// Reading a run folder from the harness (plain JavaScript, no engine import): how far the engine
// has recorded — the last step of metrics.bin's whole chunks (engine/runs/recordFile.ts describes
// the format) — read incrementally, and the folder's size.
import fs from 'node:fs';
import path from 'node:path';

const MAGIC = 0x31435354; // "TSC1"

/** Follows a metrics.bin as it grows; `lastStep()` is the last step recorded so far. */
export function recordTail(runDir) {
  const file = path.join(runDir, 'metrics.bin');
  let offset = 0;
  let last = 0;
  return {
    lastStep() {
      let fd;
      try { fd = fs.openSync(file, 'r'); } catch { return last; }
      try {
        const size = fs.fstatSync(fd).size;
        const head = Buffer.alloc(36);
        while (offset + 36 <= size) {
          fs.readSync(fd, head, 0, 36, offset);
          if (head.readUInt32LE(0) !== MAGIC) { break; }
          const length = head.readUInt32LE(4);
          if (offset + 12 + length > size) { break; } // being written
          last = Math.max(last, head.readDoubleLE(12 + 12));
          offset += 12 + length;
        }
      } finally {
        fs.closeSync(fd);
      }
      return last;
    },
  };
}

/** Bytes of every file in a folder. */
export function folderBytes(dir) {
  let total = 0;
  for (const f of fs.readdirSync(dir)) { total += fs.statSync(path.join(dir, f)).size; }
  return total;
}

/** The newest run folder under `runsDir` whose run.json names `experiment`. */
export function newestRun(runsDir, experiment) {
  const runs = fs.existsSync(runsDir) ? fs.readdirSync(runsDir) : [];
  const matching = runs.filter(id => {
    try { return JSON.parse(fs.readFileSync(path.join(runsDir, id, 'run.json'), 'utf8')).experiment === experiment; } catch { return false; }
  }).sort();
  return matching.length > 0 ? path.join(runsDir, matching[matching.length - 1]) : undefined;
}

export function runMeta(runDir) {
  return JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8'));
}

/** The mini-batch loss recorded for `step` in metrics.bin (undefined when it has none). */
export function stepLoss(runDir, step) {
  const data = fs.readFileSync(path.join(runDir, 'metrics.bin'));
  let at = 0;
  while (at + 12 <= data.length && data.readUInt32LE(at) === MAGIC) {
    const length = data.readUInt32LE(at + 4);
    const body = data.subarray(at + 12, at + 12 + length);
    at += 12 + length;
    if (body.length < 28 || body[0] !== 1) { continue; } // not a steps chunk
    const first = body.readDoubleLE(4);
    const count = body.readUInt32LE(20);
    if (step < first || step >= first + count) { continue; }
    let c = 28;
    for (let k = body.readUInt16LE(24); k > 0; k--) {
      const nameLength = body[c];
      const name = body.toString('latin1', c + 1, c + 1 + nameLength);
      const encoding = body[c + 1 + nameLength];
      c += 2 + nameLength;
      if (encoding === 0) {
        if (name === 'loss') { return body.readDoubleLE(c + (step - first) * 8); }
        c += count * 8;
      } else {
        const runs = body.readUInt32LE(c);
        c += 4;
        let i = 0;
        for (let r = 0; r < runs; r++, c += 12) {
          const n = body.readUInt32LE(c + 8);
          if (name === 'loss' && step - first < i + n) { return body.readDoubleLE(c); }
          i += n;
        }
      }
    }
  }
  return undefined;
}
