// Per-rater quality figures and review thresholds.
import { describe, expect, it } from 'vitest';
import { quantileSorted } from '../../../server/domain/stats/bootstrap';
import { createSeededRandom } from '../../../server/domain/stats/random';
import { assessRater, median, pluralityChoice, type Choice, type RaterJudgment } from '../../../server/domain/stats/rater-quality';

let nextId = 0;
function judgment(overrides: Partial<RaterJudgment> = {}): RaterJudgment {
  return {
    comparisonId: `c${nextId++}`,
    choice: 'A',
    leftIsA: true,
    timeMs: 30_000,
    lengthA: 1000,
    lengthB: 1000,
    otherChoices: [],
    gold: null,
    ...overrides,
  };
}

describe('pluralityChoice', () => {
  it('takes the most frequent choice and gives none on a shared top', () => {
    expect(pluralityChoice(['A', 'B', 'A'])).toBe('A');
    expect(pluralityChoice(['A', 'B'])).toBeNull();
    expect(pluralityChoice(['TIE', 'TIE', 'A', 'B'])).toBe('TIE');
    expect(pluralityChoice([])).toBeNull();
  });
});

describe('assessRater', () => {
  it('measures agreement with the majority of the others, leaving out comparisons where they tie', () => {
    const q = assessRater({
      raterId: 'r',
      flagCount: 0,
      judgments: [
        judgment({ choice: 'A', otherChoices: ['A', 'A'] }),
        judgment({ choice: 'A', otherChoices: ['B', 'B', 'A'] }),
        judgment({ choice: 'TIE', otherChoices: ['TIE'] }),
        judgment({ choice: 'A', otherChoices: ['A', 'B'] }),
        judgment({ choice: 'B', otherChoices: [] }),
      ],
    });
    expect(q.agreementWithOthers).toEqual({ rate: 2 / 3, n: 3 });
    expect(q.judgments).toBe(5);
  });

  it('scores gold accuracy over gold items only', () => {
    const q = assessRater({
      raterId: 'r',
      flagCount: 0,
      judgments: [judgment({ choice: 'A', gold: 'A' }), judgment({ choice: 'B', gold: 'A' }), judgment({ choice: 'TIE', gold: 'TIE' }), judgment()],
    });
    expect(q.goldAccuracy).toEqual({ rate: 2 / 3, n: 3 });
  });

  it('counts left-side choices on A/B answers with an exact two-sided binomial p-value', () => {
    // 15 of 20 decided judgments on the left side; R: binom.test(15, 20)$p.value = 0.04138947.
    const judgments = [
      ...Array.from({ length: 15 }, (_, i) => judgment({ choice: i % 2 ? 'A' : 'B', leftIsA: i % 2 === 1 })),
      ...Array.from({ length: 5 }, () => judgment({ choice: 'B', leftIsA: true })),
      judgment({ choice: 'TIE' }),
      judgment({ choice: 'BOTH_BAD' }),
    ];
    const q = assessRater({ raterId: 'r', flagCount: 0, judgments });
    expect(q.leftChoice.rate).toBe(0.75);
    expect(q.leftChoice.n).toBe(20);
    expect(q.leftChoice.pValue).toBeCloseTo(0.04138947, 7);
    expect(q.review).toEqual([]);
  });

  it('lists a rater with a strong side habit for review', () => {
    const judgments = Array.from({ length: 30 }, (_, i) => judgment({ choice: i % 2 ? 'A' : 'B', leftIsA: i % 2 === 1 }));
    const q = assessRater({ raterId: 'r', flagCount: 0, judgments });
    expect(q.leftChoice.rate).toBe(1);
    expect(q.leftChoice.pValue).toBeCloseTo(2 * 0.5 ** 30, 15);
    expect(q.review).toEqual(['side-bias']);
  });

  it('measures length bias over A/B choices between responses of different length', () => {
    const judgments = [
      ...Array.from({ length: 18 }, () => judgment({ choice: 'A', lengthA: 900, lengthB: 300 })),
      ...Array.from({ length: 2 }, () => judgment({ choice: 'B', lengthA: 900, lengthB: 300 })),
      judgment({ choice: 'A', lengthA: 500, lengthB: 500 }),
      judgment({ choice: 'TIE', lengthA: 100, lengthB: 900 }),
    ].map((j, i) => ({ ...j, leftIsA: i % 2 === 0 }));
    const q = assessRater({ raterId: 'r', flagCount: 0, judgments });
    expect(q.longerChoice).toEqual({ rate: 0.9, n: 20 });
    expect(q.review).toContain('length-bias');
  });

  it('measures speed against a reading floor that grows with length', () => {
    // Floor = 2000 + 5 * chars: 7000 ms for 1000 chars, 22000 ms for 4000 chars.
    const judgments = [
      judgment({ timeMs: 6000, lengthA: 500, lengthB: 500 }),
      judgment({ timeMs: 8000, lengthA: 500, lengthB: 500 }),
      judgment({ timeMs: 20_000, lengthA: 2000, lengthB: 2000 }),
      judgment({ timeMs: null }),
    ];
    const q = assessRater({ raterId: 'r', flagCount: 0, judgments });
    expect(q.fastShare).toEqual({ rate: 2 / 3, n: 3 });
    expect(q.medianTimeMs).toBe(8000);
    const lenient = assessRater({ raterId: 'r', flagCount: 0, judgments }, { floorBaseMs: 0, floorPerCharMs: 1 });
    expect(lenient.fastShare.rate).toBe(0);
  });

  it('waits for enough judgments before listing anyone, then applies each threshold', () => {
    const sloppy = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        judgment({ choice: (['A', 'B'] as Choice[])[i % 2]!, leftIsA: i % 4 < 2, otherChoices: ['TIE', 'TIE'], gold: i < 6 ? 'TIE' : null, timeMs: 1000 }),
      );
    expect(assessRater({ raterId: 'r', flagCount: 10, judgments: sloppy(19) }).review).toEqual([]);
    expect(assessRater({ raterId: 'r', flagCount: 10, judgments: sloppy(40) }).review).toEqual(['low-agreement', 'low-gold-accuracy', 'too-fast', 'many-flags']);
    expect(assessRater({ raterId: 'r', flagCount: 1, judgments: sloppy(40) }, { minGoldAccuracy: 0, maxFastShare: 1, minAgreement: 0 }).review).toEqual([]);
  });
});

describe('median', () => {
  it('equals the middle of the sorted values (the mean of the two middle ones for an even count), ties and all', () => {
    const random = createSeededRandom(11);
    for (const length of [1, 2, 3, 4, 5, 10, 11, 100, 101, 1000, 1001]) {
      for (const spread of [3, 1000]) {
        const values = Float64Array.from({ length }, () => Math.floor(random() * spread));
        const expected = quantileSorted(Float64Array.from(values).sort(), 0.5);
        expect(median(values)).toBe(expected);
      }
    }
  });
});
