// Which responses of a prompt are compared, and in which canonical A/B order.
import { createHash } from 'node:crypto';

export type PairingStrategy =
  | { kind: 'all' }
  /** m pairs per prompt, drawn deterministically from the seed (all pairs when there are fewer). */
  | { kind: 'sample'; perPrompt: number }
  /** Every other model against this one; a prompt without the reference model gives no pairs. */
  | { kind: 'reference'; model: string };

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The stored A/B order of two models: by sha256(seed + '\0' + model), so it depends on neither the
 * file's order nor the names' alphabetical order. Raters never see it (sides are randomised per
 * assignment); it only has to be stable, so that a re-import finds the same comparison.
 */
export function canonicalOrder(seed: string, modelX: string, modelY: string): [string, string] {
  const x = digest(`${seed}\u0000${modelX}`);
  const y = digest(`${seed}\u0000${modelY}`);
  return x < y || (x === y && modelX < modelY) ? [modelX, modelY] : [modelY, modelX];
}

/**
 * Canonical pairs of a prompt's models. Pass a seed that includes the prompt key (e.g.
 * `${campaignSeed}:${promptKey}`) so that sampling differs between prompts yet repeats exactly.
 */
export function generatePairs(models: readonly string[], strategy: PairingStrategy, seed: string): [string, string][] {
  const unique = [...new Set(models)];
  const all = unique.flatMap((x, i) => unique.slice(i + 1).map((y) => canonicalOrder(seed, x, y)));
  switch (strategy.kind) {
    case 'all':
      return all;
    case 'sample':
      return all
        .map((pair) => ({ pair, rank: digest(`${seed}\u0000${pair[0]}\u0000${pair[1]}`) }))
        .sort((p, q) => (p.rank < q.rank ? -1 : p.rank > q.rank ? 1 : 0))
        .slice(0, Math.max(0, strategy.perPrompt))
        .map(({ pair }) => pair);
    case 'reference':
      return all.filter((pair) => pair.includes(strategy.model));
  }
}
