import { describe, expect, it } from 'vitest';
import { ListNumbering } from '../../../server/domain/stats/list-numbering';

describe('ListNumbering', () => {
  it('numbers lists in order of first appearance, equal lists alike, across growth of its tables', () => {
    const numbering = new ListNumbering();
    const lists = Array.from({ length: 5000 }, (_, i) => Array.from({ length: i % 7 }, (__, j) => (i * 2654435761 + j * 40503) % 1000));
    const first = new Map<string, number>();
    const numbers = lists.map((list) => {
      const key = list.join(',');
      if (!first.has(key)) first.set(key, first.size);
      return numbering.numberOf(list, list.length);
    });
    expect(numbers).toEqual(lists.map((list) => first.get(list.join(','))));
    expect(numbering.size).toBe(first.size);
    // Again, now all known; and the stored values of each list.
    expect(lists.map((list) => numbering.numberOf(list, list.length))).toEqual(numbers);
    lists.forEach((list, i) => expect(Array.from(numbering.values.subarray(numbering.starts[numbers[i]!], numbering.starts[numbers[i]! + 1]))).toEqual(list));
  });

  it('tells apart lists that differ only in length or in high bits, and reads only `length` values', () => {
    const numbering = new ListNumbering();
    expect(numbering.numberOf([], 0)).toBe(0);
    expect(numbering.numberOf([0], 1)).toBe(1);
    expect(numbering.numberOf([0, 0], 2)).toBe(2);
    expect(numbering.numberOf([1 << 20], 1)).toBe(3);
    expect(numbering.numberOf([2 << 20], 1)).toBe(4);
    expect(numbering.numberOf([0, 0, 99], 2)).toBe(2);
  });
});
