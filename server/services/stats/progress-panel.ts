// The dashboard's progress figures (comparisons, completion, judgments per day, last hour) from the judgment table.
import type { z } from 'zod';
import type { ZProgressSchema } from '../../contract/stats';
import { NO_CHOICE } from '../../db/repositories/stats';
import type { JudgmentTable } from './judgment-table';

const DAY_MS = 86_400_000;

export function progressPanel(table: JudgmentTable): z.infer<typeof ZProgressSchema> {
  const { comparisons } = table;
  const isGold = (c: number) => comparisons.gold[c] !== NO_CHOICE;
  const countedPer = new Int32Array(comparisons.id.length);
  let [firstDay, lastDay] = [Infinity, -Infinity];
  for (let i = 0; i < table.day.length; i++) [firstDay, lastDay] = [Math.min(firstDay, table.day[i]!), Math.max(lastDay, table.day[i]!)];
  const perDay = new Int32Array(Number.isFinite(firstDay) ? lastDay - firstDay + 1 : 0);
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
    perDay[table.day[i]! - firstDay]!++;
  }
  let [total, target, complete] = [0, 0, 0];
  for (let c = 0; c < countedPer.length; c++) {
    if (isGold(c)) continue;
    total++;
    target += comparisons.target[c]!;
    if (countedPer[c]! >= comparisons.target[c]!) complete++;
  }
  const days: { date: string; judgments: number }[] = [];
  perDay.forEach((n, d) => {
    if (n > 0) days.push({ date: new Date((firstDay + d) * DAY_MS).toISOString().slice(0, 10), judgments: n });
  });
  return { comparisons: total, complete, judgments, target, perDay: days, throughputPerHour: lastHour, goldJudgments };
}
