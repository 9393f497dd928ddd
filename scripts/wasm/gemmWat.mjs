// WAT text of the engine's sgemm: C = alpha·op(A)·op(B) + beta·C, row-major float32, in the
// module's imported shared memory. The classic Goto/BLIS scheme:
//   - op(A) is packed into MR-row panels and op(B) into NR-column panels (k-major, zero-padded at
//     the edges), so the micro-kernel streams both contiguously whatever the transposes are;
//   - an MR×NR register tile of C accumulates over a K block of at most KC (its B panel stays in L1);
//   - the work is a list of tasks (pack a group of A panels, pack a group of B panels, then compute
//     a tile of C), claimed one at a time with an atomic counter by every thread that runs
//     `gemm_run` on the same job: a thread that is late or descheduled simply claims fewer tasks.
// Each C entry belongs to exactly one task and its arithmetic does not depend on which thread runs
// it, so results are the same with one thread or two.
//
// The job descriptor is written by JavaScript (engine/core/wasm/gemmJob.ts mirrors JOB below).

/** Field → i32 slot of the job descriptor. Kept in sync with engine/core/wasm/gemmJob.ts. */
export const JOB = {
  tA: 0, tB: 1, M: 2, N: 3, K: 4, A: 5, B: 6, C: 7, lda: 8, ldb: 9, ldc: 10, alpha: 11, beta: 12,
  Ap: 13, Bp: 14, aPanelsPerTask: 15, bPanelsPerTask: 16, packATasks: 17, packBTasks: 18,
  tileRowPanels: 19, tileColPanels: 20, tilesM: 21, tilesN: 22,
  /** atomic: generation << 16 | next task to claim */
  claim: 23,
  /** atomic: pack tasks finished */
  packDone: 24,
  /** atomic: all tasks finished */
  allDone: 25,
  /** tasks run by threads other than the caller's (JavaScript reads it to judge a second thread) */
  helperTasks: 26,
  bias: 27,
  size: 32,
};

/**
 * @param {{ MR: number, NR: number, KC: number, fma: boolean }} o
 */
export function gemmWat({ MR, NR, KC, fma }) {
  if (NR % 4 !== 0) throw new Error('NR must be a multiple of 4');
  const NQ = NR / 4;
  const acc = (r, q) => `$c${r}_${q}`;
  const field = (name) => `(i32.load offset=${JOB[name] * 4} (local.get $job))`;
  const fieldF = (name) => `(f32.load offset=${JOB[name] * 4} (local.get $job))`;
  const madd = (a, b, c) => (fma ? `(f32x4.relaxed_madd ${a} ${b} ${c})` : `(f32x4.add ${c} (f32x4.mul ${a} ${b}))`);
  const lines = [];
  const emit = (s) => lines.push(s);

  // ---- the micro-kernel's accumulation loop, shared by the two store variants
  const kernelLocals = () => {
    const out = [];
    for (let r = 0; r < MR; r++) for (let q = 0; q < NQ; q++) out.push(`(local ${acc(r, q)} v128)`);
    out.push('(local $a v128)');
    for (let q = 0; q < NQ; q++) out.push(`(local $b${q} v128)`);
    out.push('(local $end i32)');
    return out.join(' ');
  };
  const kernelLoop = () => {
    const body = [];
    body.push(`(local.set $end (i32.add (local.get $pa) (i32.mul (local.get $kc) (i32.const ${MR * 4}))))`);
    body.push('(loop $k');
    for (let q = 0; q < NQ; q++) body.push(`  (local.set $b${q} (v128.load offset=${16 * q} (local.get $pb)))`);
    for (let r = 0; r < MR; r++) {
      body.push(`  (local.set $a (v128.load32_splat offset=${4 * r} (local.get $pa)))`);
      for (let q = 0; q < NQ; q++) body.push(`  (local.set ${acc(r, q)} ${madd('(local.get $a)', `(local.get $b${q})`, `(local.get ${acc(r, q)})`)})`);
    }
    body.push(`  (local.set $pa (i32.add (local.get $pa) (i32.const ${MR * 4})))`);
    body.push(`  (local.set $pb (i32.add (local.get $pb) (i32.const ${NR * 4})))`);
    body.push('  (br_if $k (i32.lt_u (local.get $pa) (local.get $end))))');
    return body.join('\n    ');
  };

  // A whole MR×NR tile inside C: C = alpha·acc (s = 0: C is not read) or alpha·acc + s·C, plus the
  // bias row when $bias ≠ 0 (the last K block of a linear layer's forward pass).
  emit(`  (func $kern_full (param $pa i32) (param $pb i32) (param $kc i32) (param $pc i32) (param $ldcb i32)
        (param $alpha f32) (param $s f32) (param $bias i32)
    ${kernelLocals()} (local $p i32) (local $av v128) (local $sv v128)
    ${kernelLoop()}
    (local.set $av (f32x4.splat (local.get $alpha)))
    (local.set $sv (f32x4.splat (local.get $s)))`);
  for (let r = 0; r < MR; r++) {
    for (let q = 0; q < NQ; q++) emit(`    (local.set ${acc(r, q)} (f32x4.mul (local.get ${acc(r, q)}) (local.get $av)))`);
  }
  emit('    (if (local.get $bias) (then');
  for (let q = 0; q < NQ; q++) {
    emit(`      (local.set $a (v128.load offset=${16 * q} (local.get $bias)))`);
    for (let r = 0; r < MR; r++) emit(`      (local.set ${acc(r, q)} (f32x4.add (local.get ${acc(r, q)}) (local.get $a)))`);
  }
  emit('    ))');
  emit('    (local.set $p (local.get $pc))');
  emit('    (if (f32.eq (local.get $s) (f32.const 0)) (then');
  for (let r = 0; r < MR; r++) {
    for (let q = 0; q < NQ; q++) emit(`      (v128.store offset=${16 * q} (local.get $p) (local.get ${acc(r, q)}))`);
    if (r < MR - 1) emit('      (local.set $p (i32.add (local.get $p) (local.get $ldcb)))');
  }
  emit('    ) (else');
  for (let r = 0; r < MR; r++) {
    for (let q = 0; q < NQ; q++) {
      emit(`      (v128.store offset=${16 * q} (local.get $p) (f32x4.add (local.get ${acc(r, q)}) (f32x4.mul (local.get $sv) (v128.load offset=${16 * q} (local.get $p)))))`);
    }
    if (r < MR - 1) emit('      (local.set $p (i32.add (local.get $p) (local.get $ldcb)))');
  }
  emit('    )))');

  // An edge tile: the raw accumulators go to the thread's MR×NR scratch tile; $merge writes the
  // part that lies inside C.
  emit(`  (func $kern_tmp (param $pa i32) (param $pb i32) (param $kc i32) (param $tmp i32)
    ${kernelLocals()}
    ${kernelLoop()}`);
  for (let r = 0; r < MR; r++) {
    for (let q = 0; q < NQ; q++) emit(`    (v128.store offset=${(r * NR + 4 * q) * 4} (local.get $tmp) (local.get ${acc(r, q)}))`);
  }
  emit('  )');

  emit(`  (func $merge (param $tmp i32) (param $pc i32) (param $ldc i32) (param $rows i32) (param $cols i32)
        (param $alpha f32) (param $s f32) (param $bias i32)
    (local $r i32) (local $j i32) (local $v f32) (local $dst i32)
    (block $rd (loop $rl
      (br_if $rd (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $jd (loop $jl
        (br_if $jd (i32.ge_u (local.get $j) (local.get $cols)))
        (local.set $dst (i32.add (local.get $pc) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $ldc)) (local.get $j)) (i32.const 2))))
        (local.set $v (f32.mul (f32.load (i32.add (local.get $tmp) (i32.shl (i32.add (i32.mul (local.get $r) (i32.const ${NR})) (local.get $j)) (i32.const 2)))) (local.get $alpha)))
        (if (local.get $bias) (then (local.set $v (f32.add (local.get $v) (f32.load (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2))))))))
        (if (f32.ne (local.get $s) (f32.const 0)) (then (local.set $v (f32.add (local.get $v) (f32.mul (local.get $s) (f32.load (local.get $dst)))))))
        (f32.store (local.get $dst) (local.get $v))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $jl)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rl))))`);

  // ---- packing. Ap[panel][k][r] = op(A)[panel·MR + r][k]; Bp[panel][k][c] = op(B)[k][panel·NR + c]
  emit(`  (func $pack_a (param $job i32) (param $p0 i32) (param $p1 i32)
    (local $M i32) (local $K i32) (local $lda4 i32) (local $tA i32) (local $A i32)
    (local $p i32) (local $k i32) (local $i i32) (local $dst i32) (local $src i32) (local $r i32)
    (local.set $M ${field('M')}) (local.set $K ${field('K')}) (local.set $tA ${field('tA')}) (local.set $A ${field('A')})
    (local.set $lda4 (i32.shl ${field('lda')} (i32.const 2)))
    (local.set $p (local.get $p0))
    (block $pd (loop $pl
      (br_if $pd (i32.ge_u (local.get $p) (local.get $p1)))
      (local.set $i (i32.mul (local.get $p) (i32.const ${MR})))
      (br_if $pd (i32.ge_u (local.get $i) (local.get $M)))
      (local.set $dst (i32.add ${field('Ap')} (i32.mul (i32.mul (local.get $p) (local.get $K)) (i32.const ${MR * 4}))))
      (if (i32.and (local.get $tA) (i32.le_u (i32.add (local.get $i) (i32.const ${MR})) (local.get $M)))
        (then ;; op(A)[i..i+MR][k] = A[k][i..i+MR]: contiguous
          (local.set $src (i32.add (local.get $A) (i32.shl (local.get $i) (i32.const 2))))
          (local.set $k (i32.const 0))
          (block $kd (loop $kl
            (br_if $kd (i32.ge_u (local.get $k) (local.get $K)))
${Array.from({ length: MR / 4 }, (_, q) => `            (v128.store offset=${16 * q} (local.get $dst) (v128.load offset=${16 * q} (local.get $src)))`).join('\n')}
${MR % 4 ? Array.from({ length: MR % 4 }, (_, t) => `            (f32.store offset=${4 * (MR - (MR % 4) + t)} (local.get $dst) (f32.load offset=${4 * (MR - (MR % 4) + t)} (local.get $src)))`).join('\n') : ''}
            (local.set $dst (i32.add (local.get $dst) (i32.const ${MR * 4})))
            (local.set $src (i32.add (local.get $src) (local.get $lda4)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $kl))))
        (else (if (i32.le_u (i32.add (local.get $i) (i32.const ${MR})) (local.get $M))
          (then ;; op(A)[i+r][k] = A[i+r][k]: MR rows read side by side
            (local.set $src (i32.add (local.get $A) (i32.mul (local.get $i) (local.get $lda4))))
            (local.set $k (i32.const 0))
            (block $kd (loop $kl
              (br_if $kd (i32.ge_u (local.get $k) (local.get $K)))
${Array.from({ length: MR }, (_, r) => `              (f32.store offset=${4 * r} (local.get $dst) (f32.load (i32.add (local.get $src) (i32.mul (local.get $lda4) (i32.const ${r})))))`).join('\n')}
              (local.set $dst (i32.add (local.get $dst) (i32.const ${MR * 4})))
              (local.set $src (i32.add (local.get $src) (i32.const 4)))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br $kl))))
          (else ;; the last, partial panel: rows past M are zeros
            (local.set $k (i32.const 0))
            (block $kd (loop $kl
              (br_if $kd (i32.ge_u (local.get $k) (local.get $K)))
              (local.set $r (i32.const 0))
              (block $rd (loop $rl
                (br_if $rd (i32.ge_u (local.get $r) (i32.const ${MR})))
                (f32.store (local.get $dst)
                  (if (result f32) (i32.lt_u (i32.add (local.get $i) (local.get $r)) (local.get $M))
                    (then (f32.load (i32.add (local.get $A) (i32.shl
                      (select
                        (i32.add (i32.mul (local.get $k) ${field('lda')}) (i32.add (local.get $i) (local.get $r)))
                        (i32.add (i32.mul (i32.add (local.get $i) (local.get $r)) ${field('lda')}) (local.get $k))
                        (local.get $tA))
                      (i32.const 2)))))
                    (else (f32.const 0))))
                (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
                (local.set $r (i32.add (local.get $r) (i32.const 1)))
                (br $rl)))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br $kl)))))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $pl))))`);

  emit(`  (func $pack_b (param $job i32) (param $p0 i32) (param $p1 i32)
    (local $N i32) (local $K i32) (local $ldb4 i32) (local $tB i32) (local $B i32)
    (local $p i32) (local $k i32) (local $j i32) (local $dst i32) (local $src i32) (local $c i32)
    (local.set $N ${field('N')}) (local.set $K ${field('K')}) (local.set $tB ${field('tB')}) (local.set $B ${field('B')})
    (local.set $ldb4 (i32.shl ${field('ldb')} (i32.const 2)))
    (local.set $p (local.get $p0))
    (block $pd (loop $pl
      (br_if $pd (i32.ge_u (local.get $p) (local.get $p1)))
      (local.set $j (i32.mul (local.get $p) (i32.const ${NR})))
      (br_if $pd (i32.ge_u (local.get $j) (local.get $N)))
      (local.set $dst (i32.add ${field('Bp')} (i32.mul (i32.mul (local.get $p) (local.get $K)) (i32.const ${NR * 4}))))
      (if (i32.and (i32.eqz (local.get $tB)) (i32.le_u (i32.add (local.get $j) (i32.const ${NR})) (local.get $N)))
        (then ;; op(B)[k][j..j+NR] = B[k][j..j+NR]: contiguous
          (local.set $src (i32.add (local.get $B) (i32.shl (local.get $j) (i32.const 2))))
          (local.set $k (i32.const 0))
          (block $kd (loop $kl
            (br_if $kd (i32.ge_u (local.get $k) (local.get $K)))
${Array.from({ length: NQ }, (_, q) => `            (v128.store offset=${16 * q} (local.get $dst) (v128.load offset=${16 * q} (local.get $src)))`).join('\n')}
            (local.set $dst (i32.add (local.get $dst) (i32.const ${NR * 4})))
            (local.set $src (i32.add (local.get $src) (local.get $ldb4)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $kl))))
        (else (if (i32.le_u (i32.add (local.get $j) (i32.const ${NR})) (local.get $N))
          (then ;; op(B)[k][j+c] = B[j+c][k]: NR rows of B read side by side
            (local.set $src (i32.add (local.get $B) (i32.mul (local.get $j) (local.get $ldb4))))
            (local.set $k (i32.const 0))
            (block $kd (loop $kl
              (br_if $kd (i32.ge_u (local.get $k) (local.get $K)))
${Array.from({ length: NR }, (_, c) => `              (f32.store offset=${4 * c} (local.get $dst) (f32.load (i32.add (local.get $src) (i32.mul (local.get $ldb4) (i32.const ${c})))))`).join('\n')}
              (local.set $dst (i32.add (local.get $dst) (i32.const ${NR * 4})))
              (local.set $src (i32.add (local.get $src) (i32.const 4)))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br $kl))))
          (else ;; the last, partial panel: columns past N are zeros
            (local.set $k (i32.const 0))
            (block $kd (loop $kl
              (br_if $kd (i32.ge_u (local.get $k) (local.get $K)))
              (local.set $c (i32.const 0))
              (block $cd (loop $cl
                (br_if $cd (i32.ge_u (local.get $c) (i32.const ${NR})))
                (f32.store (local.get $dst)
                  (if (result f32) (i32.lt_u (i32.add (local.get $j) (local.get $c)) (local.get $N))
                    (then (f32.load (i32.add (local.get $B) (i32.shl
                      (select
                        (i32.add (i32.mul (i32.add (local.get $j) (local.get $c)) ${field('ldb')}) (local.get $k))
                        (i32.add (i32.mul (local.get $k) ${field('ldb')}) (i32.add (local.get $j) (local.get $c)))
                        (local.get $tB))
                      (i32.const 2)))))
                    (else (f32.const 0))))
                (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
                (local.set $c (i32.add (local.get $c) (i32.const 1)))
                (br $cl)))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br $kl)))))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $pl))))`);

  // ---- one tile of C: rows [ti·tileRowPanels·MR, …), columns [tj·tileColPanels·NR, …), all of K
  emit(`  (func $tile (param $job i32) (param $t i32) (param $tmp i32)
    (local $M i32) (local $N i32) (local $K i32) (local $ldc i32) (local $C i32) (local $Ap i32) (local $Bp i32)
    (local $ip0 i32) (local $ip1 i32) (local $jp0 i32) (local $jp1 i32) (local $ip i32) (local $jp i32)
    (local $k0 i32) (local $kc i32) (local $alpha f32) (local $s f32) (local $bias i32) (local $b i32)
    (local $rows i32) (local $cols i32) (local $pc i32)
    (local.set $M ${field('M')}) (local.set $N ${field('N')}) (local.set $K ${field('K')})
    (local.set $ldc ${field('ldc')}) (local.set $C ${field('C')}) (local.set $Ap ${field('Ap')}) (local.set $Bp ${field('Bp')})
    (local.set $alpha ${fieldF('alpha')}) (local.set $bias ${field('bias')})
    (local.set $ip0 (i32.mul (i32.div_u (local.get $t) ${field('tilesN')}) ${field('tileRowPanels')}))
    (local.set $jp0 (i32.mul (i32.rem_u (local.get $t) ${field('tilesN')}) ${field('tileColPanels')}))
    (local.set $ip1 (i32.add (local.get $ip0) ${field('tileRowPanels')}))
    (local.set $jp1 (i32.add (local.get $jp0) ${field('tileColPanels')}))
    (if (i32.gt_u (i32.mul (local.get $ip1) (i32.const ${MR})) (i32.add (local.get $M) (i32.const ${MR - 1})))
      (then (local.set $ip1 (i32.div_u (i32.add (local.get $M) (i32.const ${MR - 1})) (i32.const ${MR})))))
    (if (i32.gt_u (i32.mul (local.get $jp1) (i32.const ${NR})) (i32.add (local.get $N) (i32.const ${NR - 1})))
      (then (local.set $jp1 (i32.div_u (i32.add (local.get $N) (i32.const ${NR - 1})) (i32.const ${NR})))))
    (local.set $k0 (i32.const 0))
    (block $k0d (loop $k0l
      (local.set $kc (i32.sub (local.get $K) (local.get $k0)))
      (if (i32.gt_u (local.get $kc) (i32.const ${KC})) (then (local.set $kc (i32.const ${KC}))))
      (local.set $s (if (result f32) (local.get $k0) (then (f32.const 1)) (else ${fieldF('beta')})))
      ;; the bias is added once, with the last K block
      (local.set $b (select (local.get $bias) (i32.const 0) (i32.ge_u (i32.add (local.get $k0) (local.get $kc)) (local.get $K))))
      (local.set $jp (local.get $jp0))
      (block $jd (loop $jl
        (br_if $jd (i32.ge_u (local.get $jp) (local.get $jp1)))
        (local.set $cols (i32.sub (local.get $N) (i32.mul (local.get $jp) (i32.const ${NR}))))
        (local.set $ip (local.get $ip0))
        (block $id (loop $il
          (br_if $id (i32.ge_u (local.get $ip) (local.get $ip1)))
          (local.set $rows (i32.sub (local.get $M) (i32.mul (local.get $ip) (i32.const ${MR}))))
          (local.set $pc (i32.add (local.get $C) (i32.shl (i32.add (i32.mul (i32.mul (local.get $ip) (i32.const ${MR})) (local.get $ldc))
                                                                  (i32.mul (local.get $jp) (i32.const ${NR}))) (i32.const 2))))
          (if (i32.and (i32.ge_u (local.get $rows) (i32.const ${MR})) (i32.ge_u (local.get $cols) (i32.const ${NR})))
            (then (call $kern_full
              (i32.add (local.get $Ap) (i32.shl (i32.mul (i32.add (i32.mul (local.get $ip) (local.get $K)) (local.get $k0)) (i32.const ${MR})) (i32.const 2)))
              (i32.add (local.get $Bp) (i32.shl (i32.mul (i32.add (i32.mul (local.get $jp) (local.get $K)) (local.get $k0)) (i32.const ${NR})) (i32.const 2)))
              (local.get $kc) (local.get $pc) (i32.shl (local.get $ldc) (i32.const 2)) (local.get $alpha) (local.get $s)
              (select (i32.add (local.get $b) (i32.mul (local.get $jp) (i32.const ${NR * 4}))) (i32.const 0) (local.get $b))))
            (else
              (call $kern_tmp
                (i32.add (local.get $Ap) (i32.shl (i32.mul (i32.add (i32.mul (local.get $ip) (local.get $K)) (local.get $k0)) (i32.const ${MR})) (i32.const 2)))
                (i32.add (local.get $Bp) (i32.shl (i32.mul (i32.add (i32.mul (local.get $jp) (local.get $K)) (local.get $k0)) (i32.const ${NR})) (i32.const 2)))
                (local.get $kc) (local.get $tmp))
              (call $merge (local.get $tmp) (local.get $pc) (local.get $ldc)
                (select (local.get $rows) (i32.const ${MR}) (i32.lt_u (local.get $rows) (i32.const ${MR})))
                (select (local.get $cols) (i32.const ${NR}) (i32.lt_u (local.get $cols) (i32.const ${NR})))
                (local.get $alpha) (local.get $s)
                (select (i32.add (local.get $b) (i32.mul (local.get $jp) (i32.const ${NR * 4}))) (i32.const 0) (local.get $b)))))
          (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
          (br $il)))
        (local.set $jp (i32.add (local.get $jp) (i32.const 1)))
        (br $jl)))
      (local.set $k0 (i32.add (local.get $k0) (local.get $kc)))
      (br_if $k0l (i32.lt_u (local.get $k0) (local.get $K))))))`);

  // ---- the task loop every participating thread runs. $gen: the job's generation (claims of an
  // older or newer job fail, so a late thread cannot take a task of the next job); $helper: 1 when
  // the caller is not the thread that owns the job (counted in helperTasks).
  emit(`  (func (export "gemm_run") (param $job i32) (param $gen i32) (param $tmp i32) (param $helper i32)
    (local $old i32) (local $t i32) (local $packA i32) (local $pack i32) (local $total i32) (local $per i32)
    (local.set $packA ${field('packATasks')})
    (local.set $pack (i32.add (local.get $packA) ${field('packBTasks')}))
    (local.set $total (i32.add (local.get $pack) (i32.mul ${field('tilesM')} ${field('tilesN')})))
    (block $done (loop $claim
      (local.set $old (i32.atomic.load offset=${JOB.claim * 4} (local.get $job)))
      (br_if $done (i32.ne (i32.shr_u (local.get $old) (i32.const 16)) (local.get $gen)))
      (local.set $t (i32.and (local.get $old) (i32.const 0xffff)))
      (br_if $done (i32.ge_u (local.get $t) (local.get $total)))
      (br_if $claim (i32.ne (i32.atomic.rmw.cmpxchg offset=${JOB.claim * 4} (local.get $job) (local.get $old) (i32.add (local.get $old) (i32.const 1)))
                            (local.get $old)))
      (if (i32.lt_u (local.get $t) (local.get $packA))
        (then
          (local.set $per ${field('aPanelsPerTask')})
          (call $pack_a (local.get $job) (i32.mul (local.get $t) (local.get $per)) (i32.mul (i32.add (local.get $t) (i32.const 1)) (local.get $per)))
          (drop (i32.atomic.rmw.add offset=${JOB.packDone * 4} (local.get $job) (i32.const 1))))
        (else (if (i32.lt_u (local.get $t) (local.get $pack))
          (then
            (local.set $per ${field('bPanelsPerTask')})
            (call $pack_b (local.get $job) (i32.mul (i32.sub (local.get $t) (local.get $packA)) (local.get $per))
                                           (i32.mul (i32.add (i32.sub (local.get $t) (local.get $packA)) (i32.const 1)) (local.get $per)))
            (drop (i32.atomic.rmw.add offset=${JOB.packDone * 4} (local.get $job) (i32.const 1))))
          (else
            ;; every panel must be packed before any tile is computed
            (block $ready (loop $wait
              (br_if $ready (i32.ge_u (i32.atomic.load offset=${JOB.packDone * 4} (local.get $job)) (local.get $pack)))
              (br $wait)))
            (call $tile (local.get $job) (i32.sub (local.get $t) (local.get $pack)) (local.get $tmp))))))
      (if (local.get $helper) (then (drop (i32.atomic.rmw.add offset=${JOB.helperTasks * 4} (local.get $job) (i32.const 1)))))
      (drop (i32.atomic.rmw.add offset=${JOB.allDone * 4} (local.get $job) (i32.const 1)))
      (br $claim))))`);

  return lines.join('\n');
}
