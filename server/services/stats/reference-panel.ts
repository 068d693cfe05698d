// Reference labels (AlpacaEval preference, Arena winner, HH chosen, native `reference`) against the raters:
// per source, the human majority's raw agreement and Cohen's kappa with them, and a leaderboard drawn from them.
import type { z } from 'zod';
import type { ZReferenceStatsSchema } from '../../contract/stats';
import { CHOICE_CODES, NO_CHOICE } from '../../db/repositories/stats';
import { bradleyTerryLeaderboard, type PairOutcomeCounts } from '../../domain/stats/bradley-terry';
import { cohenKappaEstimate } from '../../domain/stats/cohen';
import type { JudgmentTable } from './judgment-table';
import { leaderboardEntries } from './leaderboard-panel';

type ReferenceStats = z.infer<typeof ZReferenceStatsSchema>;

const BOTH_BAD = CHOICE_CODES.indexOf('BOTH_BAD');
const NO_ESTIMATE = { value: null, ci: null, units: 0, rounds: 0 };
const CHOICES = CHOICE_CODES.length;

/** The strictly most chosen answer of each comparison's counted judgments (NO_CHOICE: none, or a tie at the top). */
export function humanMajorities(table: JudgmentTable): Uint8Array {
  const size = table.comparisons.id.length;
  const counts = new Int32Array(size * CHOICES);
  for (let i = 0; i < table.counted.length; i++) {
    const choice = table.choice[i]!;
    if (table.counted[i] && choice !== NO_CHOICE) counts[table.comparison[i]! * CHOICES + choice]!++;
  }
  const majority = new Uint8Array(size).fill(NO_CHOICE);
  for (let c = 0; c < size; c++) {
    let [best, leader, tied] = [0, NO_CHOICE, false];
    for (let choice = 0; choice < CHOICES; choice++) {
      const n = counts[c * CHOICES + choice]!;
      if (n > best) [best, leader, tied] = [n, choice, false];
      else if (n === best && n > 0) tied = true;
    }
    if (!tied) majority[c] = leader;
  }
  return majority;
}

export function referencePanel(table: JudgmentTable, options: { bothBad: 'tie' | 'drop'; rounds: number; seed: number }): ReferenceStats {
  const { comparisons } = table;
  const majority = humanMajorities(table);
  const perSource = comparisons.referenceSources.map((source) => ({ source, labelled: 0, human: [] as number[], reference: [] as number[] }));
  const outcomes = new Map<string, PairOutcomeCounts>();
  for (let c = 0; c < comparisons.id.length; c++) {
    const code = comparisons.reference[c]!;
    if (code < 0 || comparisons.gold[c] !== NO_CHOICE) continue;
    const [source, label] = [perSource[code >> 3]!, code & 7];
    source.labelled += 1;
    if (majority[c] !== NO_CHOICE) {
      source.human.push(majority[c]!);
      source.reference.push(label);
    }
    if (comparisons.modelA[c] === comparisons.modelB[c] || (label === BOTH_BAD && options.bothBad === 'drop')) continue;
    const [modelA, modelB] = [comparisons.models[comparisons.modelA[c]!]!, comparisons.models[comparisons.modelB[c]!]!];
    const key = `${modelA}\u0000${modelB}`;
    const row = outcomes.get(key) ?? { modelA, modelB, winsA: 0, winsB: 0, ties: 0 };
    if (label === 0) row.winsA += 1;
    else if (label === 1) row.winsB += 1;
    else row.ties += 1;
    outcomes.set(key, row);
  }
  const board = bradleyTerryLeaderboard([...outcomes.values()], { rounds: options.rounds, seed: options.seed });
  return {
    sources: perSource.map(({ source, labelled, human, reference }) => ({
      source,
      labelled,
      compared: human.length,
      agreement: human.length === 0 ? null : human.filter((choice, u) => choice === reference[u]).length / human.length,
      kappa: human.length === 0 ? NO_ESTIMATE : cohenKappaEstimate(human, reference, 'none', { rounds: options.rounds, seed: options.seed }),
    })),
    leaderboard: leaderboardEntries(board),
  };
}
