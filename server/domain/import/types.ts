// The normalised shape every import format is parsed into, and the events the parser streams.
import type { TImportQuery } from '../../contract/imports';

export const IMPORT_FORMATS = ['auto', 'native', 'csv', 'hh-rlhf', 'chatbot-arena', 'alpaca-eval', 'oasst'] as const;
/** `answer-files` is not here: it is a multipart upload, parsed by `joinAnswerFiles`. */
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export type RecordFormat = Exclude<ImportFormat, 'auto'>;

export type Role = 'system' | 'user' | 'assistant';
export type Turn = { role: Role; content: string };

export type ImportResponse = {
  /** Several responses of one model (samples) may answer one prompt; `KeyedResponse.key` tells them apart. */
  model: string;
  /** Kept exactly as in the file (no trimming, no Unicode normalisation). */
  content: string;
  externalId: string | null;
  metadata: Record<string, unknown> | null;
};

/** A response with its identity within the prompt: `responseKey` (external id, or model and sample index). */
export type KeyedResponse = ImportResponse & { key: string };

export type Gold = { better: string; worse: string } | { tie: [string, string] };

export type ReferenceChoice = 'first' | 'second' | 'tie' | 'both_bad';
/** A label the file already carried (HH-RLHF chosen, Arena winner, AlpacaEval preference); never a rater's judgment. */
export type ReferenceLabel = { pair: [string, string]; choice: ReferenceChoice; source: string };

export interface ImportRecord {
  /**
   * Where the record is in the upload: the 1-based line of a JSONL file, the element index + 1 of a
   * JSON array, the file line where a CSV row starts, the question's line for answer files.
   */
  line: number;
  /** The prompt's identity: `externalId` when the format has one, else `promptKey(context)` ('sha256:<hex>'). */
  key: string;
  externalId: string | null;
  /** The conversation up to and ending with the user turn to answer; contents kept exactly as in the file. */
  context: Turn[];
  /**
   * None (a prompt awaiting responses, e.g. for a generation job), or at least two, not all of the
   * same content, with distinct keys; with distinct models when gold, pairs or reference name them.
   */
  responses: KeyedResponse[];
  metadata: Record<string, unknown> | null;
  /** Model names. */
  gold: Gold | null;
  /** Pair formats keep the file's pairs (model names, file order); null lets the pairing strategy decide. */
  pairs: [string, string][] | null;
  reference: ReferenceLabel | null;
  /** A ranking that came with the file (OASST's published rank): groups of indexes into `responses`, best first. */
  referenceRanking?: ReferenceRanking | null;
}

/** Groups of indexes into a record's responses, best first (a group of several is a tie), and where the ranking came from. */
export type ReferenceRanking = { groups: number[][]; source: string };

/** Why a well-formed record is not imported. */
export const SKIP_REASONS = [
  'emptyPrompt',
  'emptyResponse',
  'identicalPair',
  'tooFewResponses',
  'divergentContext',
  'duplicateModel',
  'duplicateResponseId',
  'unrankedReplies',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** Errors about the upload as a whole carry a code the route maps to HTTP; line errors carry none. */
export type UploadErrorCode = 'UNKNOWN_FORMAT' | 'IMPORT_EMPTY' | 'PAYLOAD_TOO_LARGE' | 'IMPORT_INVALID';

export type ImportEvent =
  | { type: 'record'; record: ImportRecord }
  | { type: 'skip'; line: number; reason: SkipReason; file?: string }
  | {
      type: 'error';
      /** null when the error is about the whole upload (empty file, unknown format, too large). */
      line: number | null;
      /** 1-based, in characters (UTF-16 code units) of the line, when known. */
      column?: number;
      message: string;
      code?: UploadErrorCode;
      /** For multipart uploads: which part. */
      file?: string;
    }
  | { type: 'progress'; bytes: number; records: number }
  /** The format the records are read as: the one asked for, or the one recognised from the content. */
  | { type: 'format'; name: string };

export interface ParseLimits {
  /** A longer line (or JSON array element) is an error. Default 1 MiB. */
  maxLineBytes?: number;
  /** Reading stops with an error past this many bytes received (compressed, for gzip). Default 1 GiB. */
  maxUploadBytes?: number;
  /** Reading stops with an error once a gzip upload has inflated to more than this many bytes. Default 4 GiB. */
  maxInflatedBytes?: number;
  /** Reading stops with an error past this many lines (blank ones too, after gunzip). Default 2,000,000. */
  maxLines?: number;
  /** Reading stops (ImportCancelledError) once this is aborted, e.g. when the client went away. */
  signal?: AbortSignal;
}

/** The uploader's choices about which well-formed records are kept; `recordRules` fills in the defaults. */
export interface RecordRules {
  /** `skip` (the default): a blank response skips its record as emptyResponse; `keep`: it is compared like any other. */
  emptyResponses: TImportQuery['emptyResponses'];
}

export interface ParseOptions extends ParseLimits, Partial<RecordRules> {
  /** A string so that the route can pass `?format=` through; an unknown name yields an UNKNOWN_FORMAT error. */
  format?: string;
  contentType?: string;
}

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;
export const DEFAULT_MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;
export const DEFAULT_MAX_INFLATED_BYTES = 4 * 1024 * 1024 * 1024;
export const DEFAULT_MAX_LINES = 2_000_000;
