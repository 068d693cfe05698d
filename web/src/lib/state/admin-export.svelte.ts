// The export form: the admin's choice of format and filters, the row count (which fixes asOf), the
// dataset card, the snippets' reproducing URL, and the download with its progress.
import type { DROP_REASONS, TExportCountResponse } from '$contract/exports';
import { toApiError, type ApiError } from '../api/api-error';
import {
  defaultExportChoice,
  downloadExport,
  exportQuery,
  exportUrl,
  fetchExportCard,
  fetchExportCount,
  reproducingUrlIn,
  type DownloadProgress,
  type ExportChoice,
} from '../api/exports';
import { Action } from './action.svelte';

/**
 * Above this many lines the download is a plain link: the browser streams it to disk, where reading it
 * here would hold the whole file in memory before saving it (a Blob) and could exhaust the tab.
 */
export const STREAMED_DOWNLOAD_MAX_ROWS = 200_000;

export class ExportForm {
  choice = $state<ExportChoice>(defaultExportChoice(1));
  count = $state<TExportCountResponse | null>(null);
  card = $state<string | null>(null);
  download = $state<DownloadProgress | null>(null);
  downloadError = $state<ApiError | null>(null);
  downloading = $state(false);
  /** What the last finished download saved, for the status line. */
  saved = $state<string | null>(null);
  readonly counting = new Action();
  readonly loadingCard = new Action();
  private controller: AbortController | null = null;

  /** `k`: the campaign's judgments per comparison, the form's minimum judgments to start with. */
  constructor(
    readonly campaignId: string,
    k: number,
  ) {
    this.choice = defaultExportChoice(k);
  }

  /** How many comparisons the current choices leave out, and why, in words (null when none). */
  droppedText = $derived(this.count ? describeDropped(this.count.dropped, this.count.minJudgments) : null);

  /** The query without asOf: when it changes, the count (and its asOf) must be taken again. */
  query = $derived(exportQuery(this.choice).toString());

  /** The query pinned to the counted asOf, so the file holds exactly the rows counted. */
  pinned = $derived(this.count ? exportQuery(this.choice, this.count.asOf) : null);

  downloadUrl = $derived.by(() => (this.pinned ? exportUrl(this.campaignId, this.pinned) : null));

  /** Large exports go to disk through a plain link (see STREAMED_DOWNLOAD_MAX_ROWS). */
  viaLink = $derived((this.count?.rows ?? 0) > STREAMED_DOWNLOAD_MAX_ROWS);

  /** The URL scripts use: the card's canonical one (every option spelled out), else ours with asOf. */
  reproducingUrl = $derived(
    (this.card && reproducingUrlIn(this.card)) ?? (this.downloadUrl ? location.origin + this.downloadUrl : null),
  );

  refreshCount(): Promise<void> {
    const query = this.query;
    return this.counting.run(async () => {
      this.count = null;
      this.card = null;
      const count = await fetchExportCount(this.campaignId, query);
      if (query === this.query) this.count = count; // the admin may have changed the options meanwhile
    });
  }

  loadCard(): Promise<void> {
    const pinned = this.pinned;
    return this.loadingCard.run(async () => {
      if (pinned) this.card = await fetchExportCard(this.campaignId, pinned);
    });
  }

  async start(): Promise<void> {
    if (!this.pinned || this.downloading) return;
    this.downloading = true;
    this.downloadError = null;
    this.saved = null;
    this.download = { bytes: 0, lines: 0 };
    this.controller = new AbortController();
    try {
      const { blob, fileName } = await downloadExport(this.campaignId, this.pinned, (progress) => (this.download = progress), this.controller.signal);
      saveBlob(blob, fileName);
      this.saved = `Saved ${fileName}: ${this.download.lines.toLocaleString()} lines, ${formatBytes(blob.size)}.`;
    } catch (caught) {
      this.downloadError = toApiError(caught);
    } finally {
      this.downloading = false;
      this.controller = null;
    }
  }

  cancel(): void {
    this.controller?.abort();
  }
}

type DropReason = (typeof DROP_REASONS)[number];

const DROP_WORDS: Record<DropReason, (n: number, minJudgments: number | null) => string> = {
  'too-few-judgments': (n, min) => `${n} with fewer than ${min ?? 'the minimum'} judgments`,
  'split-vote': (n) => `${n} without a majority (the votes split evenly)`,
  tie: (n) => `${n} decided as a tie`,
  'both-bad': (n) => `${n} decided as “both bad”`,
  'low-agreement': (n) => `${n} below the minimum agreement`,
};

/** "12 pairs left out: 8 with fewer than 3 judgments, 4 without a majority." */
export function describeDropped(dropped: Partial<Record<DropReason, number>>, minJudgments: number | null): string | null {
  const parts = (Object.keys(DROP_WORDS) as DropReason[]).filter((reason) => dropped[reason]).map((reason) => DROP_WORDS[reason](dropped[reason]!, minJudgments));
  const total = Object.values(dropped).reduce((sum, n) => sum + (n ?? 0), 0);
  return total === 0 ? null : `${total} ${total === 1 ? 'pair' : 'pairs'} with judgments left out: ${parts.join(', ')}.`;
}

function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  // The click has handed the Blob to the download manager; keep the URL a moment for slow browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
