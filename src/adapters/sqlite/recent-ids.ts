import { hash64 as hash } from '../../core/kernel/hash.ts';

/**
 * An in-memory index of stored usage-event ids -> where the row is (its arrival number), in front
 * of the arrival-ordered table. It lets a random client id be deduplicated without a unique index
 * on the id itself (which would scatter writes over the whole B-tree), and it catches the same id
 * coming back with another timestamp.
 *
 * Ids are kept as two 32-bit hashes (64 bits) and a number: 16 bytes a slot instead of a
 * JavaScript string and Map entry. A hash match is only a candidate: the caller confirms it by
 * reading the row at (number, id), so a collision never loses an event. Several ids may share
 * a hash; `candidates` returns each of their numbers.
 *
 * Bounded: ids leave once they arrived before the dedupe window (an event arrives at most a few
 * minutes after its timestamp's lower bound, so a retry of it would be refused as too old anyway).
 * When the table is half full, `add` first drops the numbers below `floor()` (the first arrival
 * number still in the window, asked of the store), and so does `compact()`, which the store calls
 * as time passes; the table grows only if that frees too little, and shrinks when it holds far
 * fewer ids than it has room for.
 */
const NONE: readonly number[] = [];

export class RecentIds {
  private h1: Int32Array;
  private h2: Int32Array;
  private where: Float64Array;
  private used = 0;
  private readonly minSize: number;

  /** `floor`: the lowest arrival number still inside the dedupe window (0 keeps everything). */
  constructor(
    capacity = 1 << 16,
    private readonly floor: () => number = () => 0,
  ) {
    this.minSize = sizeFor(capacity);
    this.h1 = new Int32Array(this.minSize);
    this.h2 = new Int32Array(this.minSize);
    this.where = new Float64Array(this.minSize).fill(Number.NaN);
  }

  get size(): number {
    return this.used;
  }

  /** Bytes the table holds (16 a slot, at most two slots an id). */
  get bytes(): number {
    return this.where.length * 16;
  }

  /** Arrival numbers of stored events whose id hashes like `id`. Usually none or one. */
  candidates(id: string): readonly number[] {
    const [a, b] = hash(id);
    const mask = this.where.length - 1;
    let found: number[] | null = null;
    for (let i = (a ^ b) & mask; !Number.isNaN(this.where[i]!); i = (i + 1) & mask) {
      if (this.h1[i] === a && this.h2[i] === b) {
        found ??= [];
        found.push(this.where[i]!);
      }
    }
    return found ?? NONE;
  }

  add(id: string, seq: number): void {
    if ((this.used + 1) * 2 > this.where.length) this.makeRoom();
    const [a, b] = hash(id);
    this.place(a, b, seq);
    this.used++;
  }

  private place(a: number, b: number, t: number): void {
    const mask = this.where.length - 1;
    let i = (a ^ b) & mask;
    while (!Number.isNaN(this.where[i]!)) i = (i + 1) & mask;
    this.h1[i] = a;
    this.h2[i] = b;
    this.where[i] = t;
  }

  /** Drops what left the window now (the store calls it as time passes, so memory comes back). */
  compact(): void {
    this.makeRoom();
  }

  /**
   * The table is half full (or time passed): drop what left the window, then size the table for
   * what stays (at most a quarter full after, so the next `makeRoom` is far off; never below the
   * first size).
   */
  private makeRoom(): void {
    const floor = this.floor();
    const { h1, h2, where } = this;
    let live = 0;
    for (let i = 0; i < where.length; i++) if (where[i]! >= floor) live++;
    const size = Math.max(this.minSize, sizeFor(live * 2));
    this.h1 = new Int32Array(size);
    this.h2 = new Int32Array(size);
    this.where = new Float64Array(size).fill(Number.NaN);
    for (let i = 0; i < where.length; i++) if (where[i]! >= floor) this.place(h1[i]!, h2[i]!, where[i]!);
    this.used = live;
  }
}

/** A power of two with room for `n` ids at half load. */
const sizeFor = (n: number) => 1 << Math.ceil(Math.log2(Math.max(n * 2, 16)));
