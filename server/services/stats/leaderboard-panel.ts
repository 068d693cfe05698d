// The leaderboard and win-rate matrix from the counted judgments, counted per (model pair, choice) in memory.
import type { z } from 'zod';
import type { ZLeaderboardEntrySchema, ZWinRatesSchema } from '../../contract/stats';
import { CHOICE_CODES, NO_CHOICE } from '../../db/repositories/stats';
import { groupIdentical, listKey } from '../../domain/stats/bootstrap';
import { bradleyTerryLeaderboard, type Leaderboard, type OutcomeUnits, type PairOutcomeCounts } from '../../domain/stats/bradley-terry';
import type { JudgmentTable } from './judgment-table';
import type { RankingUnits } from './ranking-units';

export interface LeaderboardPanel {
  /** The fit itself, for the stopping rule (answer-panel.ts). */
  board: Leaderboard;
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
  return outcomeCells(table, bothBad).rows;
}

/** The rows of `pairOutcomes`, and each table row's outcome cell in them (3 * row + outcome; -1 when left out). */
function outcomeCells(table: JudgmentTable, bothBad: 'tie' | 'drop'): { rows: PairOutcomeCounts[]; cellOfJudgment: Int32Array } {
  const { comparisons } = table;
  const models = comparisons.models.length;
  // Three cells (wins of A, wins of B, ties) per ordered pair modelA * models + modelB.
  const cells = new Float64Array(3 * models * models);
  const cellOfJudgment = new Int32Array(table.counted.length).fill(-1);
  for (let i = 0; i < table.counted.length; i++) {
    const choice = table.choice[i]!;
    const c = table.comparison[i]!;
    if (!table.counted[i] || comparisons.gold[c] !== NO_CHOICE || choice === NO_CHOICE || (choice === BOTH_BAD && bothBad === 'drop')) continue;
    if (comparisons.modelA[c] === comparisons.modelB[c]) continue;
    const cell = 3 * (comparisons.modelA[c]! * models + comparisons.modelB[c]!) + (choice === A ? 0 : choice === B ? 1 : 2);
    cells[cell]!++;
    cellOfJudgment[i] = cell;
  }
  const rows: PairOutcomeCounts[] = [];
  const rowOfPair = new Int32Array(models * models).fill(-1);
  for (let pair = 0; pair < models * models; pair++) {
    const [winsA, winsB, ties] = [cells[3 * pair]!, cells[3 * pair + 1]!, cells[3 * pair + 2]!];
    if (winsA + winsB + ties === 0) continue;
    rowOfPair[pair] = rows.length;
    rows.push({ modelA: comparisons.models[Math.floor(pair / models)]!, modelB: comparisons.models[pair % models]!, winsA, winsB, ties });
  }
  for (let i = 0; i < cellOfJudgment.length; i++) {
    const cell = cellOfJudgment[i]!;
    if (cell !== -1) cellOfJudgment[i] = 3 * rowOfPair[Math.floor(cell / 3)]! + (cell % 3);
  }
  return { rows, cellOfJudgment };
}

/**
 * The bootstrap units of the leaderboard when the table holds rankings: a ranking's derived pairs are one unit
 * (they are not independent), a pair's judgment a unit of its own; units with the same outcomes grouped.
 */
function rankingOutcomeUnits(cellOfJudgment: Int32Array, rankings: RankingUnits): OutcomeUnits {
  // Each unit's cells in one flat list (a counting sort by unit, rows in order), the lone judgments' after them.
  const start = new Int32Array(rankings.count + 2);
  let radix = 1;
  for (let i = 0; i < cellOfJudgment.length; i++) {
    const cell = cellOfJudgment[i]!;
    if (cell === -1) continue;
    const u = rankings.unitOfRow[i]!;
    start[(u === -1 ? rankings.count : u) + 1]!++;
    radix = Math.max(radix, cell + 1);
  }
  for (let u = 0; u <= rankings.count; u++) start[u + 1]! += start[u]!;
  const cells = new Int32Array(start[rankings.count + 1]!);
  const next = start.slice(0, rankings.count + 1);
  for (let i = 0; i < cellOfJudgment.length; i++) {
    const cell = cellOfJudgment[i]!;
    if (cell === -1) continue;
    const u = rankings.unitOfRow[i]!;
    cells[next[u === -1 ? rankings.count : u]!++] = cell;
  }
  function* units(): Generator<Int32Array> {
    for (let u = 0; u < rankings.count; u++) if (start[u + 1]! > start[u]!) yield cells.subarray(start[u]!, start[u + 1]!).sort();
    for (let at = start[rankings.count]!; at < cells.length; at++) yield cells.subarray(at, at + 1);
  }
  // Keys as numbers while they fit (a ranking of 4 is 6 cells): text keys for 250,000 rankings cost more than the fit.
  return groupIdentical(units(), (unit) => listKey(unit, radix), (unit) => unit.slice());
}

/** A fitted leaderboard's rows as the API shows them (reason only where a model has no estimate). */
export function leaderboardEntries(board: Leaderboard): LeaderboardPanel['leaderboard'] {
  return board.ratings.map(({ reason, ...rating }) => ({ ...rating, ...(reason ? { reason } : {}) }));
}

/** The leaderboard and win rates; with `rankings`, the bootstrap redraws whole rankings rather than their pairs. */
export function leaderboardPanel(table: JudgmentTable, options: { bothBad: 'tie' | 'drop'; rounds: number; seed: number }, rankings?: RankingUnits): LeaderboardPanel {
  const { rows, cellOfJudgment } = outcomeCells(table, options.bothBad);
  const units = rankings ? rankingOutcomeUnits(cellOfJudgment, rankings) : undefined;
  const board = bradleyTerryLeaderboard(rows, { rounds: options.rounds, seed: options.seed, units });
  return {
    board,
    leaderboard: leaderboardEntries(board),
    winRates: { models: board.models, matrix: board.winRates, counts: board.pairJudgments },
    dropped: board.bootstrap.dropped,
  };
}
