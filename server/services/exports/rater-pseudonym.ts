// A rater's stable pseudonym in exports: keyed by the campaign's secret seed, so it never reveals the user
// and cannot be linked across campaigns, yet stays the same in every export of one campaign.
import { createHmac } from 'node:crypto';

export function raterPseudonym(campaignSeed: string, userId: string): string {
  return 'rater-' + createHmac('sha256', campaignSeed).update(userId).digest('hex').slice(0, 10);
}

/** Memoised for one export: a campaign has few raters and many judgments. */
export function pseudonymizer(campaignSeed: string): (userId: string) => string {
  const known = new Map<string, string>();
  return (userId) => {
    let name = known.get(userId);
    if (name === undefined) {
      name = raterPseudonym(campaignSeed, userId);
      known.set(userId, name);
    }
    return name;
  };
}
