// The values raters assign (a choice label or a number on a scale) and their natural order.

export type CodedValue = number | string;

/** Numbers numerically, anything else by code point of its text. */
export function compareCodedValues(a: CodedValue, b: CodedValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

export function sortedDistinct(values: Iterable<CodedValue>): CodedValue[] {
  return [...new Set(values)].sort(compareCodedValues);
}
