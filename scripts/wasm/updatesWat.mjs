// WAT of the elementwise kernels: the Adam and SGD updates, and column sums (a bias gradient).
//
// The optimizer updates reproduce engine/optim/adam.ts and sgd.ts operation for operation: those
// compute each element in float64 (JavaScript numbers) and round to float32 where they store, so
// here every value is promoted to f64, the same IEEE operations run in the same order on f64x2
// vectors (two elements at a time; the last odd element with scalar f64), and results are rounded
// to f32 where JavaScript stores them. The results are therefore bit-identical to the JavaScript
// updates — golden tests and resumed runs see no difference — while the loop runs without
// JavaScript's per-element overhead.

/**
 * One update body, written once for both shapes: `t` is 'f64x2' (two elements) or 'f64' (one).
 * Returns the WAT statements for element address offset `$o` (bytes from each array's start).
 */
function lanes(t) {
  const vec = t === 'f64x2';
  return {
    load: (base) => (vec
      ? `(f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get ${base}) (local.get $o))))`
      : `(f64.promote_f32 (f32.load (i32.add (local.get ${base}) (local.get $o))))`),
    store: (base, value) => (vec
      ? `(v128.store64_lane 0 (i32.add (local.get ${base}) (local.get $o)) (f32x4.demote_f64x2_zero ${value}))`
      : `(f32.store (i32.add (local.get ${base}) (local.get $o)) (f32.demote_f64 ${value}))`),
    c: (name) => (vec ? `(f64x2.splat (local.get ${name}))` : `(local.get ${name})`),
    op: (name, ...args) => `(${t}.${name} ${args.join(' ')})`,
    local: (name) => `(local.get ${name}${vec ? 'v' : 's'})`,
    set: (name, value) => `(local.set ${name}${vec ? 'v' : 's'} ${value})`,
    type: vec ? 'v128' : 'f64',
  };
}

/** A loop over elements two at a time, then the last odd one. */
function elementLoop(body) {
  return `
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 2)))
    (local.set $o (i32.const 0))
    (block $vd (loop $vl
      (br_if $vd (i32.ge_u (local.get $o) (local.get $end)))
      ${body(lanes('f64x2'))}
      (local.set $o (i32.add (local.get $o) (i32.const 8)))
      (br $vl)))
    (if (i32.and (local.get $n) (i32.const 1)) (then
      ${body(lanes('f64'))}))`;
}

const MAXIMIZE = 1;
const WEIGHT_DECAY = 2;
const AMSGRAD = 4;
const MOMENTUM = 4;
const NESTEROV = 8;
const FIRST_STEP = 16;

/** Flag bits of the update kernels (engine/core/wasm/updates.ts mirrors them). */
export const UPDATE_FLAGS = { MAXIMIZE, WEIGHT_DECAY, AMSGRAD, MOMENTUM, NESTEROV, FIRST_STEP };

// g ← −grad if maximize; g ← g + weight_decay·p
const gradient = (L) => `
      ${L.set('$g', L.load('$grad'))}
      (if (i32.and (local.get $flags) (i32.const ${MAXIMIZE})) (then ${L.set('$g', L.op('neg', L.local('$g')))}))
      (if (i32.and (local.get $flags) (i32.const ${WEIGHT_DECAY})) (then
        ${L.set('$g', L.op('add', L.local('$g'), L.op('mul', L.c('$wd'), L.load('$p'))))}))`;

function adam() {
  // m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g·g;  v̂ ← max(v̂, v) (amsgrad)
  // p ← p − (stepSize·m) / (√v̂ / √(1 − β2ᵗ) + eps)        (m, v, v̂ read back as stored, in f32)
  const body = (L) => `${gradient(L)}
      ${L.store('$m', L.op('add', L.op('mul', L.c('$beta1'), L.load('$m')), L.op('mul', L.c('$oneMinusBeta1'), L.local('$g'))))}
      ${L.store('$v', L.op('add', L.op('mul', L.c('$beta2'), L.load('$v')), L.op('mul', L.op('mul', L.c('$oneMinusBeta2'), L.local('$g')), L.local('$g'))))}
      ${L.set('$second', L.load('$v'))}
      (if (i32.and (local.get $flags) (i32.const ${AMSGRAD})) (then
        ${L.store('$vmax', L.op('max', L.load('$vmax'), L.local('$second')))}
        ${L.set('$second', L.load('$vmax'))}))
      ${L.store('$p', L.op('sub', L.load('$p'),
        L.op('div', L.op('mul', L.c('$stepSize'), L.load('$m')),
          L.op('add', L.op('div', L.op('sqrt', L.local('$second')), L.c('$bc2sqrt')), L.c('$eps')))))}`;
  return `  (func (export "adam") (param $p i32) (param $grad i32) (param $m i32) (param $v i32) (param $vmax i32) (param $n i32)
        (param $flags i32) (param $beta1 f64) (param $oneMinusBeta1 f64) (param $beta2 f64) (param $oneMinusBeta2 f64)
        (param $wd f64) (param $stepSize f64) (param $bc2sqrt f64) (param $eps f64)
    (local $o i32) (local $end i32) (local $gv v128) (local $gs f64) (local $secondv v128) (local $seconds f64)
    ${elementLoop(body)})`;
}

function sgd() {
  // buf ← g (first step) or momentum·buf + (1 − dampening)·g;  g ← g + momentum·buf (nesterov) or buf
  // p ← p − lr·g
  const body = (L) => `${gradient(L)}
      (if (i32.and (local.get $flags) (i32.const ${MOMENTUM})) (then
        (if (i32.and (local.get $flags) (i32.const ${FIRST_STEP}))
          (then ${L.store('$buf', L.local('$g'))})
          (else ${L.store('$buf', L.op('add', L.op('mul', L.c('$momentum'), L.load('$buf')), L.op('mul', L.c('$oneMinusDampening'), L.local('$g'))))}))
        (if (i32.and (local.get $flags) (i32.const ${NESTEROV}))
          (then ${L.set('$g', L.op('add', L.local('$g'), L.op('mul', L.c('$momentum'), L.load('$buf'))))})
          (else ${L.set('$g', L.load('$buf'))}))))
      ${L.store('$p', L.op('sub', L.load('$p'), L.op('mul', L.c('$lr'), L.local('$g'))))}`;
  return `  (func (export "sgd") (param $p i32) (param $grad i32) (param $buf i32) (param $n i32) (param $flags i32)
        (param $momentum f64) (param $oneMinusDampening f64) (param $wd f64) (param $lr f64)
    (local $o i32) (local $end i32) (local $gv v128) (local $gs f64)
    ${elementLoop(body)})`;
}

// into[j] += Σ_r x[r][j], rows added in order, each addition rounded to f32: the same sums as the
// JavaScript loop (a bias gradient), four columns at a time.
function sumRows() {
  return `  (func (export "sum_rows") (param $x i32) (param $rows i32) (param $cols i32) (param $into i32)
    (local $j i32) (local $r i32) (local $src i32) (local $acc v128) (local $s f32) (local $rowb i32) (local $end4 i32)
    (local.set $rowb (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $end4 (i32.and (local.get $cols) (i32.const -4)))
    (block $jd (loop $jl
      (br_if $jd (i32.ge_u (local.get $j) (local.get $end4)))
      (local.set $acc (v128.load (i32.add (local.get $into) (i32.shl (local.get $j) (i32.const 2)))))
      (local.set $src (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $r (i32.const 0))
      (block $rd (loop $rl
        (br_if $rd (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $acc (f32x4.add (local.get $acc) (v128.load (local.get $src))))
        (local.set $src (i32.add (local.get $src) (local.get $rowb)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl)))
      (v128.store (i32.add (local.get $into) (i32.shl (local.get $j) (i32.const 2))) (local.get $acc))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $jl)))
    (block $jd (loop $jl
      (br_if $jd (i32.ge_u (local.get $j) (local.get $cols)))
      (local.set $s (f32.load (i32.add (local.get $into) (i32.shl (local.get $j) (i32.const 2)))))
      (local.set $src (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $r (i32.const 0))
      (block $rd (loop $rl
        (br_if $rd (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $s (f32.add (local.get $s) (f32.load (local.get $src))))
        (local.set $src (i32.add (local.get $src) (local.get $rowb)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl)))
      (f32.store (i32.add (local.get $into) (i32.shl (local.get $j) (i32.const 2))) (local.get $s))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $jl))))`;
}

// ReLU as the JavaScript layer computes it, four values at a time: y = x ≤ 0 ? 0 : x (NaN stays NaN,
// −0 becomes +0), and its backward dx = y ≤ 0 ? 0 : dy — both a mask, so bit-identical.
function relu() {
  const loop = (name, params, value) => `  (func (export "${name}") ${params} (param $n i32)
    (local $o i32) (local $end i32)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $o) (local.get $end)))
      (v128.store (i32.add (local.get $out) (local.get $o)) ${value('v128.load', 'f32x4.le', 'v128.andnot', '(v128.const f32x4 0 0 0 0)')})
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $l)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $o) (local.get $end)))
      (f32.store (i32.add (local.get $out) (local.get $o)) ${value('f32.load', 'f32.le', 'select', '(f32.const 0)')})
      (local.set $o (i32.add (local.get $o) (i32.const 4)))
      (br $l))))`;
  const at = (load, base) => `(${load} (i32.add (local.get ${base}) (local.get $o)))`;
  const pick = (andnot, value, mask, zero) =>
    andnot === 'select' ? `(select ${zero} ${value} ${mask})` : `(${andnot} ${value} ${mask})`;
  return [
    loop('relu', '(param $x i32) (param $out i32)', (load, le, andnot, zero) =>
      pick(andnot, at(load, '$x'), `(${le} ${at(load, '$x')} ${zero})`, zero)),
    loop('relu_grad', '(param $y i32) (param $dy i32) (param $out i32)', (load, le, andnot, zero) =>
      pick(andnot, at(load, '$dy'), `(${le} ${at(load, '$y')} ${zero})`, zero)),
  ].join('\n');
}

// Adam in float32, four elements at a time, in the order of torch's _single_tensor_adam (which runs
// in float32): m = β1·m + (1 − β1)·g; v = β2·v + ((1 − β2)·g)·g; denom = √v̂ / √(1 − β2ᵗ) + eps;
// p = p − (stepSize·m) / denom. Each operation rounds to float32 as torch's tensor ops do, so it
// is not bit-identical to the JavaScript update (float64 inside, one rounding per stored value): the
// two differ by float32 rounding of single operations. float64 square roots and divisions cost
// about four times as much: this is the update training runs with (docs/engine.md).
function adam32() {
  const ld = (base) => `(v128.load (i32.add (local.get ${base}) (local.get $o)))`;
  const st = (base, value) => `(v128.store (i32.add (local.get ${base}) (local.get $o)) ${value})`;
  const ld1 = (base) => `(f32.load (i32.add (local.get ${base}) (local.get $o)))`;
  const st1 = (base, value) => `(f32.store (i32.add (local.get ${base}) (local.get $o)) ${value})`;
  const body = (t, load, store, c, g, second) => `
      (local.set ${g} ${load('$grad')})
      (if (i32.and (local.get $flags) (i32.const ${MAXIMIZE})) (then (local.set ${g} (${t}.neg (local.get ${g})))))
      (if (i32.and (local.get $flags) (i32.const ${WEIGHT_DECAY})) (then
        (local.set ${g} (${t}.add (local.get ${g}) (${t}.mul ${c('$wd')} ${load('$p')})))))
      ${store('$m', `(${t}.add (${t}.mul ${c('$beta1')} ${load('$m')}) (${t}.mul ${c('$oneMinusBeta1')} (local.get ${g})))`)}
      ${store('$v', `(${t}.add (${t}.mul ${c('$beta2')} ${load('$v')}) (${t}.mul (${t}.mul ${c('$oneMinusBeta2')} (local.get ${g})) (local.get ${g})))`)}
      (local.set ${second} ${load('$v')})
      (if (i32.and (local.get $flags) (i32.const ${AMSGRAD})) (then
        ${store('$vmax', `(${t}.max ${load('$vmax')} (local.get ${second}))`)}
        (local.set ${second} ${load('$vmax')})))
      ${store('$p', `(${t}.sub ${load('$p')} (${t}.div (${t}.mul ${c('$stepSize')} ${load('$m')}) (${t}.add (${t}.div (${t}.sqrt (local.get ${second})) ${c('$bc2sqrt')}) ${c('$eps')})))`)}`;
  return `  (func (export "adam32") (param $p i32) (param $grad i32) (param $m i32) (param $v i32) (param $vmax i32) (param $n i32)
        (param $flags i32) (param $beta1 f32) (param $oneMinusBeta1 f32) (param $beta2 f32) (param $oneMinusBeta2 f32)
        (param $wd f32) (param $stepSize f32) (param $bc2sqrt f32) (param $eps f32)
    (local $o i32) (local $end i32) (local $gv v128) (local $gs f32) (local $sv v128) (local $ss f32)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $vd (loop $vl
      (br_if $vd (i32.ge_u (local.get $o) (local.get $end)))
      ${body('f32x4', ld, st, (name) => `(f32x4.splat (local.get ${name}))`, '$gv', '$sv')}
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (br $vl)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $sd (loop $sl
      (br_if $sd (i32.ge_u (local.get $o) (local.get $end)))
      ${body('f32', ld1, st1, (name) => `(local.get ${name})`, '$gs', '$ss')}
      (local.set $o (i32.add (local.get $o) (i32.const 4)))
      (br $sl))))`;
}

export function updatesWat() {
  return [adam(), adam32(), sgd(), sumRows(), relu()].join('\n');
}
