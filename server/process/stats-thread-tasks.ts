// The parts of a stats request that may run on the stats thread: plain functions of plain data, so that
// a task gives the same result on the thread as when called here (a test holds them to that).
import { computeAgreementSummaryOfColumns, type AgreementColumns, type AgreementSummary, type AgreementSummaryOptions } from '../domain/stats/agreement-summary';

export const STATS_TASKS = {
  agreement: (input: { columns: AgreementColumns; options: AgreementSummaryOptions }): AgreementSummary<number> =>
    computeAgreementSummaryOfColumns(input.columns, input.options),
};

export type StatsTaskName = keyof typeof STATS_TASKS;
export type StatsTaskInput<K extends StatsTaskName> = Parameters<(typeof STATS_TASKS)[K]>[0];
export type StatsTaskResult<K extends StatsTaskName> = ReturnType<(typeof STATS_TASKS)[K]>;

export function runStatsTask<K extends StatsTaskName>(name: K, input: StatsTaskInput<K>): StatsTaskResult<K> {
  return STATS_TASKS[name](input) as StatsTaskResult<K>;
}
