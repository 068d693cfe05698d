// The campaign lifecycle: which status changes are allowed, and what a campaign needs before raters may start.
// The transition table itself is in the contract, so that the admin UI offers exactly the allowed changes.
import { STATUS_CHANGES, type TCampaignStatus } from '../contract/campaign';

export const canChangeStatus = (from: TCampaignStatus, to: TCampaignStatus): boolean => from === to || STATUS_CHANGES[from].includes(to);

export interface ReadinessFacts {
  comparisons: number;
  contentWarningReviewed: boolean;
}

/** What is missing before a campaign can go Active, each in words an admin acts on; empty when ready. */
export function missingForActive(facts: ReadinessFacts): { code: 'comparisons' | 'contentWarning'; message: string }[] {
  const missing: { code: 'comparisons' | 'contentWarning'; message: string }[] = [];
  if (facts.comparisons === 0) missing.push({ code: 'comparisons', message: 'it has no comparisons yet: import a prompt set first' });
  if (!facts.contentWarningReviewed) {
    missing.push({ code: 'contentWarning', message: 'the content warning is not answered: write one in Settings or tick "No content warning needed" (API: send contentWarning, null for none)' });
  }
  return missing;
}
