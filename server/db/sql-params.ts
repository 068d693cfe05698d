// Positional parameters collected while a statement is assembled from optional parts (export and explorer filters).

export class Params {
  readonly values: unknown[] = [];
  /** Adds a value and returns its placeholder with a cast, e.g. `$3::uuid`. */
  add(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}

const ID = /^-?[0-9A-Fa-f][0-9A-Fa-f-]{0,35}$/;

/**
 * An array parameter of ids or integers (digit strings, uuids, safe integers, nulls) as Postgres's array literal,
 * for hot statements with one element per row: pg quotes and escapes every element of an array it is given (two
 * regular expressions and a few strings each), and these need neither. Throws on anything else.
 */
export function idArray(values: readonly (string | number | null | undefined)[]): string {
  let text = '{';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0) text += ',';
    if (value === null || value === undefined) text += 'NULL';
    else if (typeof value === 'number' ? Number.isSafeInteger(value) : ID.test(value)) text += value;
    else throw new Error(`idArray: ${typeof value} element refused (digit strings, uuids and safe integers only)`);
  }
  return text + '}';
}
