// Turns parsed records into one batch of rows to stage: prompts, responses, and comparisons in canonical order.
import type { TPairing, TTaskType } from '../../contract/campaign';
import type { StagingBatch } from '../../db/repositories/imports';
import type { ImportRecord, KeyedResponse, ReferenceChoice, ReferenceRanking } from '../../domain/import/types';
import { orderCandidates } from '../../domain/pairing';
import { differentText, planResponseTasks } from '../../domain/ranking-split';
import { restrictRanking } from '../../domain/ranking';

type Choice = 'A' | 'B' | 'TIE' | 'BOTH_BAD';

export interface PairingPolicy {
  campaignSeed: string;
  strategy: TPairing;
  /** Pair formats keep the file's pairs unless false. */
  keepFilePairs: boolean;
  /** Pairs, or ranking tasks of up to K responses (prompts with two responses are pairs either way). */
  task: TTaskType;
}

type Pair = [KeyedResponse, KeyedResponse];

/** Which canonical side won, given the winner's model name (gold and reference labels name responses by model). */
function sideOf(pair: Pair, winner: string): Choice {
  return winner === pair[0].model ? 'A' : 'B';
}

function referenceChoice(canonical: Pair, filePair: [string, string], choice: ReferenceChoice): Choice {
  if (choice === 'tie') return 'TIE';
  if (choice === 'both_bad') return 'BOTH_BAD';
  return sideOf(canonical, choice === 'first' ? filePair[0] : filePair[1]);
}

const samePair = (x: Pair, y: Pair) => x[0].key === y[0].key && x[1].key === y[1].key;

/** One comparison a record gives, in canonical order. */
export interface PlannedComparison {
  pair: Pair;
  goldChoice?: Choice;
  referenceChoice?: Choice;
  referenceSource?: string;
  /** A ranking task: its responses in slot order (`pair` is slots 0 and 1). */
  slots?: KeyedResponse[];
  /** The file's ranking restricted to the task's slots: groups of slot indexes, best first. */
  referenceRanking?: number[][];
}

/** The pair's reference label from a file's ranking (by keys, since OASST labels may repeat a model): which one ranks higher, or a tie. */
function rankedChoice(pair: Pair, record: ImportRecord, ranking: ReferenceRanking): Choice | undefined {
  const group = (r: KeyedResponse) => ranking.groups.findIndex((g) => g.some((i) => record.responses[i]!.key === r.key));
  const [a, b] = [group(pair[0]), group(pair[1])];
  if (a < 0 || b < 0) return undefined;
  return a === b ? 'TIE' : a < b ? 'A' : 'B';
}

export class StagingBatchBuilder {
  records = 0;
  comparisons = 0;
  private batch: StagingBatch = StagingBatchBuilder.empty();

  constructor(private readonly policy: PairingPolicy) {}

  private static empty(): StagingBatch {
    return {
      prompts: { key: [], externalId: [], context: [], metadata: [] },
      responses: { promptKey: [], key: [], model: [], externalId: [], content: [], metadata: [] },
      comparisons: { promptKey: [], keyA: [], keyB: [], isGold: [], goldChoice: [], referenceChoice: [], referenceSource: [], slots: [], referenceRanking: [] },
    };
  }

  /** Adds a record with the comparisons `plan` gave for it. */
  add(record: ImportRecord, comparisons: PlannedComparison[]): void {
    const { prompts, responses } = this.batch;
    prompts.key.push(record.key);
    prompts.externalId.push(record.externalId);
    prompts.context.push(JSON.stringify(record.context));
    prompts.metadata.push(record.metadata ? JSON.stringify(record.metadata) : null);
    for (const r of record.responses) {
      responses.promptKey.push(record.key);
      responses.key.push(r.key);
      responses.model.push(r.model);
      responses.externalId.push(r.externalId);
      responses.content.push(r.content);
      responses.metadata.push(r.metadata ? JSON.stringify(r.metadata) : null);
    }
    for (const c of comparisons) this.pushComparison(record.key, c);
    this.records += 1;
  }

  /** The rows gathered so far; the builder starts a new batch. */
  take(): StagingBatch {
    const batch = this.batch;
    this.batch = StagingBatchBuilder.empty();
    this.records = 0;
    this.comparisons = 0;
    return batch;
  }

  /**
   * A record's comparisons, before any is staged (the caller checks their number against its cap).
   * A record with a gold answer gives its gold comparison only (a prompt used as gold is not also
   * regular work). Otherwise the file's pairs (pair formats) or the campaign's strategy decide. The
   * order is canonical (seeded by the campaign and the prompt), never the file's.
   */
  plan(record: ImportRecord): PlannedComparison[] {
    const seed = `${this.policy.campaignSeed}:${record.key}`;
    // Gold, file pairs and reference labels name responses by model; such records have one response per model.
    const byModel = new Map(record.responses.map((r) => [r.model, r]));
    const order = ([x, y]: [string, string]): Pair => orderCandidates(seed, byModel.get(x)!, byModel.get(y)!);
    const { gold, reference } = record;
    if (gold) {
      const pair = order('tie' in gold ? gold.tie : [gold.better, gold.worse]);
      return [{ pair, goldChoice: 'tie' in gold ? 'TIE' : sideOf(pair, gold.better) }];
    }
    let pairs: Pair[];
    if (record.pairs && this.policy.keepFilePairs) pairs = record.pairs.map(order).filter(differentText);
    else {
      const tasks = planResponseTasks(record.responses, this.policy.task, this.policy.strategy, seed);
      if (tasks[0]?.slots) return tasks.map((t) => this.rankingTask(record, t.slots!));
      pairs = tasks.map((t) => t.pair);
    }
    const referencePair = reference ? order(reference.pair) : null;
    const { referenceRanking } = record;
    return pairs.map((pair): PlannedComparison => {
      if (reference && referencePair && samePair(pair, referencePair)) {
        return { pair, referenceChoice: referenceChoice(pair, reference.pair, reference.choice), referenceSource: reference.source };
      }
      const ranked = referenceRanking ? rankedChoice(pair, record, referenceRanking) : undefined;
      return ranked ? { pair, referenceChoice: ranked, referenceSource: referenceRanking!.source } : { pair };
    });
  }

  private rankingTask(record: ImportRecord, slots: KeyedResponse[]): PlannedComparison {
    const planned: PlannedComparison = { pair: [slots[0]!, slots[1]!], slots };
    const reference = record.referenceRanking;
    if (!reference) return planned;
    const index = new Map(record.responses.map((r, i) => [r.key, i]));
    const groups = reference.groups.map((g) => new Set(g));
    const fileRanking = slots.map((r) => groups.findIndex((g) => g.has(index.get(r.key)!)));
    return { ...planned, referenceRanking: restrictRanking(fileRanking), referenceSource: reference.source };
  }

  private pushComparison(promptKey: string, { pair: [a, b], ...extra }: PlannedComparison): void {
    const c = this.batch.comparisons;
    c.promptKey.push(promptKey);
    c.keyA.push(a.key);
    c.keyB.push(b.key);
    c.isGold.push(extra.goldChoice !== undefined);
    c.goldChoice.push(extra.goldChoice ?? null);
    c.referenceChoice.push(extra.referenceChoice ?? null);
    c.referenceSource.push(extra.referenceSource ?? null);
    c.slots.push(extra.slots ? JSON.stringify(extra.slots.map((r) => r.key)) : null);
    c.referenceRanking.push(extra.referenceRanking ? JSON.stringify(extra.referenceRanking) : null);
    this.comparisons += 1;
  }
}
