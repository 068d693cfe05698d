// A rater's ranking of K cards while it is being made: each card's place (1 is best; cards with the same
// place are tied; null: not placed yet), and the changes the three ways of ranking make to it. Keyboard:
// place the next card below the others or tied with the last one. Rank select: give a card a place number.
// Drag and drop: put a card into a group (a tie) or between groups. Pure, so it is tested without a browser.

export type Places = readonly (number | null)[];

export const unplaced = (size: number): Places => Array.from({ length: size }, () => null);

/** The lowest place given so far (0 when none is). */
export const lastPlace = (places: Places): number => Math.max(0, ...places.map((place) => place ?? 0));

export const isComplete = (places: Places): boolean => places.every((place) => place !== null);

/** Places renumbered 1, 2, ... in their order (no gaps). */
export function densePlaces(places: Places): Places {
  const used = [...new Set(places.filter((place) => place !== null))].sort((x, y) => x - y);
  return places.map((place) => (place === null ? null : used.indexOf(place) + 1));
}

/** The groups best first, each a list of card indexes in shown order: what the server stores. */
export function toGroups(places: Places): number[][] {
  const used = [...new Set(places.filter((place) => place !== null))].sort((x, y) => x - y);
  return used.map((place) => places.flatMap((p, card) => (p === place ? [card] : [])));
}

/** The places of a ranking given back (a judgment taken back by undo). */
export function fromGroups(size: number, groups: readonly (readonly number[])[]): Places {
  const places: (number | null)[] = [...unplaced(size)];
  groups.forEach((group, index) => group.forEach((card) => (places[card] = index + 1)));
  return places;
}

/** Keyboard: `card` goes below every placed card, or into the place of `tiedWith` (the card placed just before). */
export function placeNext(places: Places, card: number, tiedWith: number | null): Places {
  const tiedPlace = tiedWith === null ? null : places[tiedWith];
  return places.map((place, index) => (index === card ? (tiedPlace ?? lastPlace(places) + 1) : place));
}

/** The card in the lowest place (the last of its group), or null when none is placed. */
export function lowestPlaced(places: Places): number | null {
  const lowest = lastPlace(places);
  return lowest === 0 ? null : places.lastIndexOf(lowest);
}

/** Rank select: `card` takes place `place` as numbered on screen (another card there makes a tie); null unplaces it. */
export const setPlace = (places: Places, card: number, place: number | null): Places =>
  places.map((current, index) => (index === card ? place : current));

/**
 * Drag and drop, in the places shown: `{tieWith: n}` joins the group at place n, `{before: n}` makes a place
 * of its own just above place n (past the last place: at the end), and null puts the card back among those
 * not placed. The result is renumbered without gaps.
 */
export function dropAt(places: Places, card: number, target: { tieWith: number } | { before: number } | null): Places {
  if (target === null || 'tieWith' in target) return densePlaces(setPlace(places, card, target?.tieWith ?? null));
  const shifted = places.map((place, index) => (index !== card && place !== null && place >= target.before ? place + 1 : place));
  return densePlaces(setPlace(shifted, card, target.before));
}
