// Checks a rater's answer against the campaign's task design (scale, strength, criteria, rationale)
// and normalises it. Pure: the service turns a failure into 400 VALIDATION_FAILED naming the field.
import type { TScale, TTaskDesign } from '../contract/campaign';
import type { TCriterionAnswer, TRaterChoice } from '../contract/rater';
import { allTied, rankingProblem, type Ranking } from './ranking';

export interface JudgmentAnswer {
  choice?: TRaterChoice;
  ranking?: Ranking;
  allBad?: boolean;
  strength?: number;
  criteria?: Record<string, AnyCriterionAnswer>;
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

type AnyCriterionAnswer = TCriterionAnswer | { ranking: Ranking };

function checkChoice(scale: TScale, answer: { choice?: TRaterChoice; strength?: number }, at: string): Problem {
  if (answer.choice === undefined) return { field: `${at}choice`, message: 'choose left, right' + (scale.allowTie ? ' or tie' : '') };
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

const pairAnswer = (scale: TScale) => (answer: AnyCriterionAnswer, at: string): Problem =>
  'ranking' in answer ? { field: `${at}ranking`, message: 'this is a pair: answer with a choice, not a ranking' } : checkChoice(scale, answer, at);

function checkCriteria(design: TTaskDesign, criteria: Record<string, AnyCriterionAnswer> | undefined, check = pairAnswer(design.scale)): Problem {
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
    const problem = check(answer, `criteria.${c.name}.`);
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

// A blank rationale counts as none, so "optional" accepts an empty box.
const trimmedRationale = (rationale: string | undefined) => (rationale?.trim() ? rationale.trim() : null);

export function validateJudgment(design: TTaskDesign, answer: JudgmentAnswer): JudgmentValidation {
  const rationale = trimmedRationale(answer.rationale);
  const problem =
    (answer.ranking !== undefined || answer.allBad !== undefined ? { field: 'ranking', message: 'this is a pair: answer with a choice, not a ranking' } : null) ??
    checkChoice(design.scale, answer, '') ??
    checkCriteria(design, answer.criteria) ??
    checkRationale(design, rationale);
  if (problem) return { ok: false, ...problem };
  const criteria = design.criteria.length > 0 ? ((answer.criteria ?? null) as Record<string, TCriterionAnswer> | null) : null;
  return { ok: true, value: { choice: answer.choice!, strength: answer.strength ?? null, criteria, rationale } };
}

export interface ValidRanking {
  /** Cards as shown, groups best first (every card tied when only allBad was given). */
  ranking: Ranking;
  allBad: boolean;
  /** Each criterion's ranking of the cards, when the design has criteria. */
  criteria: Record<string, Ranking> | null;
  rationale: string | null;
}

/** A ranking task's answer: a full ranking of its `size` cards (and one per criterion), ties and allBad as the design allows. */
export function validateRankingJudgment(design: TTaskDesign, size: number, answer: JudgmentAnswer): { ok: true; value: ValidRanking } | { ok: false; field: string; message: string } {
  const rules = { size, allowTie: design.scale.allowTie, allowBothBad: design.scale.allowBothBad };
  const rationale = trimmedRationale(answer.rationale);
  const checkRanking = (ranking: Ranking | undefined, allBad: boolean, at: string): Problem => {
    const problem = rankingProblem(ranking, allBad, rules);
    return problem ? { field: `${at}ranking`, message: problem } : null;
  };
  const problem =
    (answer.choice !== undefined || answer.strength !== undefined ? { field: 'choice', message: `this task ranks ${size} responses: send a ranking, not a choice` } : null) ??
    checkRanking(answer.ranking, answer.allBad ?? false, '') ??
    checkCriteria(design, answer.criteria, (a, at) =>
      'ranking' in a ? checkRanking(a.ranking, false, at) : { field: `${at}ranking`, message: 'rank the responses for this criterion' },
    ) ??
    checkRationale(design, rationale);
  if (problem) return { ok: false, ...problem };
  const allBad = answer.allBad ?? false;
  const criteria = design.criteria.length > 0 ? Object.fromEntries(design.criteria.map((c) => [c.name, (answer.criteria![c.name] as { ranking: Ranking }).ranking])) : null;
  return { ok: true, value: { ranking: answer.ranking ?? allTied(size), allBad, criteria, rationale } };
}
