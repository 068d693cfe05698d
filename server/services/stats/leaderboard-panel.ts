// The leaderboard and win-rate matrix from the counted judgments, counted per (model pair, choice) in memory.
import type { z } from 'zod';
import type { ZLeaderboardEntrySchema, ZWinRatesSchema } from '../../contract/stats';
import { CHOICE_CODES, NO_CHOICE } from '../../db/repositories/stats';
import { bradleyTerryLeaderboard, type Leaderboard, type PairOutcomeCounts } from '../../domain/stats/bradley-terry';
import type { JudgmentTable } from './judgment-table';

export interface LeaderboardPanel {
  leaderboard: z.infer<typeof ZLeaderboardEntrySchema>[];
  winRates: z.infer<typeof ZWinRatesSchema>;
  dropped: number;
}

const [A, B, BOTH_BAD] = (['A', 'B', 'BOTH_BAD'] as const).map((choice) => CHOICE_CODES.indexOf(choice));

/**
 * Counted non-gold judgments per ordered model pair; both-bad counts as a tie unless `bothBad` is 'drop'.
 * Two samples of one model (generation jobs compare them, as RLHF does) say nothing about the model ranking.
 */
export function pairOutcomes(table: JudgmentTable, bothBad: 'tie' | 'drop'): PairOutcomeCounts[] {
  const { comparisons } = table;
  const models = comparisons.models.length;
  // Three cells (wins of A, wins of B, ties) per ordered pair modelA * models + modelB.
  const cells = new Float64Array(3 * models * models);
  for (let i = 0; i < table.counted.length; i++) {
    const choice = table.choice[i]!;
    const c = table.comparison[i]!;
    if (!table.counted[i] || comparisons.gold[c] !== NO_CHOICE || choice === NO_CHOICE || (choice === BOTH_BAD && bothBad === 'drop')) continue;
    if (comparisons.modelA[c] === comparisons.modelB[c]) continue;
    cells[3 * (comparisons.modelA[c]! * models + comparisons.modelB[c]!) + (choice === A ? 0 : choice === B ? 1 : 2)]!++;
  }
  const rows: PairOutcomeCounts[] = [];
  for (let pair = 0; pair < models * models; pair++) {
    const [winsA, winsB, ties] = [cells[3 * pair]!, cells[3 * pair + 1]!, cells[3 * pair + 2]!];
    if (winsA + winsB + ties === 0) continue;
    rows.push({ modelA: comparisons.models[Math.floor(pair / models)]!, modelB: comparisons.models[pair % models]!, winsA, winsB, ties });
  }
  return rows;
}

/** A fitted leaderboard's rows as the API shows them (reason only where a model has no estimate). */
export function leaderboardEntries(board: Leaderboard): LeaderboardPanel['leaderboard'] {
  return board.ratings.map(({ reason, ...rating }) => ({ ...rating, ...(reason ? { reason } : {}) }));
}

export function leaderboardPanel(table: JudgmentTable, options: { bothBad: 'tie' | 'drop'; rounds: number; seed: number }): LeaderboardPanel {
  const board = bradleyTerryLeaderboard(pairOutcomes(table, options.bothBad), { rounds: options.rounds, seed: options.seed });
  return {
    leaderboard: leaderboardEntries(board),
    winRates: { models: board.models, matrix: board.winRates, counts: board.pairJudgments },
    dropped: board.bootstrap.dropped,
  };
}
