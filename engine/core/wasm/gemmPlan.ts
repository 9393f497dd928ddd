/**
 * How one gemm is cut into tasks for the WebAssembly kernel (scripts/wasm/gemmWat.mjs): packing
 * tasks for groups of A and B panels, then tiles of C. Pure arithmetic, shared by the kernels and
 * their tests.
 */

/** Register tile and K block of the generated kernel (scripts/wasm/kernelsWat.mjs, TILE). */
export const MR = 4;
export const NR = 8;

/** i32 slots of the job descriptor (scripts/wasm/gemmWat.mjs, JOB). */
export const JOB = {
  tA: 0,
  tB: 1,
  M: 2,
  N: 3,
  K: 4,
  A: 5,
  B: 6,
  C: 7,
  lda: 8,
  ldb: 9,
  ldc: 10,
  alpha: 11,
  beta: 12,
  Ap: 13,
  Bp: 14,
  aPanelsPerTask: 15,
  bPanelsPerTask: 16,
  packATasks: 17,
  packBTasks: 18,
  tileRowPanels: 19,
  tileColPanels: 20,
  tilesM: 21,
  tilesN: 22,
  claim: 23,
  packDone: 24,
  allDone: 25,
  helperTasks: 26,
  bias: 27,
} as const;
export const JOB_BYTES = 128;

/** Floats one packing task copies, about: small enough to balance, big enough to amortize a claim. */
const PACK_TASK_FLOATS = 32768;
/** Largest tile: 64 rows × 256 columns (its A block stays in L2, each B panel in L1 while used). */
const TILE_ROW_PANELS = 16;
const TILE_COL_PANELS = 32;
/** Multiply-adds below which a tile is not split further to make tasks for more threads. */
const MIN_TILE_MACS = 1 << 17;

export interface GemmPlan {
  panelsM: number;
  panelsN: number;
  aPanelsPerTask: number;
  bPanelsPerTask: number;
  packATasks: number;
  packBTasks: number;
  tileRowPanels: number;
  tileColPanels: number;
  tilesM: number;
  tilesN: number;
  /** Bytes of packed A and packed B. */
  apBytes: number;
  bpBytes: number;
  tasks: number;
}

/**
 * The tasks of an m×n×k gemm for `threads` threads. Tiles do not depend on `threads` unless a
 * single tile would leave a second thread idle; a tile's arithmetic never depends on its size
 * (every C entry sums its products in the same order), so results are identical either way.
 */
export function planGemm(m: number, n: number, k: number, threads: number): GemmPlan {
  const panelsM = Math.ceil(m / MR);
  const panelsN = Math.ceil(n / NR);
  const aPanelsPerTask = Math.max(1, Math.floor(PACK_TASK_FLOATS / (MR * k)));
  const bPanelsPerTask = Math.max(1, Math.floor(PACK_TASK_FLOATS / (NR * k)));
  let tileRowPanels = Math.min(panelsM, TILE_ROW_PANELS);
  let tileColPanels = Math.min(panelsN, TILE_COL_PANELS);
  if (threads > 1) {
    // Enough tiles for every thread to take a few (dynamic balancing needs slack), while tiles
    // stay big enough to be worth a claim.
    const want = 4 * threads;
    while (Math.ceil(panelsM / tileRowPanels) * Math.ceil(panelsN / tileColPanels) < want) {
      const macs = tileRowPanels * MR * tileColPanels * NR * k;
      if (macs < 2 * MIN_TILE_MACS) break;
      if (tileColPanels >= tileRowPanels * 2 && tileColPanels > 1) tileColPanels = Math.ceil(tileColPanels / 2);
      else if (tileRowPanels > 1) tileRowPanels = Math.ceil(tileRowPanels / 2);
      else if (tileColPanels > 1) tileColPanels = Math.ceil(tileColPanels / 2);
      else break;
    }
  }
  const tilesM = Math.ceil(panelsM / tileRowPanels);
  const tilesN = Math.ceil(panelsN / tileColPanels);
  const packATasks = Math.ceil(panelsM / aPanelsPerTask);
  const packBTasks = Math.ceil(panelsN / bPanelsPerTask);
  return {
    panelsM,
    panelsN,
    aPanelsPerTask,
    bPanelsPerTask,
    packATasks,
    packBTasks,
    tileRowPanels,
    tileColPanels,
    tilesM,
    tilesN,
    apBytes: panelsM * MR * k * 4,
    bpBytes: panelsN * NR * k * 4,
    tasks: packATasks + packBTasks + tilesM * tilesN,
  };
}
