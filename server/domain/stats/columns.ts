// Helpers for column-oriented tables (parallel typed arrays, item i of each describing row i).

/** Rows `rows` of a column, in that order (a plain loop: TypedArray.from with a map function is slow). */
export function pick<T extends Int32Array | Uint8Array | Int8Array | Float64Array>(column: T, rows: Int32Array): T {
  const out = new (column.constructor as new (length: number) => T)(rows.length);
  for (let j = 0; j < rows.length; j++) out[j] = column[rows[j]!]!;
  return out;
}

/** Indices of the rows that pass `keep`. */
export function rowsWhere(size: number, keep: (i: number) => boolean): Int32Array {
  const rows = new Int32Array(size);
  let n = 0;
  for (let i = 0; i < size; i++) if (keep(i)) rows[n++] = i;
  return rows.subarray(0, n);
}
