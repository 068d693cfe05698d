// The stopping rule on the dashboard: per adjacent pair of models settled or not, answered or not, and a rough
// count of the judgments still needed; and the uniform arm's judgments alone when the leaderboard should rest on them.
import type { TAnswer } from '../../contract/stats';
import { readActivePicked } from '../../db/repositories/selection';
import { taskOfPairId } from '../../db/repositories/stats';
import type { Db } from '../../db/handle';
import { stoppingVerdict } from '../../domain/selection/stopping-rule';
import type { Leaderboard } from '../../domain/stats/bradley-terry';
import type { JudgmentTable } from './judgment-table';

/** The table with the judgments of assignments active selection picked no longer counted (the uniform and control arms remain). */
export async function uniformArmOnly(db: Db, campaignId: string, table: JudgmentTable): Promise<JudgmentTable> {
  const picked = new Set((await readActivePicked(db, campaignId)).map((p) => `${p.comparisonId}:${p.raterId}`));
  if (picked.size === 0) return table;
  const keyOf = (i: number) => `${taskOfPairId(table.comparisons.id[table.comparison[i]!]!)}:${table.raters[table.rater[i]!]!.id}`;
  return { ...table, counted: Uint8Array.from(table.counted, (counted, i) => (counted && !picked.has(keyOf(i)) ? 1 : 0)) };
}

/** `arms`: the campaign's assignments by arm (countAssignmentsByArm, read while the stats are computed). */
export function answerPanel(
  campaign: { settleMargin: number; judgmentBudget: number | null },
  board: Leaderboard,
  o: { arm: 'all' | 'uniform'; spent: number; arms: TAnswer['arms'] },
): TAnswer {
  const verdict = stoppingVerdict(board, { margin: campaign.settleMargin, budget: campaign.judgmentBudget, spent: o.spent, level: 0.95 });
  return {
    arm: o.arm,
    judgments: verdict.judgments,
    spent: o.spent,
    budget: campaign.judgmentBudget,
    margin: campaign.settleMargin,
    answered: verdict.answered,
    moreJudgments: verdict.moreJudgments,
    pairs: verdict.pairs,
    unrated: verdict.unrated,
    arms: o.arms,
  };
}
