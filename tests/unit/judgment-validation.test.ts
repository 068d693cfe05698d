import { describe, expect, it } from 'vitest';
import { SCALE_PRESETS, ZTaskDesignSchema, type TTaskDesign } from '../../server/contract/campaign';
import { validateJudgment, type JudgmentAnswer } from '../../server/domain/judgment-validation';

const design = (d: object): TTaskDesign => ZTaskDesignSchema.parse(d);
const failure = (d: TTaskDesign, a: JudgmentAnswer) => {
  const r = validateJudgment(d, a);
  return r.ok ? null : r.field;
};

describe('validateJudgment: scale', () => {
  it('accepts left/right on a binary scale and refuses tie and both bad', () => {
    const d = design({ scale: SCALE_PRESETS.binary });
    expect(validateJudgment(d, { choice: 'left' })).toEqual({ ok: true, value: { choice: 'left', strength: null, criteria: null, rationale: null } });
    expect(failure(d, { choice: 'tie' })).toBe('choice');
    expect(failure(d, { choice: 'both_bad' })).toBe('choice');
  });

  it('takes both bad only where allowed', () => {
    expect(failure(design({ scale: SCALE_PRESETS.binaryTieBothBad }), { choice: 'both_bad' })).toBeNull();
    expect(failure(design({ scale: SCALE_PRESETS.binaryTie }), { choice: 'both_bad' })).toBe('choice');
  });

  it('requires a strength 1..n toward a side when the scale has levels, and none for a tie', () => {
    const d = design({ scale: SCALE_PRESETS.sevenPoint });
    expect(failure(d, { choice: 'right', strength: 3 })).toBeNull();
    expect(failure(d, { choice: 'right' })).toBe('strength');
    expect(failure(d, { choice: 'right', strength: 4 })).toBe('strength');
    expect(failure(d, { choice: 'left', strength: 0 })).toBe('strength');
    expect(failure(d, { choice: 'tie', strength: 1 })).toBe('strength');
    expect(failure(d, { choice: 'tie' })).toBeNull();
  });

  it('refuses a strength on a scale without levels', () => {
    expect(failure(design({}), { choice: 'left', strength: 1 })).toBe('strength');
  });
});

describe('validateJudgment: criteria', () => {
  const d = design({
    scale: SCALE_PRESETS.llama2,
    criteria: [
      { name: 'helpfulness', label: 'Helpfulness' },
      { name: 'harmlessness', label: 'Harmlessness' },
    ],
  });

  it('wants exactly the design criteria, each checked against the scale', () => {
    const ok = { choice: 'left' as const, strength: 2, criteria: { helpfulness: { choice: 'left' as const, strength: 4 }, harmlessness: { choice: 'right' as const, strength: 1 } } };
    const r = validateJudgment(d, ok);
    expect(r.ok && r.value.criteria).toEqual(ok.criteria);
    expect(failure(d, { ...ok, criteria: { helpfulness: ok.criteria.helpfulness } })).toBe('criteria.harmlessness');
    expect(failure(d, { ...ok, criteria: { ...ok.criteria, honesty: { choice: 'left', strength: 1 } } })).toBe('criteria.honesty');
    expect(failure(d, { ...ok, criteria: { ...ok.criteria, harmlessness: { choice: 'tie' } } })).toBe('criteria.harmlessness.choice');
    expect(failure(d, { ...ok, criteria: { ...ok.criteria, harmlessness: { choice: 'left' } } })).toBe('criteria.harmlessness.strength');
  });

  it('refuses criteria when the design asks for one overall answer', () => {
    expect(failure(design({}), { choice: 'left', criteria: { helpfulness: { choice: 'left' } } })).toBe('criteria');
    expect(failure(design({}), { choice: 'left', criteria: {} })).toBeNull();
  });
});

describe('validateJudgment: rationale', () => {
  it('off: refuses one, but a blank box counts as none', () => {
    expect(failure(design({}), { choice: 'left', rationale: 'because' })).toBe('rationale');
    expect(failure(design({}), { choice: 'left', rationale: '   ' })).toBeNull();
  });

  it('optional: none is fine, a short one is not', () => {
    const d = design({ rationale: { mode: 'optional', minLength: 10 } });
    expect(failure(d, { choice: 'left' })).toBeNull();
    expect(failure(d, { choice: 'left', rationale: 'too short' })).toBe('rationale');
    const r = validateJudgment(d, { choice: 'left', rationale: '  long enough, trimmed  ' });
    expect(r.ok && r.value.rationale).toBe('long enough, trimmed');
  });

  it('required: demands one of the minimum length', () => {
    const d = design({ rationale: { mode: 'required', minLength: 5 } });
    expect(failure(d, { choice: 'left' })).toBe('rationale');
    expect(failure(d, { choice: 'left', rationale: 'abcd' })).toBe('rationale');
    expect(failure(d, { choice: 'left', rationale: 'abcde' })).toBeNull();
  });
});
