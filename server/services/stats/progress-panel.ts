// The dashboard's progress figures (comparisons, completion, judgments per day and, on day one, per hour;
// the last hour) from the judgment table.
import type { z } from 'zod';
import type { ZProgressSchema } from '../../contract/stats';
import { NO_CHOICE } from '../../db/repositories/stats';
import type { JudgmentTable } from './judgment-table';

const HOUR_MS = 3_600_000;
/** Below this span from the first counted judgment to the last, the figures come per hour too (a day chart would be one or two bars). */
export const HOURLY_SPAN_HOURS = 48;

export function progressPanel(table: JudgmentTable): z.infer<typeof ZProgressSchema> {
  const { comparisons } = table;
  const isGold = (c: number) => comparisons.gold[c] !== NO_CHOICE;
  const countedPer = new Int32Array(comparisons.id.length);
  const byHour = new Map<number, number>();
  let [judgments, goldJudgments, lastHour] = [0, 0, 0];
  for (let i = 0; i < table.counted.length; i++) {
    if (!table.counted[i]) continue;
    const c = table.comparison[i]!;
    if (isGold(c)) {
      goldJudgments++;
      continue;
    }
    countedPer[c]!++;
    judgments++;
    lastHour += table.recent[i]!;
    byHour.set(table.hour[i]!, (byHour.get(table.hour[i]!) ?? 0) + 1);
  }
  let [total, target, complete] = [0, 0, 0];
  for (let c = 0; c < countedPer.length; c++) {
    if (isGold(c)) continue;
    total++;
    target += comparisons.target[c]!;
    if (countedPer[c]! >= comparisons.target[c]!) complete++;
  }
  const hours = [...byHour.keys()].sort((a, b) => a - b);
  const byDay = new Map<number, number>();
  for (const hour of hours) byDay.set(Math.floor(hour / 24), (byDay.get(Math.floor(hour / 24)) ?? 0) + byHour.get(hour)!);
  const perDay = [...byDay].map(([day, n]) => ({ date: new Date(day * 24 * HOUR_MS).toISOString().slice(0, 10), judgments: n }));
  const hourly = hours.length > 0 && hours.at(-1)! - hours[0]! < HOURLY_SPAN_HOURS;
  const perHour = hourly ? hours.map((hour) => ({ hour: new Date(hour * HOUR_MS).toISOString(), judgments: byHour.get(hour)! })) : [];
  return { comparisons: total, complete, judgments, target, perDay, perHour, throughputPerHour: lastHour, goldJudgments };
}
