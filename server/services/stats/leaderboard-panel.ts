// The leaderboard and win-rate matrix from the counts per (model pair, choice) that SQL aggregated.
import type { z } from 'zod';
import type { ZLeaderboardEntrySchema, ZWinRatesSchema } from '../../contract/stats';
import type { PairOutcomeRow } from '../../db/repositories/stats';
import { bradleyTerryLeaderboard, type PairOutcomeCounts } from '../../domain/stats/bradley-terry';

export interface LeaderboardPanel {
  leaderboard: z.infer<typeof ZLeaderboardEntrySchema>[];
  winRates: z.infer<typeof ZWinRatesSchema>;
  dropped: number;
}

/** Both-bad counts as a tie unless `bothBad` is 'drop'. */
export function toPairOutcomes(rows: readonly PairOutcomeRow[], bothBad: 'tie' | 'drop'): PairOutcomeCounts[] {
  return rows.flatMap((row) => {
    if (row.choice === 'BOTH_BAD' && bothBad === 'drop') return [];
    const counts = { winsA: 0, winsB: 0, ties: 0 };
    if (row.choice === 'A') counts.winsA = row.n;
    else if (row.choice === 'B') counts.winsB = row.n;
    else counts.ties = row.n;
    return [{ modelA: row.modelA, modelB: row.modelB, ...counts }];
  });
}

export function leaderboardPanel(rows: readonly PairOutcomeRow[], options: { bothBad: 'tie' | 'drop'; rounds: number; seed: number }): LeaderboardPanel {
  const board = bradleyTerryLeaderboard(toPairOutcomes(rows, options.bothBad), { rounds: options.rounds, seed: options.seed });
  return {
    leaderboard: board.ratings.map(({ reason, ...rating }) => ({ ...rating, ...(reason ? { reason } : {}) })),
    winRates: { models: board.models, matrix: board.winRates, counts: board.pairJudgments },
    dropped: board.bootstrap.dropped,
  };
}
