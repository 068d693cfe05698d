// Text Postgres can store: no NUL characters, no unpaired UTF-16 surrogates. One rule for every string a
// request carries (the route validator applies it to bodies, queries and params) and for imported files.

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored, or null when it can. */
export function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000)';
  if (UNPAIRED_SURROGATE.test(text)) return 'contains an unpaired UTF-16 surrogate (such as \\ud800)';
  return null;
}

export type UnsafeText = { path: (string | number)[]; problem: string };

type Visit = { value: unknown; key: string | number | null; parent: Visit | null };

function pathOf(visit: Visit): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at: Visit | null = visit; at && at.key !== null; at = at.parent) path.unshift(at.key);
  return path;
}

/**
 * The first string (or object key) anywhere in `value` that cannot be stored, with its path, or null.
 * Iterative and linear (each item links to its parent; the path is built only for the answer), so a
 * body nested 100,000 deep costs no more than a flat one of the same size.
 */
export function findUnsafeText(value: unknown): UnsafeText | null {
  const stack: Visit[] = [{ value, key: null, parent: null }];
  for (let visit = stack.pop(); visit; visit = stack.pop()) {
    const current = visit.value;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) return { path: pathOf(visit), problem };
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i -= 1) stack.push({ value: current[i], key: i, parent: visit });
    } else if (typeof current === 'object' && current !== null) {
      const entries = Object.entries(current);
      for (const [key] of entries) {
        const problem = textProblem(key);
        if (problem) return { path: [...pathOf(visit), key], problem: `has a key that ${problem}` };
      }
      for (let i = entries.length - 1; i >= 0; i -= 1) stack.push({ value: entries[i]![1], key: entries[i]![0], parent: visit });
    }
  }
  return null;
}
