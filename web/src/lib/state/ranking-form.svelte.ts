// The answer being built for one ranking task: one ranking of the cards for the overall question and one
// per criterion, "all bad" when the design offers it, the rationale; and what each key does to them.
// Every change is kept on a per-question history, so Backspace takes back the last one whichever way it was made.
import type { TTaskDesign } from '$contract/campaign';
import { dropAt, fromGroups, isComplete, lowestPlaced, placeNext, setPlace, toGroups, unplaced, type Places } from './card-ranking';
import { rationaleProblem, type JudgmentDraft, type Row } from './judgment-form.svelte';

export const ordinal = (place: number): string => {
  const tens = place % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][place % 10] ?? 'th');
  return `${place}${suffix}`;
};

export class RankingForm {
  readonly rows: Row[];
  /** Each question's places of the cards (see card-ranking.ts), by row name. */
  places = $state<Record<string, Places>>({});
  /** The question keys act on. */
  active = $state(0);
  /** `=` was pressed: the next card placed ties with the one placed before it. */
  tiePending = $state(false);
  allBad = $state(false);
  rationale = $state('');
  private history = $state<Record<string, { places: Places; lastPlaced: number | null }[]>>({});
  /** The question whose last placement handed the keys to the active one (Backspace goes back there first). */
  private advancedFrom = $state<number | null>(null);
  private lastPlaced = $state<Record<string, number | null>>({});

  /** `initial`: an earlier answer to start from (the one taken back by undo). */
  constructor(
    readonly design: TTaskDesign,
    readonly size: number,
    initial?: JudgmentDraft,
  ) {
    this.rows = [
      { name: 'overall', label: 'Rank the responses, best first', short: 'Overall' },
      ...design.criteria.map(({ name, label, description }) => ({ name, label, short: label, description })),
    ];
    for (const row of this.rows) {
      const given = row.name === 'overall' ? initial?.ranking : (initial?.criteria?.[row.name] as { ranking?: number[][] } | undefined)?.ranking;
      this.places[row.name] = given ? fromGroups(size, given) : unplaced(size);
      this.history[row.name] = [];
      this.lastPlaced[row.name] = null;
    }
    this.allBad = Boolean(initial?.allBad);
    this.rationale = initial?.rationale ?? '';
  }

  activeRow = $derived.by((): Row => this.rows[Math.min(this.active, this.rows.length - 1)] as Row);
  current = $derived.by((): Places => this.places[this.activeRow.name] ?? unplaced(this.size));

  /** The card placed last in the active question (what `=` ties to). */
  get lastCard(): number | null {
    return this.lastPlaced[this.activeRow.name] ?? null;
  }

  canUndoPlacement = $derived.by(() => (this.history[this.activeRow.name]?.length ?? 0) > 0 || this.tiePending || this.advancedFrom !== null);

  isAnswered(row: Row): boolean {
    const places = this.places[row.name];
    // "All bad" answers the overall question without an order; criteria still need theirs.
    return (row.name === 'overall' && this.allBad) || (places !== undefined && isComplete(places));
  }

  rationaleProblem = $derived.by(() => rationaleProblem(this.design, this.rationale));

  /** What is still missing before Enter submits, in words; undefined when ready. */
  missing = $derived.by((): string | undefined => {
    const unanswered = this.rows.filter((row) => !this.isAnswered(row));
    if (unanswered.length > 0) return `Place every card: ${unanswered.map((row) => row.short).join('; ')}`;
    return this.rationaleProblem;
  });

  /** Keyboard: places card `card` (0-based) next in the active question; a message when it cannot. */
  place(card: number): string | null {
    if (card < 0 || card >= this.size) return `There are ${this.size} cards: press 1 to ${this.size}.`;
    const places = this.current;
    if (places[card] !== null) return `Card ${card + 1} is already placed ${ordinal(places[card] as number)}: Backspace takes back the last placement.`;
    const tiedWith = this.tiePending ? this.lastCard : null;
    this.change(placeNext(places, card, tiedWith), card);
    return null;
  }

  /** `=`: the next card placed ties with the last one; a message when there is nothing to tie with. */
  tieNext(): string | null {
    if (this.lastCard === null || this.current[this.lastCard] === null) return 'Place a card first: = ties the next card with it.';
    if (!this.design.scale.allowTie) return 'This campaign does not allow ties.';
    this.tiePending = true;
    return null;
  }

  /** Rank select: card `card` takes place `place` (null: not placed). */
  choosePlace(card: number, place: number | null, rowIndex = this.active): void {
    this.active = rowIndex;
    this.change(setPlace(this.current, card, place), card);
  }

  /** Drag and drop onto a group, between groups, or back to the unplaced cards. */
  drop(card: number, target: Parameters<typeof dropAt>[2]): void {
    this.change(dropAt(this.current, card, target), card);
  }

  /** Backspace: a pending `=` first, then the last change in the active question. False when there is none. */
  undoPlacement(): boolean {
    if (this.tiePending) {
      this.tiePending = false;
      return true;
    }
    // The last placement finished the question before and moved the keys on: take that one back, there.
    if (this.advancedFrom !== null && (this.history[this.activeRow.name]?.length ?? 0) === 0) {
      this.active = this.advancedFrom;
      this.advancedFrom = null;
    }
    const name = this.activeRow.name;
    const previous = this.history[name]?.pop();
    if (previous) {
      this.places[name] = previous.places;
      this.lastPlaced[name] = previous.lastPlaced;
      return true;
    }
    // A ranking brought back by undo has no history here: take back its lowest-placed card.
    const last = lowestPlaced(this.current);
    if (last === null) return false;
    this.places[name] = setPlace(this.current, last, null);
    return true;
  }

  toggleAllBad(): boolean {
    if (!this.design.scale.allowBothBad) return false;
    this.allBad = !this.allBad;
    return true;
  }

  /** A question chosen by hand (its row clicked). */
  activate(index: number): void {
    this.active = index;
    this.tiePending = false;
    this.advancedFrom = null;
  }

  moveRow(step: number): void {
    this.active = Math.min(this.rows.length - 1, Math.max(0, this.active + step));
    this.tiePending = false;
    this.advancedFrom = null;
  }

  groups(row: Row = this.activeRow): number[][] {
    return toGroups(this.places[row.name] ?? unplaced(this.size));
  }

  private change(places: Places, card: number): void {
    const name = this.activeRow.name;
    this.history[name]?.push({ places: this.current, lastPlaced: this.lastCard });
    this.places[name] = places;
    this.lastPlaced[name] = places[card] === null ? null : card;
    this.tiePending = false;
    this.advancedFrom = null;
    // A finished question hands the keys to the next unfinished one.
    if (!isComplete(places)) return;
    const next = this.rows.findIndex((row, index) => index > this.active && !this.isAnswered(row));
    if (next === -1) return;
    this.advancedFrom = this.active;
    this.active = next;
  }

  draft(): JudgmentDraft {
    const [overall, ...criteria] = this.rows;
    const overallPlaces = this.places[(overall as Row).name] ?? unplaced(this.size);
    const rationale = this.rationale.trim();
    return {
      // "All bad" alone ties every card; with a complete order the order is kept too.
      ...(isComplete(overallPlaces) ? { ranking: toGroups(overallPlaces) } : {}),
      ...(this.allBad ? { allBad: true } : {}),
      ...(criteria.length > 0 ? { criteria: Object.fromEntries(criteria.map((row) => [row.name, { ranking: this.groups(row) }])) } : {}),
      ...(rationale ? { rationale } : {}),
    };
  }
}
