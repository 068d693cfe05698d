// Checks a rater's answer against the campaign's task design (scale, strength, criteria, rationale)
// and normalises it. Pure: the service turns a failure into 400 VALIDATION_FAILED naming the field.
import type { TScale, TTaskDesign } from '../contract/campaign';
import type { TCriterionAnswer, TRaterChoice } from '../contract/rater';

export interface JudgmentAnswer {
  choice: TRaterChoice;
  strength?: number;
  criteria?: Record<string, TCriterionAnswer>;
  rationale?: string;
}

export interface ValidJudgment {
  choice: TRaterChoice;
  strength: number | null;
  criteria: Record<string, TCriterionAnswer> | null;
  rationale: string | null;
}

export type JudgmentValidation = { ok: true; value: ValidJudgment } | { ok: false; field: string; message: string };

type Problem = { field: string; message: string } | null;

function checkChoice(scale: TScale, answer: TCriterionAnswer, at: string): Problem {
  if (answer.choice === 'tie' && !scale.allowTie) return { field: `${at}choice`, message: 'this campaign does not allow a tie: choose left or right' };
  if (answer.choice === 'both_bad' && !scale.allowBothBad) return { field: `${at}choice`, message: 'this campaign does not allow "both bad": choose a side' };
  const levels = scale.strengthLevels.length;
  const directional = answer.choice === 'left' || answer.choice === 'right';
  if (!directional || levels === 0) {
    if (answer.strength !== undefined) {
      return { field: `${at}strength`, message: directional ? 'this campaign has no strength levels: leave strength out' : `a ${answer.choice === 'tie' ? 'tie' : '"both bad"'} has no strength` };
    }
    return null;
  }
  if (answer.strength === undefined) return { field: `${at}strength`, message: `say how much better: a strength from 1 to ${levels}` };
  if (answer.strength < 1 || answer.strength > levels) return { field: `${at}strength`, message: `strength must be from 1 to ${levels}` };
  return null;
}

function checkCriteria(design: TTaskDesign, criteria: Record<string, TCriterionAnswer> | undefined): Problem {
  const given = Object.keys(criteria ?? {});
  if (design.criteria.length === 0) {
    return given.length > 0 ? { field: 'criteria', message: 'this campaign asks for one overall answer: leave criteria out' } : null;
  }
  const expected = new Set(design.criteria.map((c) => c.name));
  const unknown = given.find((name) => !expected.has(name));
  if (unknown !== undefined) return { field: `criteria.${unknown}`, message: `"${unknown}" is not a criterion of this campaign` };
  for (const c of design.criteria) {
    const answer = criteria?.[c.name];
    if (!answer) return { field: `criteria.${c.name}`, message: `answer "${c.label}" too` };
    const problem = checkChoice(design.scale, answer, `criteria.${c.name}.`);
    if (problem) return problem;
  }
  return null;
}

function checkRationale(design: TTaskDesign, rationale: string | null): Problem {
  const { mode, minLength } = design.rationale;
  if (mode === 'off') return rationale === null ? null : { field: 'rationale', message: 'this campaign does not ask for a rationale: leave it out' };
  if (rationale === null) return mode === 'required' ? { field: 'rationale', message: `explain your choice (at least ${Math.max(1, minLength)} characters)` } : null;
  if (rationale.length < minLength) return { field: 'rationale', message: `the rationale needs at least ${minLength} characters (it has ${rationale.length})` };
  return null;
}

export function validateJudgment(design: TTaskDesign, answer: JudgmentAnswer): JudgmentValidation {
  // A blank rationale counts as none, so "optional" accepts an empty box.
  const rationale = answer.rationale?.trim() ? answer.rationale.trim() : null;
  const problem = checkChoice(design.scale, answer, '') ?? checkCriteria(design, answer.criteria) ?? checkRationale(design, rationale);
  if (problem) return { ok: false, ...problem };
  const criteria = design.criteria.length > 0 ? (answer.criteria ?? null) : null;
  return { ok: true, value: { choice: answer.choice, strength: answer.strength ?? null, criteria, rationale } };
}
