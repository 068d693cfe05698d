// Which responses of a prompt are compared, and in which canonical A/B order.
import { createHash } from 'node:crypto';

export type PairingStrategy =
  | { kind: 'all' }
  /** m pairs per prompt, drawn deterministically from the seed (all pairs when there are fewer). */
  | { kind: 'sample'; perPrompt: number }
  /** Every other response against the reference model's; a prompt without the reference model gives no pairs. */
  | { kind: 'reference'; model: string };

/**
 * A response as pairing sees it: `key` is its identity within the prompt (external id, or model and
 * sample index), `model` the label it is ranked under. Several samples of one model are distinct candidates.
 */
export interface Candidate {
  key: string;
  model: string;
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * `digest` that hashes each text once: pairing a prompt's n responses orders n(n-1)/2 pairs by two to four
 * digests each, of only 2n distinct texts (a generation worker's store hashed each one about three times).
 */
function onceEach(): (text: string) => string {
  const known = new Map<string, string>();
  return (text) => {
    let hex = known.get(text);
    if (hex === undefined) known.set(text, (hex = digest(text)));
    return hex;
  };
}

function before(seed: string, x: Candidate, y: Candidate, hash: (text: string) => string): boolean {
  const [mx, my] = [hash(`${seed}\u0000${x.model}`), hash(`${seed}\u0000${y.model}`)];
  if (mx !== my) return mx < my;
  if (x.model !== y.model) return x.model < y.model;
  // Two samples of one model: ordered by their keys the same way.
  const [kx, ky] = [hash(`${seed}\u0000${x.key}`), hash(`${seed}\u0000${y.key}`)];
  return kx < ky || (kx === ky && x.key < y.key);
}

/**
 * The stored A/B order of two responses: by sha256(seed + '\0' + model), then (samples of one model)
 * by sha256(seed + '\0' + key), so it depends on neither the file's order nor the alphabet. Raters never
 * see it (sides are randomised per assignment); it only has to be stable, so that a re-import finds the
 * same comparison.
 */
export function orderCandidates<T extends Candidate>(seed: string, x: T, y: T, hash: (text: string) => string = digest): [T, T] {
  return before(seed, x, y, hash) ? [x, y] : [y, x];
}

/** The canonical order of two model names (responses keyed by their model). */
export function canonicalOrder(seed: string, modelX: string, modelY: string): [string, string] {
  const [a, b] = orderCandidates(seed, { key: modelX, model: modelX }, { key: modelY, model: modelY });
  return [a.model, b.model];
}

/**
 * Canonical pairs of a prompt's responses. Pass a seed that includes the prompt key (e.g.
 * `${campaignSeed}:${promptKey}`) so that sampling differs between prompts yet repeats exactly.
 * Candidates with the same key count once.
 */
export function pairCandidates<T extends Candidate>(candidates: readonly T[], strategy: PairingStrategy, seed: string): [T, T][] {
  const unique = [...new Map(candidates.map((c) => [c.key, c])).values()];
  const hash = onceEach();
  const all = unique.flatMap((x, i) => unique.slice(i + 1).map((y) => orderCandidates(seed, x, y, hash)));
  switch (strategy.kind) {
    case 'all':
      return all;
    case 'sample':
      return all
        .map((pair) => ({
          pair,
          rank: digest(`${seed}\u0000${pair[0].model}\u0000${pair[1].model}`) + digest(`${seed}\u0000${pair[0].key}\u0000${pair[1].key}`),
        }))
        .sort((p, q) => (p.rank < q.rank ? -1 : p.rank > q.rank ? 1 : 0))
        .slice(0, Math.max(0, strategy.perPrompt))
        .map(({ pair }) => pair);
    case 'reference':
      return all.filter(([a, b]) => (a.model === strategy.model) !== (b.model === strategy.model));
  }
}

/** Canonical pairs of model names (one response per model). */
export function generatePairs(models: readonly string[], strategy: PairingStrategy, seed: string): [string, string][] {
  return pairCandidates(
    models.map((model) => ({ key: model, model })),
    strategy,
    seed,
  ).map(([a, b]) => [a.model, b.model]);
}
