// Exports (admin): the query string, the row count, the dataset card, and the JSONL download with progress.
// Formats, which options apply to which, and the defaults come from the contract the server parses with.
import {
  DEFAULT_PROMPT_STYLE,
  EXPORT_DEFAULTS,
  PROMPT_STYLE_FORMATS,
  TIE_KEEPING_FORMATS,
  ZExportCountResponseSchema,
  type ExportFormat,
  type TExportCountResponse,
  type TExportQueryFields,
} from '$contract/exports';
import { ApiError } from './api-error';
import { apiRequest, errorFrom } from './client';

export { EXPORT_FORMATS, type ExportFormat } from '$contract/exports';

/** trl and trl-conversational take a prompt style and TRL's margin field. */
export const takesPromptStyle = (format: ExportFormat): boolean => PROMPT_STYLE_FORMATS.includes(format);
/** Only the unpaired formats can express a tie or "both bad" (as two `false` lines). */
export const keepsTiesAndBothBad = (format: ExportFormat): boolean => (TIE_KEEPING_FORMATS as readonly ExportFormat[]).includes(format);

/** An option's accepted values, as the contract's wire schema has them. */
type Option<K extends keyof TExportQueryFields> = NonNullable<TExportQueryFields[K]>;

/**
 * What the admin chose, in the contract's terms; '' or null means "the server's default", which then stays
 * out of the URL. Free-text fields (dates, lists) are the form's strings.
 */
export interface ExportChoice {
  format: ExportFormat;
  prompt: Option<'prompt'>;
  margin: Option<'margin'>;
  /** datetime-local values (the browser's time zone). */
  from: string;
  to: string;
  /** null: the format's default (raw keeps gold items, pair formats leave them out). */
  excludeGold: boolean | null;
  onlyComplete: Option<'onlyComplete'>;
  /** Comma-separated model names: keep comparisons between these models only. */
  models: string;
  guidelineVersion: string;
  split: Option<'split'>;
  testShare: Option<'testShare'>;
  aggregation: Option<'aggregation'>;
  /** Starts at the campaign's k (the server's default too); always sent, so the URL says it. */
  minJudgments: Option<'minJudgments'>;
  minAgreement: Option<'minAgreement'>;
  ties: Option<'ties'>;
  bothBad: Option<'bothBad'>;
  /** '' for the overall answer. */
  criterion: string;
}

/** A new form's choice for a campaign asking `k` judgments per comparison. */
export const defaultExportChoice = (k: number): ExportChoice => ({
  format: 'trl',
  prompt: 'plain',
  margin: false,
  from: '',
  to: '',
  excludeGold: null,
  onlyComplete: false,
  models: '',
  guidelineVersion: '',
  split: 'all',
  testShare: EXPORT_DEFAULTS.testShare,
  aggregation: EXPORT_DEFAULTS.aggregation,
  minJudgments: k,
  minAgreement: EXPORT_DEFAULTS.minAgreement,
  ties: EXPORT_DEFAULTS.ties,
  bothBad: EXPORT_DEFAULTS.bothBad,
  criterion: '',
});

/** The prompt style a choice asks for: plain is trl's alone, trl-conversational then takes its message list. */
export const promptStyleOf = (choice: ExportChoice) => (choice.prompt === 'plain' && choice.format !== 'trl' ? 'explicit' : choice.prompt);

const isoFromLocal = (value: string): string | null => {
  const date = new Date(value);
  return value && !Number.isNaN(date.getTime()) ? date.toISOString() : null;
};

/** The query string for a choice: only options that apply to the format and differ from the defaults (the server refuses the others). */
export function exportQuery(choice: ExportChoice, asOf?: string): URLSearchParams {
  const defaults = defaultExportChoice(0);
  const query = new URLSearchParams({ format: choice.format });
  const set = (key: string, value: string | null, unless?: string) => {
    if (value !== null && value !== '' && value !== unless) query.set(key, value);
  };
  if (asOf) query.set('asOf', asOf);
  set('from', isoFromLocal(choice.from));
  set('to', isoFromLocal(choice.to));
  set('excludeGold', choice.excludeGold === null ? null : String(choice.excludeGold));
  set('onlyComplete', String(choice.onlyComplete), 'false');
  set('models', choice.models.split(',').map((model) => model.trim()).filter(Boolean).join(','));
  set('guidelineVersion', choice.guidelineVersion.trim());
  set('split', choice.split, 'all');
  if (choice.split !== 'all') set('testShare', String(choice.testShare), String(defaults.testShare));
  if (takesPromptStyle(choice.format)) {
    set('prompt', promptStyleOf(choice), DEFAULT_PROMPT_STYLE[choice.format]);
    set('margin', String(choice.margin), 'false');
  }
  if (choice.format !== 'raw') {
    // The ranking format's rule (juxta-rank-1) takes only minJudgments and criterion.
    if (choice.format !== 'ranking') set('aggregation', choice.aggregation, defaults.aggregation);
    set('minJudgments', String(choice.minJudgments));
    if (choice.format !== 'ranking') set('minAgreement', String(choice.minAgreement), String(defaults.minAgreement));
    set('criterion', choice.criterion);
    if (keepsTiesAndBothBad(choice.format)) {
      set('ties', choice.ties, defaults.ties);
      set('bothBad', choice.bothBad, defaults.bothBad);
    }
  }
  return query;
}

const exportPath = (campaignId: string) => `/api/campaigns/${encodeURIComponent(campaignId)}/export`;

/** The download URL on this site (for a plain link: the browser then streams the file to disk itself). */
export const exportUrl = (campaignId: string, query: URLSearchParams): string => `${exportPath(campaignId)}?${query}`;

/** How many lines the export would have, and the asOf that fixes them. */
export const fetchExportCount = (campaignId: string, query: URLSearchParams | string): Promise<TExportCountResponse> =>
  apiRequest('GET', `${exportPath(campaignId)}/count?${query}`, ZExportCountResponseSchema);

async function get(url: string, signal?: AbortSignal): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin', signal });
  } catch (caught) {
    if (signal?.aborted) throw new ApiError(0, 'CLIENT', 'The download was cancelled.');
    throw new ApiError(0, 'NETWORK', `Cannot reach the server (${String(caught)}). Check your connection and try again.`);
  }
  if (!response.ok) throw await errorFrom(response);
  return response;
}

/** The dataset card, markdown with Hugging Face front matter. */
export const fetchExportCard = async (campaignId: string, query: URLSearchParams): Promise<string> =>
  (await get(`${exportPath(campaignId)}/card?${query}`)).text();

/** The line in the card that names the URL reproducing the file byte for byte (canonical: every option spelled out). */
export function reproducingUrlIn(card: string): string | null {
  return /```\n(\S+\/export\?\S+)\n```/.exec(card)?.[1] ?? null;
}

export type DownloadProgress = { bytes: number; lines: number };

/** Reads the JSONL stream, counting bytes and lines as they arrive; the file is in memory at the end. */
export async function downloadExport(
  campaignId: string,
  query: URLSearchParams,
  onProgress: (progress: DownloadProgress) => void,
  signal?: AbortSignal,
): Promise<{ blob: Blob; fileName: string }> {
  const response = await get(exportUrl(campaignId, query), signal);
  const fileName = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'export.jsonl';
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  const progress: DownloadProgress = { bytes: 0, lines: 0 };
  for (;;) {
    let read: ReadableStreamReadResult<Uint8Array>;
    try {
      read = await reader.read();
    } catch {
      throw new ApiError(0, signal?.aborted ? 'CLIENT' : 'NETWORK', signal?.aborted ? 'The download was cancelled.' : 'The download was interrupted. Try again.');
    }
    if (read.done) break;
    const chunk = read.value as Uint8Array<ArrayBuffer>;
    chunks.push(chunk);
    progress.bytes += chunk.byteLength;
    for (const byte of chunk) if (byte === 0x0a) progress.lines++;
    onProgress({ ...progress });
  }
  return { blob: new Blob(chunks, { type: 'application/x-ndjson' }), fileName };
}
