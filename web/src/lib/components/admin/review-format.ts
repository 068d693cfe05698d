// Words for the review pages: canonical answers with their models, flag reasons and sides, vote tallies.
import type { TCanonicalChoice, TComparisonSummary } from '$contract/review';

type Sides = { a: { model: string }; b: { model: string } };

/** "A (gpt-4o)", "Tie", "Both bad". */
export function choiceLabel(choice: TCanonicalChoice, sides: Sides): string {
  if (choice === 'A') return `A (${sides.a.model})`;
  if (choice === 'B') return `B (${sides.b.model})`;
  return choice === 'TIE' ? 'Tie' : 'Both bad';
}

export const ANSWERS: readonly TCanonicalChoice[] = ['A', 'B', 'TIE', 'BOTH_BAD'];

export const FLAG_REASON_LABELS: Record<string, string> = {
  HARMFUL: 'Harmful',
  BROKEN: 'Broken',
  WRONG_LANGUAGE: 'Wrong language',
  OTHER: 'Other',
};

export function flagTargetLabel(target: 'A' | 'B' | 'BOTH', sides: Sides): string {
  return target === 'BOTH' ? 'Both responses' : `Response ${choiceLabel(target, sides)}`;
}

/** "A 3 · B 1 · tie 0 · both bad 0". */
export function votesText(votes: TComparisonSummary['votes']): string {
  return `A ${votes.A} · B ${votes.B} · tie ${votes.TIE} · both bad ${votes.BOTH_BAD}`;
}

export const disputeText = (dispute: number): string => `${Math.round(dispute * 100)}%`;

export const when = (iso: string): string => new Date(iso).toLocaleString();

/** The short state words of a comparison row: removed, gold, adjudicated, open or complete. */
export function comparisonState(c: Pick<TComparisonSummary, 'removed' | 'isGold' | 'adjudicated' | 'submitted' | 'target'>): string[] {
  const words: string[] = [];
  if (c.removed) words.push('removed');
  if (c.isGold) words.push('gold');
  else words.push(c.submitted >= c.target ? 'complete' : `open (${c.submitted} of ${c.target})`);
  if (c.adjudicated) words.push('adjudicated');
  return words;
}

/** What ReviewDialog asks for: the reason behind a review action and, for an adjudication, the answer. */
export interface ReviewDialogRequest {
  title: string;
  /** One or two sentences: what the action does and how to undo it. */
  description: string;
  confirmLabel: string;
  /** Answers to pick one of (adjudication); absent for the other actions. */
  choices?: { value: string; label: string }[];
  /** The text field's label: "Reason" by default, "Note" for an adjudication. */
  textLabel?: string;
  onconfirm: (input: { text: string; choice: string | null }) => void;
}


/** Removing or restoring a comparison: what it does, asked once for both review pages. */
export function removalDialog(comparisonId: number, removing: boolean, run: (reason: string) => void): ReviewDialogRequest {
  return {
    title: removing ? `Remove comparison #${comparisonId}` : `Restore comparison #${comparisonId}`,
    description: removing
      ? 'It stops being served, leaves stats and exports from now on, and stays listed as removed. Open leases run out as usual. Restore undoes it.'
      : 'It is served again and counts in stats and exports from now on (unless one of its responses is marked broken).',
    confirmLabel: removing ? 'Remove comparison' : 'Restore comparison',
    onconfirm: ({ text }) => run(text),
  };
}

/** Marking a response broken, or unmarking it. `name` is e.g. "response A (gpt-4o)". */
export function brokenDialog(name: string, marking: boolean, run: (reason: string) => void): ReviewDialogRequest {
  return {
    title: marking ? `Mark ${name} broken` : `Unmark ${name}`,
    description: marking
      ? 'Every comparison this response is in is removed likewise (not served, out of stats and exports, still listed). Unmarking brings them back.'
      : 'Its comparisons come back unless removed otherwise.',
    confirmLabel: marking ? 'Mark broken' : 'Unmark',
    onconfirm: ({ text }) => run(text),
  };
}

/** Picking the answer to a disputed comparison, with a note. */
export function adjudicationDialog(comparisonId: number, sides: Sides, run: (choice: TCanonicalChoice, note: string) => void): ReviewDialogRequest {
  return {
    title: `Adjudicate comparison #${comparisonId}`,
    description: 'Your answer becomes a gold item for raters who have not seen this pair; the judgments made stay as they are. Exports can prefer it to the majority.',
    confirmLabel: 'Save answer',
    textLabel: 'Note',
    choices: ANSWERS.map((value) => ({ value, label: choiceLabel(value, sides) })),
    onconfirm: ({ text, choice }) => {
      const answer = ANSWERS.find((value) => value === choice);
      if (answer) run(answer, text);
    },
  };
}

export function withdrawDialog(comparisonId: number, run: (reason: string) => void): ReviewDialogRequest {
  return {
    title: `Withdraw the answer to comparison #${comparisonId}`,
    description: 'It stops being a gold item for raters who have not seen it; exports use the majority again.',
    confirmLabel: 'Withdraw answer',
    onconfirm: ({ text }) => run(text),
  };
}
