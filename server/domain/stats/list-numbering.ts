// Numbers distinct lists of integers in typed arrays, for grouping tens of thousands of units by their contents
// without string keys (at 83,000 ranking tasks those cost more than the bootstrap over them) or a Map entry per list.

/** Distinct lists of int32 values, numbered from 0 in order of first appearance; equal lists get equal numbers. */
export class ListNumbering {
  /** List n is values[starts[n]..starts[n+1]). */
  values: Int32Array = new Int32Array(1024);
  starts: Int32Array = new Int32Array(1024);
  size = 0;
  private hashes: Int32Array = new Int32Array(1024);
  /** Open addressing: slot -> list number + 1, 0 for an empty slot; at most half full. */
  private slots: Int32Array = new Int32Array(2048);

  /** The number of the list `list[0..length)`, a new one when it was not seen before. */
  numberOf(list: ArrayLike<number>, length: number): number {
    let hash = 0x811c9dc5;
    for (let i = 0; i < length; i++) hash = Math.imul(hash ^ list[i]!, 16777619);
    // Mixed so that the low bits, which pick the slot, depend on every value's high bits too (murmur3's finaliser).
    hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
    hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
    hash ^= hash >>> 16;
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const found = this.slots[slot]! - 1;
      if (found === -1) {
        this.slots[slot] = this.add(list, length, hash) + 1;
        if (2 * this.size > this.slots.length) this.rehash();
        return this.size - 1;
      }
      if (this.hashes[found] === hash && this.equals(found, list, length)) return found;
    }
  }

  private equals(n: number, list: ArrayLike<number>, length: number): boolean {
    const from = this.starts[n]!;
    if (this.starts[n + 1]! - from !== length) return false;
    for (let i = 0; i < length; i++) if (this.values[from + i] !== list[i]) return false;
    return true;
  }

  private add(list: ArrayLike<number>, length: number, hash: number): number {
    const n = this.size++;
    if (this.size + 1 > this.starts.length) {
      this.starts = grown(this.starts, 2 * this.starts.length);
      this.hashes = grown(this.hashes, this.starts.length);
    }
    const from = this.starts[n]!;
    if (from + length > this.values.length) this.values = grown(this.values, Math.max(2 * this.values.length, from + length));
    for (let i = 0; i < length; i++) this.values[from + i] = list[i]!;
    this.starts[n + 1] = from + length;
    this.hashes[n] = hash;
    return n;
  }

  private rehash(): void {
    this.slots = new Int32Array(2 * this.slots.length);
    const mask = this.slots.length - 1;
    for (let n = 0; n < this.size; n++) {
      let slot = this.hashes[n]! & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = n + 1;
    }
  }
}

/** A copy of `array` with room for `length` values. */
export function grown(array: Int32Array, length: number): Int32Array {
  const copy = new Int32Array(length);
  copy.set(array);
  return copy;
}
