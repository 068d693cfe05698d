// Position bias of a rater on rankings ("first card preferred"): how far the card shown first ranks above its
// fair share, with a test that takes one ranking as one observation (a ranking's pairs are not independent).

/** A rater's rankings summed for the test (start from `emptyFirstCardTally()`, add each with `addFirstCard`). */
export interface FirstCardTally {
  rankings: number;
  /** Sum over rankings of (share of the other cards the first card beat, ties as half) - 1/2. */
  excess: number;
  /** Sum over rankings of the variance of that share when the first card is any of the K at random. */
  variance: number;
}

export const emptyFirstCardTally = (): FirstCardTally => ({ rankings: 0, excess: 0, variance: 0 });

/**
 * Adds a ranking: `shares[s]` is the share of the other cards card s beat (ties as half), `first` the card shown
 * first. Cards are shown in an order drawn at random per assignment, so without position bias the first card
 * is any of the K with equal chance: its share then averages exactly 1/2 (the shares of a ranking sum to K/2)
 * with the variance of the K shares around 1/2.
 */
export function addFirstCard(tally: FirstCardTally, shares: ArrayLike<number>, first: number): void {
  let variance = 0;
  for (let s = 0; s < shares.length; s++) variance += (shares[s]! - 0.5) ** 2;
  tally.rankings++;
  tally.excess += shares[first]! - 0.5;
  tally.variance += variance / shares.length;
}

export interface FirstCardResult {
  /** Mean share of the other cards the card shown first beat (1/2 without bias); null without rankings. */
  share: number | null;
  /**
   * Two-sided p-value of the excess against 0: the sum of independent per-ranking excesses, each of mean 0 and
   * known variance under no bias, taken as normal (a z-test); null when no ranking could show a bias (all tied).
   */
  p: number | null;
  rankings: number;
}

export function firstCardTest(tally: FirstCardTally): FirstCardResult {
  const share = tally.rankings === 0 ? null : 0.5 + tally.excess / tally.rankings;
  if (tally.variance <= 0) return { share, p: null, rankings: tally.rankings };
  const z = tally.excess / Math.sqrt(tally.variance);
  return { share, p: Math.min(1, erfc(Math.abs(z) / Math.SQRT2)), rankings: tally.rankings };
}

/**
 * The complementary error function, by the Chebyshev fit of Numerical Recipes (erfcc, fractional error below
 * 1.2e-7 everywhere): ample for a p-value compared against a threshold such as 0.01.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
