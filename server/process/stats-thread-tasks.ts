// The parts of a stats request that may run on the stats thread: plain functions of plain data, so that
// a task gives the same result on the thread as when called here (a test holds them to that).
import {
  agreementCohenOfColumns,
  computeAgreementSummaryOfColumns,
  type AgreementCohen,
  type AgreementColumns,
  type AgreementSummary,
  type AgreementSummaryOptions,
} from '../domain/stats/agreement-summary';
import { bradleyTerryLeaderboard, type Leaderboard, type PairOutcomeCounts } from '../domain/stats/bradley-terry';
import { rankingAgreement, type RankingAgreement, type RankingAgreementUnits } from '../services/stats/ranking-agreement';

export const STATS_TASKS = {
  agreement: (input: { columns: AgreementColumns; options: AgreementSummaryOptions }): AgreementSummary<number> =>
    computeAgreementSummaryOfColumns(input.columns, input.options),
  /** The agreement summary's pairwise Cohen kappas alone (the stats endpoint computes its other figures meanwhile). */
  agreementCohen: (input: { columns: AgreementColumns; options: AgreementSummaryOptions }): AgreementCohen => agreementCohenOfColumns(input.columns, input.options),
  /** Kendall's W and alpha on ranks of a ranking campaign's stats, queued behind agreementCohen. */
  rankingAgreement: (input: { units: RankingAgreementUnits; options: { rounds: number; seed: number } }): RankingAgreement => rankingAgreement(input.units, input.options),
  /** The priority refresh's fit and bootstrap, off the event loop that serves the claims. */
  leaderboard: (input: { rows: PairOutcomeCounts[]; rounds: number; seed: number }): Leaderboard =>
    bradleyTerryLeaderboard(input.rows, { rounds: input.rounds, seed: input.seed }),
};

export type StatsTaskName = keyof typeof STATS_TASKS;
export type StatsTaskInput<K extends StatsTaskName> = Parameters<(typeof STATS_TASKS)[K]>[0];
export type StatsTaskResult<K extends StatsTaskName> = ReturnType<(typeof STATS_TASKS)[K]>;

export function runStatsTask<K extends StatsTaskName>(name: K, input: StatsTaskInput<K>): StatsTaskResult<K> {
  // A correlated union the checker cannot follow: the task and its input share K.
  return (STATS_TASKS[name] as (input: StatsTaskInput<K>) => StatsTaskResult<K>)(input);
}
