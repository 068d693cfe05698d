// Turns parsed records into one batch of rows to stage: prompts, responses, and comparisons in canonical order.
import type { TPairing } from '../../contract/campaign';
import type { StagingBatch } from '../../db/repositories/imports';
import type { ImportRecord, KeyedResponse, ReferenceChoice } from '../../domain/import/types';
import { orderCandidates, pairCandidates } from '../../domain/pairing';

type Choice = 'A' | 'B' | 'TIE' | 'BOTH_BAD';

export interface PairingPolicy {
  campaignSeed: string;
  strategy: TPairing;
  /** Pair formats keep the file's pairs unless false. */
  keepFilePairs: boolean;
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
      comparisons: { promptKey: [], keyA: [], keyB: [], isGold: [], goldChoice: [], referenceChoice: [], referenceSource: [] },
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
    // Two responses with the same text (two blanks, when blanks are kept) leave nothing to choose between.
    const text = (r: KeyedResponse) => (r.content.trim() === '' ? '' : r.content);
    const pairs = (
      record.pairs && this.policy.keepFilePairs ? record.pairs.map(order) : pairCandidates(record.responses, this.policy.strategy, seed)
    ).filter(([x, y]) => text(x) !== text(y));
    const referencePair = reference ? order(reference.pair) : null;
    return pairs.map((pair) =>
      reference && referencePair && samePair(pair, referencePair)
        ? { pair, referenceChoice: referenceChoice(pair, reference.pair, reference.choice), referenceSource: reference.source }
        : { pair },
    );
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
    this.comparisons += 1;
  }
}
