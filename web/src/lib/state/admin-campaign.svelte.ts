// One campaign on the admin's campaign page: loading it, its status, and the settings form's draft,
// which saves only what changed and reports what the change did (e.g. a new guideline version).
import {
  SCALE_PRESETS,
  type TCampaign,
  type TCriterion,
  type TPairing,
  type TScale,
  type TSelection,
  type TCampaignDesign,
  type TTaskDesign,
  type TUpdateCampaignRequest,
} from '$contract/campaign';
import { ApiError } from '../api/api-error';
import { deleteCampaign, fetchCampaign, updateCampaign } from '../api/campaigns';
import { Action } from './action.svelte';
import { ReviewThresholdsDraft } from './review-thresholds-draft.svelte';
import { slugCriterion, uniqueCriterionName } from './criterion-name';

export type ScalePresetName = keyof typeof SCALE_PRESETS | 'custom';

export const SCALE_PRESET_LABELS: Record<ScalePresetName, string> = {
  binary: 'Left or right',
  binaryTie: 'Left, right or tie',
  binaryTieBothBad: 'Left, right, tie or both bad',
  llama2: 'Llama 2: four strength levels',
  sevenPoint: '7-point scale (−3 to 3, 0 is a tie)',
  custom: 'Custom',
};

const sameScale = (a: TScale, b: TScale) =>
  a.allowTie === b.allowTie && a.allowBothBad === b.allowBothBad && a.strengthLevels.join('\n') === b.strengthLevels.join('\n');

export function presetOf(scale: TScale): ScalePresetName {
  const match = Object.entries(SCALE_PRESETS).find(([, preset]) => sameScale(preset, scale));
  return (match?.[0] as ScalePresetName | undefined) ?? 'custom';
}

/** Why the task type cannot change any more (the server's DESIGN_LOCKED), or null while it can. */
export function taskTypeLock(campaign: TCampaign): string | null {
  return campaign.counts.prompts > 0 || campaign.counts.comparisons > 0 ? 'Fixed once a file was imported: create a new campaign for another task type.' : null;
}

const equal = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The form's copy of a campaign's settings (status has its own control). */
export class CampaignSettings {
  name = $state('');
  instructions = $state('');
  contentWarning = $state('');
  /** "No content warning needed" ticked: the question is answered without a warning. */
  noWarningNeeded = $state(false);
  /** Pairs, or ranking tasks of K responses (fixed once a file was imported: the server answers DESIGN_LOCKED). */
  taskType = $state<TCampaignDesign['task']['type']>('pairwise');
  /** K of a ranking task; kept while pairs are chosen, so going back to ranking restores it. */
  rankingSize = $state(4);
  allowTie = $state(true);
  allowBothBad = $state(false);
  /** One strength label per line, weakest first; empty: no strength. */
  strengthLevels = $state('');
  criteria = $state<TCriterion[]>([]);
  rationaleMode = $state<TTaskDesign['rationale']['mode']>('off');
  rationaleMinLength = $state(0);
  votesPerComparison = $state(3);
  pairingKind = $state<TPairing['kind']>('all');
  samplePerPrompt = $state(2);
  referenceModel = $state('');
  /** Percent, as the form shows it. */
  goldPercent = $state(0);
  /** null: no cap. */
  maxJudgmentsPerRater = $state<number | null>(null);
  leaseMinutes = $state(10);
  selection = $state<TSelection>('uniform');
  /** Percent, as the form shows it. */
  controlPercent = $state(20);
  /** Stopping rule: Elo points an adjacent pair's interval must clear; the judgment budget (null: none); pause when answered. */
  settleMargin = $state(0);
  judgmentBudget = $state<number | null>(null);
  pauseWhenAnswered = $state(false);
  readonly reviewThresholds = new ReviewThresholdsDraft();

  constructor(campaign: TCampaign) {
    this.reset(campaign);
  }

  reset(campaign: TCampaign): void {
    const { design, pairing } = campaign;
    this.name = campaign.name;
    this.instructions = campaign.instructions;
    this.contentWarning = campaign.contentWarning ?? '';
    this.noWarningNeeded = campaign.contentWarningReviewed && campaign.contentWarning === null;
    this.taskType = design.task.type;
    if (design.task.type === 'ranking') this.rankingSize = design.task.size;
    this.applyScale(design.scale);
    this.criteria = design.criteria.map((criterion) => ({ ...criterion }));
    this.rationaleMode = design.rationale.mode;
    this.rationaleMinLength = design.rationale.minLength;
    this.votesPerComparison = campaign.votesPerComparison;
    this.pairingKind = pairing.kind;
    if (pairing.kind === 'sample') this.samplePerPrompt = pairing.perPrompt;
    if (pairing.kind === 'reference') this.referenceModel = pairing.model;
    this.goldPercent = Math.round(campaign.goldRate * 1000) / 10;
    this.maxJudgmentsPerRater = campaign.maxJudgmentsPerRater;
    this.leaseMinutes = Math.round((campaign.leaseSeconds / 60) * 10) / 10;
    this.selection = campaign.selection;
    this.controlPercent = Math.round(campaign.controlShare * 1000) / 10;
    this.settleMargin = campaign.settleMargin;
    this.judgmentBudget = campaign.judgmentBudget;
    this.pauseWhenAnswered = campaign.pauseWhenAnswered;
    this.reviewThresholds.reset(campaign.reviewThresholds);
  }

  applyScale(scale: TScale): void {
    this.allowTie = scale.allowTie;
    this.allowBothBad = scale.allowBothBad;
    this.strengthLevels = scale.strengthLevels.join('\n');
  }

  scale = $derived<TScale>({
    allowTie: this.allowTie,
    allowBothBad: this.allowBothBad,
    strengthLevels: this.strengthLevels
      .split('\n')
      .map((label) => label.trim())
      .filter(Boolean),
  });

  preset = $derived(presetOf(this.scale));

  /** The design as the rater will get it: what the live preview renders. */
  design = $derived<TCampaignDesign>({
    scale: this.scale,
    criteria: this.criteria.map(({ name, label, description }) => ({ name, label, ...(description?.trim() ? { description } : {}) })),
    rationale: { mode: this.rationaleMode, minLength: this.rationaleMinLength },
    // Last, as the contract parses it (ZTaskDesignSchema extended with task): `changes` compares JSON texts.
    task: this.taskType === 'ranking' ? { type: 'ranking', size: this.rankingSize } : { type: 'pairwise' },
  });

  pairing = $derived<TPairing>(
    this.pairingKind === 'sample'
      ? { kind: 'sample', perPrompt: this.samplePerPrompt }
      : this.pairingKind === 'reference'
        ? { kind: 'reference', model: this.referenceModel.trim() }
        : { kind: 'all' },
  );

  /**
   * Criteria added in this form whose name the admin has not typed: their name follows the question. A saved
   * criterion keeps its name (stats and exports know it by it); exports are left alone either way.
   */
  #namedByQuestion = new WeakSet<TCriterion>();

  addCriterion(): void {
    const taken = (name: string) => this.criteria.some((criterion) => criterion.name === name);
    let index = this.criteria.length + 1;
    while (taken(`criterion_${index}`)) index++;
    this.criteria.push({ name: `criterion_${index}`, label: '', description: '' });
    this.#namedByQuestion.add(this.criteria.at(-1)!);
  }

  /** The question; a criterion named by its question gets the question slugged, unique among the criteria. */
  setCriterionLabel(index: number, label: string): void {
    const criterion = this.criteria[index];
    if (!criterion) return;
    criterion.label = label;
    if (!this.#namedByQuestion.has(criterion)) return;
    const others = this.criteria.filter((other) => other !== criterion).map((other) => other.name);
    criterion.name = uniqueCriterionName(slugCriterion(label) || `criterion_${index + 1}`, others);
  }

  /** A name the admin typed: it stays, whatever the question becomes. */
  setCriterionName(index: number, name: string): void {
    const criterion = this.criteria[index];
    if (!criterion) return;
    criterion.name = name;
    this.#namedByQuestion.delete(criterion);
  }

  removeCriterion(index: number): void {
    this.criteria.splice(index, 1);
  }

  /** Every setting of the form, in the API's terms. */
  private values(): Required<Omit<TUpdateCampaignRequest, 'status'>> {
    return {
      name: this.name.trim(),
      instructions: this.instructions,
      contentWarning: this.contentWarning.trim() ? this.contentWarning : null,
      contentWarningReviewed: this.contentWarning.trim() !== '' || this.noWarningNeeded,
      design: this.design,
      votesPerComparison: this.votesPerComparison,
      pairing: this.pairing,
      goldRate: Math.round(this.goldPercent * 10) / 1000,
      maxJudgmentsPerRater: this.maxJudgmentsPerRater || null,
      leaseSeconds: Math.round(this.leaseMinutes * 60),
      selection: this.selection,
      controlShare: Math.round(this.controlPercent * 10) / 1000,
      settleMargin: this.settleMargin,
      judgmentBudget: this.judgmentBudget || null,
      pauseWhenAnswered: this.pauseWhenAnswered,
      // All ten or none: the API replaces the campaign's thresholds as a whole.
      reviewThresholds: this.reviewThresholds.thresholds,
    };
  }

  /** Only the settings that differ from the saved campaign (a PATCH that changes nothing else). */
  changes(campaign: TCampaign): TUpdateCampaignRequest {
    const values = this.values();
    const entries = Object.entries(values).filter(([key, value]) => !equal(value, campaign[key as keyof typeof values]));
    return Object.fromEntries(entries) as TUpdateCampaignRequest;
  }
}

export class CampaignState {
  campaign = $state<TCampaign | null>(null);
  settings = $state<CampaignSettings | null>(null);
  /** What the last save did, in the server's words (e.g. "a new guideline version 2 was created"). */
  notes = $state<string[]>([]);
  readonly loading = new Action();
  readonly saving = new Action();
  readonly statusChange = new Action();
  readonly deleting = new Action();

  constructor(readonly id: string) {}

  load(): Promise<void> {
    return this.loading.run(async () => {
      this.accept(await fetchCampaign(this.id), true);
    });
  }

  /** Counts change as imports land; the form keeps what the admin is typing. */
  refreshCounts(): Promise<void> {
    return this.loading.run(async () => {
      this.accept(await fetchCampaign(this.id), false);
    });
  }

  dirty = $derived(this.campaign && this.settings ? Object.keys(this.settings.changes(this.campaign)).length > 0 : false);

  save(): Promise<void> {
    return this.saving.run(async () => {
      if (!this.campaign || !this.settings) return;
      const { issues } = this.settings.reviewThresholds;
      if (issues.length > 0) throw new ApiError(0, 'CLIENT', 'Some review thresholds are out of range: correct them and save again.', { issues });
      const changes = this.settings.changes(this.campaign);
      if (Object.keys(changes).length === 0) {
        this.notes = ['Nothing changed.'];
        return;
      }
      const { notes, ...campaign } = await updateCampaign(this.id, changes);
      this.accept(campaign, true);
      this.notes = notes.length > 0 ? notes : ['Settings saved.'];
    });
  }

  /** Saves the form's pairing alone (offered before the first import), leaving other unsaved settings as they are. */
  savePairing(): Promise<void> {
    return this.saving.run(async () => {
      if (!this.settings) return;
      const { notes: _notes, ...campaign } = await updateCampaign(this.id, { pairing: this.settings.pairing });
      this.accept(campaign, false);
    });
  }

  setStatus(status: TCampaign['status']): Promise<void> {
    return this.statusChange.run(async () => {
      const { notes: _notes, ...campaign } = await updateCampaign(this.id, { status });
      this.accept(campaign, false);
    });
  }

  /** Resolves true once the campaign and all its data are gone. */
  async remove(): Promise<boolean> {
    let removed = false;
    await this.deleting.run(async () => {
      await deleteCampaign(this.id);
      removed = true;
    });
    return removed;
  }

  private accept(campaign: TCampaign, resetForm: boolean): void {
    this.campaign = campaign;
    if (!this.settings) this.settings = new CampaignSettings(campaign);
    else if (resetForm) this.settings.reset(campaign);
  }
}
