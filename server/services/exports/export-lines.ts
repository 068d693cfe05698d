// The export pipeline: reads pages by keyset, turns rows into domain inputs and yields each page's lines.
// Memory is one page whatever the campaign's size; a tally, when asked for, collects what the card reports.
import {
  readComparisonPage,
  readCountedJudgments,
  readRawJudgmentPage,
  type ComparisonRow,
  type CountedJudgmentRow,
  type RawJudgmentRow,
} from '../../db/repositories/exports';
import { adjudicatedOutcome, aggregate, type DropReason } from '../../domain/export/aggregate';
import { ktoLine, pairExportLines, rawLine } from '../../domain/export/formats';
import { aggregateRankings, derivedPairJudgments, ktoRankingLabels, rankingLine, selectedPairs, type RankingJudgment } from '../../domain/export/ranking';
import { signedStrength, type AgreementJudgment } from '../../domain/stats/agreement-summary';
import type { Choice, CountedJudgment, CriterionAnswer, ExportComparison, PairFormat, RawRanking, ResponseGeneration, Turn } from '../../domain/export/types';
import type { ServiceContext } from '../context';
import type { ExportPlan } from './prepare-export';

/** Rows per query: large enough to amortise a round trip, small enough to keep memory flat. */
const EXPORT_PAGE_SIZE = 1000;
/** The first page is small so that the first bytes leave at once. */
const FIRST_PAGE_SIZE = 500;

/**
 * Pages by keyset. With `ahead` (Postgres) the next page is requested while the current one is turned into lines,
 * so the query overlaps the JSON work and at most two pages are held. PGlite runs queries on this thread, one at
 * a time: there a page read ahead would only delay the bytes already made. `cursorOf` gives the next page's key,
 * or null after the last page.
 */
async function* keysetPages<T>(
  read: (after: number, limit: number) => Promise<T>,
  cursorOf: (page: T) => number | null,
  ahead: boolean,
): AsyncGenerator<T> {
  let pending = read(0, FIRST_PAGE_SIZE);
  try {
    for (;;) {
      const page = await pending;
      const next = cursorOf(page);
      if (next === null) return;
      if (ahead) pending = read(next, EXPORT_PAGE_SIZE);
      yield page;
      if (!ahead) pending = read(next, EXPORT_PAGE_SIZE);
    }
  } finally {
    // A client that leaves mid-file abandons the prefetched page: its failure must not go unhandled.
    pending.catch(() => {});
  }
}

const lastKey = <T>(rows: T[], key: (row: T) => number): number | null => (rows.length === 0 ? null : key(rows[rows.length - 1]!));

/** What the dataset card reports about the lines an export wrote. */
export interface ExportTally {
  lines: number;
  comparisons: Set<number>;
  judgments: number;
  raters: Set<string>;
  models: Set<string>;
  /** The generators (endpoint, model id, parameters) of generated responses, by their JSON. */
  generators: Map<string, ResponseGeneration>;
  guidelineVersions: Set<number>;
  dropped: Partial<Record<DropReason, number>>;
  /** Counted judgments beyond a comparison's k, left out (only its k earliest count). */
  surplus: number;
  /** The counted judgments behind the export, for agreement. */
  agreement: AgreementJudgment[];
}

export function newTally(): ExportTally {
  return {
    lines: 0,
    comparisons: new Set(),
    judgments: 0,
    raters: new Set(),
    models: new Set(),
    generators: new Map(),
    guidelineVersions: new Set(),
    dropped: {},
    surplus: 0,
    agreement: [],
  };
}

/** A generated response's metadata.generation as the export writes it (written by the generation worker). */
function generationOf(raw: unknown): ResponseGeneration | null {
  if (raw === null || typeof raw !== 'object') return null;
  const g = raw as Record<string, unknown>;
  return {
    endpoint: String(g.endpoint ?? ''),
    model: String(g.model ?? ''),
    params: g.params !== null && typeof g.params === 'object' ? (g.params as Record<string, unknown>) : {},
    sample: typeof g.sample === 'number' ? g.sample : 0,
    finishReason: typeof g.finishReason === 'string' ? g.finishReason : null,
    truncated: g.truncated === true,
  };
}

function exportComparison(row: ComparisonRow): ExportComparison {
  return {
    comparisonId: String(row.id),
    promptKey: row.promptKey,
    context: row.context as Turn[],
    a: { model: row.modelA, content: row.contentA, generation: generationOf(row.generationA) },
    b: { model: row.modelB, content: row.contentB, generation: generationOf(row.generationB) },
    isGold: row.isGold,
    reference: row.referenceChoice ? { choice: row.referenceChoice as Choice, source: row.referenceSource ?? 'unknown' } : null,
  };
}

function tallyJudgment(tally: ExportTally, comparison: ComparisonRow, rater: string, guidelineVersion: number): void {
  tally.comparisons.add(comparison.id);
  tally.judgments += 1;
  tally.raters.add(rater);
  tally.models.add(comparison.modelA).add(comparison.modelB);
  for (const raw of [comparison.generationA, comparison.generationB]) {
    const generation = generationOf(raw);
    if (!generation) continue;
    const { endpoint, model, params } = generation;
    const key = JSON.stringify([endpoint, model, params]);
    if (!tally.generators.has(key)) tally.generators.set(key, generation);
  }
  tally.guidelineVersions.add(guidelineVersion);
}

function addAgreement(tally: ExportTally, comparisonId: number, rater: string, choice: string, strength: number | null): void {
  tally.agreement.push({ comparisonId: String(comparisonId), raterId: rater, choice: choice as Choice, signedStrength: signedStrength(choice as Choice, strength) });
}

/** A ranking task's judgment for the raw line (null for a pair's, or a ranking task's judgment without a ranking). */
function rawRanking(row: RawJudgmentRow): RawRanking | null {
  if (!row.slotResponses || !row.ranking) return null;
  const criteria = row.criteria as Record<string, { ranking: number[][] }> | null;
  return {
    groups: row.ranking,
    allBad: row.allBad,
    shownOrder: row.shownOrder,
    responses: row.slotResponses.map((r) => ({ model: r.model, content: r.content, generation: generationOf(r.generation) })),
    criteria: criteria && Object.fromEntries(Object.entries(criteria).map(([name, answer]) => [name, answer.ranking])),
  };
}

async function* rawPages(ctx: ServiceContext, plan: ExportPlan, tally: ExportTally | null): AsyncGenerator<object[]> {
  const excluded = new Set(plan.scope.excludedAsOf);
  const { asOf } = plan;
  const pages = keysetPages(
    (after, limit) => readRawJudgmentPage(ctx.db, plan.scope, after, limit),
    (rows: RawJudgmentRow[]) => lastKey(rows, (row) => row.judgmentId),
    ctx.db.kind === 'postgres',
  );
  for await (const rows of pages) {
    const lines: object[] = [];
    for (const row of rows) {
      if (!plan.inSplit(row.promptKey)) continue;
      const rater = plan.pseudonym(row.raterId);
      // An undo recorded after asOf had not happened as of asOf.
      const undoneAt = row.undoneAt !== null && row.undoneAt <= asOf ? row.undoneAt : null;
      const isExcluded = excluded.has(row.raterId);
      lines.push(
        rawLine({
          judgmentId: String(row.judgmentId),
          comparison: exportComparison(row),
          ranking: rawRanking(row),
          leftSide: row.leftIsA ? 'A' : 'B',
          choice: row.choice as Choice,
          strength: row.strength,
          criteria: row.criteria as Record<string, CriterionAnswer> | null,
          rationale: row.rationale,
          raterPseudonym: rater,
          timeOnTaskMs: row.timeMs,
          guidelineVersion: String(row.guidelineVersion),
          assignedAt: row.assignedAt,
          createdAt: row.createdAt,
          undoneAt,
          excluded: isExcluded,
        }),
      );
      if (tally) {
        tallyJudgment(tally, row, rater, row.guidelineVersion);
        if (undoneAt === null && !isExcluded) addAgreement(tally, row.id, rater, row.choice, row.strength);
      }
    }
    if (tally) tally.lines += lines.length;
    yield lines;
  }
}

/** Rows come ordered by comparison: slice them into one run per comparison. */
function groupByComparison(rows: CountedJudgmentRow[]): Map<number, CountedJudgmentRow[]> {
  const groups = new Map<number, CountedJudgmentRow[]>();
  for (const row of rows) {
    const group = groups.get(row.comparisonId);
    if (group) group.push(row);
    else groups.set(row.comparisonId, [row]);
  }
  return groups;
}

function countedJudgment(row: CountedJudgmentRow, rater: string): CountedJudgment {
  return {
    choice: row.choice as Choice,
    strength: row.strength,
    criteria: row.criteria as Record<string, CriterionAnswer> | null,
    raterPseudonym: rater,
    createdAt: row.createdAt,
  };
}

/** A pair's judgment as a ranking of its two responses (for the ranking format): A first, B first, or tied. */
function pairAsRanking(row: CountedJudgmentRow, rater: string, criterion: string | null): RankingJudgment {
  const criteria = row.criteria as Record<string, CriterionAnswer> | null;
  const asRanking = (choice: string): number[][] => (choice === 'A' ? [[0], [1]] : choice === 'B' ? [[1], [0]] : [[0, 1]]);
  const answer = criterion === null ? row.choice : criteria?.[criterion]?.choice;
  return {
    ranking: criterion === null ? asRanking(row.choice) : null,
    allBad: criterion === null && row.choice === 'BOTH_BAD',
    criteria: criterion !== null && answer ? { [criterion]: { ranking: asRanking(answer) } } : null,
    raterPseudonym: rater,
    createdAt: row.createdAt,
  };
}

function rankingJudgment(row: CountedJudgmentRow, rater: string): RankingJudgment {
  return { ranking: row.ranking, allBad: row.allBad, criteria: row.criteria as RankingJudgment['criteria'], raterPseudonym: rater, createdAt: row.createdAt };
}

/** The pair of slots a < b of a ranking task as a comparison of two responses (A = slot a). */
function slotPair(comparison: ComparisonRow, slots: NonNullable<ComparisonRow['slotResponses']>, a: number, b: number): ExportComparison {
  const response = (slot: number) => ({ model: slots[slot]!.model, content: slots[slot]!.content, generation: generationOf(slots[slot]!.generation) });
  return { ...exportComparison(comparison), comparisonId: `${comparison.id}:${a}-${b}`, a: response(a), b: response(b), reference: null };
}

/**
 * The lines of one ranking task (K >= 3 slots) in a pair format or the ranking format, and what was dropped. Pair
 * formats read each rater's ranking as its pairs and aggregate each pair by juxta-agg-1; KTO and the ranking
 * format read the rankings aggregated by juxta-rank-1. Every line carries the task's id as group_id.
 */
function rankingTaskLines(
  plan: ExportPlan,
  format: PairFormat | 'ranking',
  comparison: ComparisonRow,
  judgments: RankingJudgment[],
  onDrop: (reason: DropReason) => void,
): object[] {
  const slots = comparison.slotResponses!;
  const aggregation = plan.options.aggregation!;
  const groupId = String(comparison.id);
  const aggregated = aggregateRankings(judgments, slots.length, aggregation);
  if (!aggregated.kept) {
    onDrop(aggregated.reason);
    return [];
  }
  const context = comparison.context as Turn[];
  if (format === 'ranking') return [rankingLine(groupId, context, slots, aggregated)];
  if (format === 'kto' || format === 'kto-conversational') {
    return ktoRankingLabels(aggregated.ranking).map(([slot, label]) => ({ ...ktoLine(format, context, slots[slot]!.content, label), group_id: groupId }));
  }
  const lines: object[] = [];
  // With a `pairs` filter, only the listed model pairs among the task's pairs (the filter kept the task for them).
  const listed = new Set(plan.scope.pairs);
  const wanted = ([a, b]: [number, number]) => listed.size === 0 || listed.has(`${slots[a]!.model}~${slots[b]!.model}`) || listed.has(`${slots[b]!.model}~${slots[a]!.model}`);
  for (const [a, b] of selectedPairs(plan.options.rankingPairs, aggregated.ranking, slots.length).filter(wanted)) {
    const result = aggregate(derivedPairJudgments(judgments, slots.length, a, b, aggregation.criterion), null, aggregation);
    if (!result.kept) {
      onDrop(result.reason);
      continue;
    }
    for (const line of pairExportLines(format, slotPair(comparison, slots, a, b), result, lineOptionsOf(plan))) lines.push({ ...line, group_id: groupId });
  }
  return lines;
}

const lineOptionsOf = (plan: ExportPlan) => ({ prompt: plan.options.prompt ?? 'explicit', margin: plan.options.margin });

async function* pairPages(
  ctx: ServiceContext,
  plan: ExportPlan,
  format: PairFormat | 'ranking',
  tally: ExportTally | null,
  dropped: Partial<Record<DropReason, number>> | null,
): AsyncGenerator<object[]> {
  const aggregation = plan.options.aggregation!;
  const lineOptions = lineOptionsOf(plan);
  const onDrop = (reason: DropReason) => {
    if (tally) tally.dropped[reason] = (tally.dropped[reason] ?? 0) + 1;
    if (dropped) dropped[reason] = (dropped[reason] ?? 0) + 1;
  };
  const read = async (after: number, limit: number) => {
    const page = await readComparisonPage(ctx.db, plan.scope, after, limit);
    const comparisons = page.filter((row) => plan.inSplit(row.promptKey));
    const judgments = groupByComparison(await readCountedJudgments(ctx.db, plan.scope, comparisons));
    return { comparisons, judgments, next: lastKey(page, (row) => row.id) };
  };
  for await (const { comparisons, judgments } of keysetPages(read, (page) => page.next, ctx.db.kind === 'postgres')) {
    const lines: object[] = [];
    for (const comparison of comparisons) {
      const rows = judgments.get(comparison.id);
      if (!rows) continue;
      const counted = rows.map((row) => countedJudgment(row, plan.pseudonym(row.raterId)));
      if (tally) {
        if (comparison.target > 0) tally.surplus += Math.max(0, rows[0]!.counted - comparison.target);
        rows.forEach((row, i) => addAgreement(tally, comparison.id, counted[i]!.raterPseudonym, row.choice, row.strength));
      }
      const isRanking = (comparison.slotResponses?.length ?? 0) >= 3;
      const made = isRanking
        ? rankingTaskLines(plan, format, comparison, rows.map((row, i) => rankingJudgment(row, counted[i]!.raterPseudonym)), onDrop)
        : format === 'ranking'
          ? rankingTaskLines(plan, format, { ...comparison, slotResponses: [pairSlot(comparison, 'A'), pairSlot(comparison, 'B')] }, rows.map((row, i) => pairAsRanking(row, counted[i]!.raterPseudonym, aggregation.criterion)), onDrop)
          : pairLines(plan, format, comparison, counted, lineOptions, onDrop);
      for (const line of made) lines.push(line);
      if (tally && made.length > 0) {
        rows.forEach((row, i) => tallyJudgment(tally, comparison, counted[i]!.raterPseudonym, row.guidelineVersion));
        for (const slot of comparison.slotResponses ?? []) tally.models.add(slot.model);
      }
    }
    if (tally) tally.lines += lines.length;
    yield lines;
  }
}

/** A pair comparison's lines in a pair format: its judgments aggregated by juxta-agg-1 (or its adjudicated answer). */
function pairLines(
  plan: ExportPlan,
  format: PairFormat,
  comparison: ComparisonRow,
  counted: CountedJudgment[],
  lineOptions: ReturnType<typeof lineOptionsOf>,
  onDrop: (reason: DropReason) => void,
): object[] {
  const aggregation = plan.options.aggregation!;
  const adjudicated = plan.scope.adjudicatedAsOf.get(comparison.id) as Choice | undefined;
  const result = adjudicated ? adjudicatedOutcome(counted, adjudicated, aggregation) : aggregate(counted, plan.maxStrength, aggregation);
  if (!result.kept) {
    onDrop(result.reason);
    return [];
  }
  return pairExportLines(format, exportComparison(comparison), result, lineOptions);
}

/** A pair's response A or B as a slot of a two-response ranking. */
function pairSlot(comparison: ComparisonRow, side: 'A' | 'B'): NonNullable<ComparisonRow['slotResponses']>[number] {
  return side === 'A'
    ? { model: comparison.modelA, content: comparison.contentA, generation: comparison.generationA }
    : { model: comparison.modelB, content: comparison.contentB, generation: comparison.generationB };
}

/**
 * The export's lines, one array per page (possibly empty), in file order. `dropped`, when given, counts the
 * comparisons the aggregation leaves out by reason (without the tally's per-judgment lists).
 */
export function exportPages(
  ctx: ServiceContext,
  plan: ExportPlan,
  tally: ExportTally | null = null,
  dropped: Partial<Record<DropReason, number>> | null = null,
): AsyncGenerator<object[]> {
  const { format } = plan.options;
  return format === 'raw' ? rawPages(ctx, plan, tally) : pairPages(ctx, plan, format, tally, dropped);
}
