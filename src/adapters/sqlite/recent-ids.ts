import { hash64 as hash } from '../../core/hash.ts';

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
 */
const NONE: readonly number[] = [];

export class RecentIds {
  private h1: Int32Array;
  private h2: Int32Array;
  private where: Float64Array;
  private used = 0;

  constructor(capacity = 1 << 16) {
    const size = 1 << Math.ceil(Math.log2(Math.max(capacity * 2, 16)));
    this.h1 = new Int32Array(size);
    this.h2 = new Int32Array(size);
    this.where = new Float64Array(size).fill(Number.NaN);
  }

  get size(): number {
    return this.used;
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
    if ((this.used + 1) * 2 > this.where.length) this.grow();
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

  private grow(): void {
    const { h1, h2, where } = this;
    const size = where.length * 2;
    this.h1 = new Int32Array(size);
    this.h2 = new Int32Array(size);
    this.where = new Float64Array(size).fill(Number.NaN);
    for (let i = 0; i < where.length; i++)
      if (!Number.isNaN(where[i]!)) this.place(h1[i]!, h2[i]!, where[i]!);
  }
}
