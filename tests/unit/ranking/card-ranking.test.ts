// The rater's ranking of cards while it is made (web/src/lib/state/card-ranking.ts): keyboard placement
// with ties, rank selects, drag and drop, and the groups sent to the server.
import { describe, expect, it } from 'vitest';
import { densePlaces, dropAt, fromGroups, isComplete, lowestPlaced, placeNext, setPlace, toGroups, unplaced, type Places } from '../../../web/src/lib/state/card-ranking';

/** Keys as a rater presses them: a digit places that card (1-based), `=` ties the next one to the previous. */
function press(size: number, keys: string): Places {
  let places = unplaced(size);
  let last: number | null = null;
  let tie = false;
  for (const key of keys) {
    if (key === '=') {
      tie = true;
      continue;
    }
    const card = Number(key) - 1;
    places = placeNext(places, card, tie ? last : null);
    last = card;
    tie = false;
  }
  return places;
}

describe('card ranking', () => {
  it('places cards best to worst, ties with =, and gives groups of shown indexes', () => {
    const places = press(5, '3=14=52');
    expect(places).toEqual([1, 3, 1, 2, 2]);
    expect(toGroups(places)).toEqual([[0, 2], [3, 4], [1]]);
    expect(isComplete(places)).toBe(true);
    expect(isComplete(press(5, '31'))).toBe(false);
  });

  it('reads a ranking back into places, and keeps gaps from selects out of the groups', () => {
    expect(fromGroups(4, [[2], [0, 3], [1]])).toEqual([2, 3, 1, 2]);
    const withGap = setPlace(setPlace(unplaced(3), 0, 4), 2, 1);
    expect(toGroups(withGap)).toEqual([[2], [0]]);
    expect(densePlaces(withGap)).toEqual([2, null, 1]);
    // A select may tie two cards by giving them the same place.
    expect(toGroups(setPlace(withGap, 1, 4))).toEqual([[2], [0, 1]]);
  });

  it('drops a card into a group, between groups, at the end, or back among the unplaced', () => {
    const places = [1, 2, 3, null]; // cards 0, 1, 2 in order; card 3 not placed
    expect(dropAt(places, 3, { tieWith: 2 })).toEqual([1, 2, 3, 2]);
    expect(dropAt(places, 3, { before: 1 })).toEqual([2, 3, 4, 1]);
    expect(dropAt(places, 3, { before: 4 })).toEqual([1, 2, 3, 4]);
    // Moving a placed card closes the gap it leaves.
    expect(dropAt(places, 0, { before: 4 })).toEqual([3, 1, 2, null]);
    expect(dropAt(places, 2, { before: 1 })).toEqual([2, 3, 1, null]);
    expect(dropAt(places, 1, { tieWith: 3 })).toEqual([1, 2, 2, null]);
    expect(dropAt(places, 1, null)).toEqual([1, null, 2, null]);
  });
});

describe('taking back', () => {
  it('finds the card in the lowest place, the last of its group', () => {
    expect(lowestPlaced([2, 1, 2, null])).toBe(2);
    expect(lowestPlaced(unplaced(3))).toBeNull();
  });
});
