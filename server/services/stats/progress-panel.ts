// The dashboard's progress figures (comparisons, completion, judgments per day and, on day one, per hour;
// the last hour) from the judgment table. A ranking task counts as one comparison and a ranking as one judgment,
// not as its derived pairs: k is judgments per task.
import type { z } from 'zod';
import type { ZProgressSchema } from '../../contract/stats';
import { NO_CHOICE, taskOfPairId } from '../../db/repositories/stats';
import type { JudgmentTable } from './judgment-table';
import type { RankingUnits } from './ranking-units';

const HOUR_MS = 3_600_000;
/** Below this span from the first counted judgment to the last, the figures come per hour too (a day chart would be one or two bars). */
export const HOURLY_SPAN_HOURS = 48;

/** `rankings`: the table's ranking judgments (rankingUnits), each counted once rather than once per derived pair. */
export function progressPanel(table: JudgmentTable, rankings?: RankingUnits): z.infer<typeof ZProgressSchema> {
  const { comparisons } = table;
  const isGold = (c: number) => comparisons.gold[c] !== NO_CHOICE;
  // Task of each comparison (a dense index): a ranking task's derived pairs share one.
  // (A loop, not TypedArray.from with a map function, which is slow; a task's pairs are listed one after another, so
  // the task of the comparison before is tried first.)
  const taskIndex = new Map<number, number>();
  const taskOf = new Int32Array(comparisons.id.length);
  let [lastTask, lastIndex] = [NaN, -1];
  for (let c = 0; c < taskOf.length; c++) {
    const task = taskOfPairId(comparisons.id[c]!);
    if (task !== lastTask) {
      let t = taskIndex.get(task);
      if (t === undefined) taskIndex.set(task, (t = taskIndex.size));
      lastTask = task;
      lastIndex = t;
    }
    taskOf[c] = lastIndex;
  }
  const countedPer = new Int32Array(taskIndex.size);
  const seenUnit = new Uint8Array(rankings?.count ?? 0);
  const byHour = new Map<number, number>();
  let [judgments, goldJudgments, lastHour] = [0, 0, 0];
  for (let i = 0; i < table.counted.length; i++) {
    if (!table.counted[i]) continue;
    const u = rankings ? rankings.unitOfRow[i]! : -1;
    if (u !== -1) {
      if (seenUnit[u]) continue;
      seenUnit[u] = 1;
    }
    const c = table.comparison[i]!;
    if (isGold(c)) {
      goldJudgments++;
      continue;
    }
    countedPer[taskOf[c]!]!++;
    judgments++;
    lastHour += table.recent[i]!;
    byHour.set(table.hour[i]!, (byHour.get(table.hour[i]!) ?? 0) + 1);
  }
  let [total, target, complete] = [0, 0, 0];
  const taskDone = new Uint8Array(taskIndex.size);
  for (let c = 0; c < comparisons.id.length; c++) {
    const t = taskOf[c]!;
    if (isGold(c) || taskDone[t]) continue;
    taskDone[t] = 1;
    total++;
    target += comparisons.target[c]!;
    if (countedPer[t]! >= comparisons.target[c]!) complete++;
  }
  const hours = [...byHour.keys()].sort((a, b) => a - b);
  const byDay = new Map<number, number>();
  for (const hour of hours) byDay.set(Math.floor(hour / 24), (byDay.get(Math.floor(hour / 24)) ?? 0) + byHour.get(hour)!);
  const perDay = [...byDay].map(([day, n]) => ({ date: new Date(day * 24 * HOUR_MS).toISOString().slice(0, 10), judgments: n }));
  const hourly = hours.length > 0 && hours.at(-1)! - hours[0]! < HOURLY_SPAN_HOURS;
  const perHour = hourly ? hours.map((hour) => ({ hour: new Date(hour * HOUR_MS).toISOString(), judgments: byHour.get(hour)! })) : [];
  return { comparisons: total, complete, judgments, target, perDay, perHour, throughputPerHour: lastHour, goldJudgments };
}
