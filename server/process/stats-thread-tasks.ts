// The parts of a stats request that may run on the stats thread: plain functions of plain data, so that
// a task gives the same result on the thread as when called here (a test holds them to that).
import { computeAgreementSummaryOfColumns, type AgreementColumns, type AgreementSummary, type AgreementSummaryOptions } from '../domain/stats/agreement-summary';
import { bradleyTerryLeaderboard, type Leaderboard, type PairOutcomeCounts } from '../domain/stats/bradley-terry';
import { agreementOfTable, type AgreementTable } from '../services/stats/agreement-panel';

export const STATS_TASKS = {
  agreement: (input: { columns: AgreementColumns; options: AgreementSummaryOptions }): AgreementSummary<number> =>
    computeAgreementSummaryOfColumns(input.columns, input.options),
  /** The stats endpoint's agreement panel from the judgment table's columns (it computes the other panels meanwhile). */
  agreementOfTable: (input: { table: AgreementTable; options: AgreementSummaryOptions }) => agreementOfTable(input.table, input.options),
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
