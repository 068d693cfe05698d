// The dashboard's rater table: quality figures of every rater of the campaign and their review marks.
import type { TRaterStats } from '../../contract/stats';
import type { CampaignRaterRow } from '../../db/repositories/stats';
import { assessRater, type Choice, type RaterJudgment } from '../../domain/stats/rater-quality';
import { raterPseudonym } from '../exports/rater-pseudonym';
import { choiceOf, type JudgmentTable } from './judgment-table';

/** Counted choices of each comparison, so that each judgment can be set against the others'. */
function countedChoicesByComparison(table: JudgmentTable): Map<number, Choice[]> {
  const byComparison = new Map<number, Choice[]>();
  for (let i = 0; i < table.choice.length; i++) {
    const choice = choiceOf(table.choice[i]!);
    if (!table.counted[i] || choice === null) continue;
    const id = table.comparisonId[i]!;
    const choices = byComparison.get(id);
    if (choices) choices.push(choice);
    else byComparison.set(id, [choice]);
  }
  return byComparison;
}

function withoutOne(choices: readonly Choice[], own: Choice): Choice[] {
  const at = choices.indexOf(own);
  return at === -1 ? [...choices] : [...choices.slice(0, at), ...choices.slice(at + 1)];
}

export function raterTable(table: JudgmentTable, raters: readonly CampaignRaterRow[], campaignSeed: string): TRaterStats[] {
  const counted = countedChoicesByComparison(table);
  const judgmentsOf = new Map<string, RaterJudgment[]>(raters.map((r) => [r.id, []]));
  const listOf = table.raters.map((id) => judgmentsOf.get(id));
  for (let i = 0; i < table.choice.length; i++) {
    const choice = choiceOf(table.choice[i]!);
    const list = listOf[table.raterIndex[i]!];
    if (choice === null || !list) continue;
    const id = table.comparisonId[i]!;
    const choices = counted.get(id) ?? [];
    list.push({
      comparisonId: String(id),
      choice,
      leftIsA: table.leftIsA[i] === 1,
      timeMs: table.timeMs[i]!,
      lengthA: table.lengthA[i]!,
      lengthB: table.lengthB[i]!,
      otherChoices: table.counted[i] ? withoutOne(choices, choice) : choices,
      gold: choiceOf(table.gold[i]!),
    });
  }
  return raters.map((rater) => {
    const q = assessRater({ raterId: rater.id, judgments: judgmentsOf.get(rater.id)!, flagCount: rater.flags });
    return {
      id: rater.id,
      name: rater.name,
      pseudonym: raterPseudonym(campaignSeed, rater.id),
      judgments: q.judgments,
      agreementWithOthers: q.agreementWithOthers.rate,
      agreementComparisons: q.agreementWithOthers.n,
      goldAccuracy: q.goldAccuracy.rate,
      goldJudgments: q.goldAccuracy.n,
      leftShare: q.leftChoice.rate,
      leftP: q.leftChoice.pValue,
      longerShare: q.longerChoice.rate,
      medianTimeMs: q.medianTimeMs,
      fastShare: q.fastShare.rate,
      flags: q.flagCount,
      excluded: rater.excluded,
      review: q.review,
    };
  });
}
