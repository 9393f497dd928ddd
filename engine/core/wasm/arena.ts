import type { BufferSource } from '../memory';
import { requireWebAssembly, type WasmMemory } from './webAssemblyApi';

const PAGE = 65536;
/** 2 GiB: addresses stay below 2³¹, so no kernel ever has to care about signed offsets. */
const MAX_PAGES = 32768;
/** Bytes at the start of the memory kept for the kernels' own use (job descriptor, thread tiles). */
export const RESERVED_BYTES = 4096;
/** Buffers start on cache-line boundaries: no two threads ever write the same line of two buffers. */
const ALIGN = 64;

/** A model too large for WebAssembly's memory (the run can still compute with the JavaScript kernels). */
export class ArenaFullError extends RangeError {
  override readonly name = 'ArenaFullError';
}

/**
 * One training run's WebAssembly memory: a shared memory (growing it never detaches the arrays
 * that view it) handed out as Float32Array views by a bump allocator. A run's buffers are planned
 * once, when its model is built, and live as long as the run; nothing is freed one by one — the
 * whole memory goes when the last view of it does.
 *
 * Scratch space (packed matrices, copies of operands that live outside this memory) is kept in
 * named slots that grow to the largest size asked for and are then reused, so a training step
 * allocates nothing once every shape has been seen.
 */
export class WasmArena implements BufferSource {
  readonly memory: WasmMemory;
  private top = RESERVED_BYTES;
  /** Every SharedArrayBuffer object this memory has been seen through (one per growth). */
  private readonly buffers = new Set<ArrayBufferLike>();
  private readonly slots = new Map<string, { offset: number; bytes: number }>();
  private wholeF32: Float32Array;
  private wholeI32: Int32Array;

  private readonly maxPages: number;

  /**
   * @param onBuffer told of every SharedArrayBuffer the memory is seen through (the first, then one per growth).
   * @param maxBytes what the memory may grow to (at most 2 GiB).
   */
  constructor(
    initialBytes = 1 << 20,
    private readonly onBuffer: (buffer: ArrayBufferLike) => void = () => {},
    maxBytes = MAX_PAGES * PAGE,
  ) {
    this.maxPages = Math.max(1, Math.min(MAX_PAGES, Math.floor(maxBytes / PAGE)));
    const pages = Math.min(this.maxPages, Math.max(1, Math.ceil(initialBytes / PAGE)));
    this.memory = new (requireWebAssembly().Memory)({ initial: pages, maximum: this.maxPages, shared: true });
    this.wholeF32 = new Float32Array(this.memory.buffer);
    this.wholeI32 = new Int32Array(this.memory.buffer);
    this.buffers.add(this.memory.buffer);
    onBuffer(this.memory.buffer);
  }

  /** Bytes handed out so far (buffers and scratch). */
  get bytesUsed(): number {
    return this.top;
  }

  float32(length: number): Float32Array {
    const offset = this.reserve(length * 4);
    return new Float32Array(this.memory.buffer, offset, length);
  }

  /** The byte address of `view` in this memory, or -1 when it lives elsewhere. */
  addressOf(view: Float32Array): number {
    return this.buffers.has(view.buffer) ? view.byteOffset : -1;
  }

  /** Whether `view` lives in this memory. */
  holds(view: Float32Array): boolean {
    return this.buffers.has(view.buffer);
  }

  /** A float32 view of the whole memory (index = byte address / 4), current after any growth. */
  get f32(): Float32Array {
    return this.wholeF32;
  }

  /** An int32 view of the whole memory, current after any growth. */
  get i32(): Int32Array {
    return this.wholeI32;
  }

  /** The address of scratch slot `name`, at least `bytes` long (grown by reallocation when too small). */
  scratch(name: string, bytes: number): number {
    const slot = this.slots.get(name);
    if (slot && slot.bytes >= bytes) return slot.offset;
    // Round up so that slowly growing requests (a run's first batches) do not reallocate each time.
    const size = Math.max(bytes, Math.ceil((slot?.bytes ?? 0) * 1.5), 4096);
    const offset = this.reserve(size);
    this.slots.set(name, { offset, bytes: size });
    return offset;
  }

  private reserve(bytes: number): number {
    const offset = Math.ceil(this.top / ALIGN) * ALIGN;
    const end = offset + Math.ceil(bytes / ALIGN) * ALIGN;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      // Grow by at least a quarter of the current size: fewer growths while a model is built.
      const grow = Math.max(pages, Math.ceil(have / PAGE / 4));
      const current = have / PAGE;
      if (current + pages > this.maxPages) {
        throw new ArenaFullError(`the model's buffers need ${(end / 2 ** 20).toFixed(0)} MiB, more than the ${(this.maxPages * PAGE / 2 ** 20).toFixed(0)} MiB the engine's WebAssembly memory can hold`);
      }
      this.memory.grow(Math.min(grow, this.maxPages - current));
      this.wholeF32 = new Float32Array(this.memory.buffer);
      this.wholeI32 = new Int32Array(this.memory.buffer);
      this.buffers.add(this.memory.buffer);
      this.onBuffer(this.memory.buffer);
    }
    this.top = end;
    return offset;
  }
}
