// Positional parameters collected while a statement is assembled from optional parts (export and explorer filters).

export class Params {
  readonly values: unknown[] = [];
  /** Adds a value and returns its placeholder with a cast, e.g. `$3::uuid`. */
  add(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}
