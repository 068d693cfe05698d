// Prompt-set imports (admin): the upload (XMLHttpRequest, for its upload progress events: fetch has
// none), the progress the server reports while it works, and a campaign's past imports.
import {
  ZImportCheckSchema,
  ZImportListResponseSchema,
  ZImportResultSchema,
  ZImportStatusSchema,
  type TImportCheck,
  type TImportQuery,
  type TImportResult,
  type TImportStatus,
} from '$contract/imports';
import { ApiError } from './api-error';
import { apiRequest, errorFrom, parse } from './client';

export interface ImportUpload {
  campaignId: string;
  /** Chosen here so the progress can be polled while the upload request is still pending. */
  importId: string;
  format: string;
  emptyResponses: TImportQuery['emptyResponses'];
  /** One file, or for answer-files the questions file then one answers file per model. */
  files: File[];
}

/** Bytes sent of the request body so far. */
export type TransferProgress = { sent: number; total: number };

/** The type the server's streaming parser expects; gzip is recognised from the bytes whatever the type says. */
function contentTypeOf(file: File): string {
  const name = file.name.toLowerCase();
  if (name.endsWith('.gz')) return 'application/gzip';
  if (name.endsWith('.csv')) return 'text/csv';
  if (name.endsWith('.json')) return 'application/json';
  return 'application/x-ndjson';
}

function requestBody({ format, files }: ImportUpload): { body: Blob | FormData; contentType?: string } {
  if (format !== 'answer-files') {
    const [file] = files;
    if (!file) throw new ApiError(0, 'CLIENT', 'Choose a file to import.');
    return { body: file, contentType: contentTypeOf(file) };
  }
  const [questions, ...answers] = files;
  if (!questions || answers.length === 0) throw new ApiError(0, 'CLIENT', 'Choose the questions file and at least one answers file.');
  const form = new FormData();
  form.append('questions', questions, questions.name);
  for (const file of answers) form.append('answers', file, file.name);
  return { body: form }; // the browser writes the multipart boundary into Content-Type
}

/** The name the import history shows: the file's, or the questions file's with the number of answer files. */
function fileNameOf(files: File[]): string {
  const [first, ...rest] = files;
  const name = first?.name ?? '';
  return (rest.length > 0 ? `${name} + ${rest.length} answer files` : name).slice(0, 255);
}

/** Sends the upload; resolves with the import's result when the server has published it. */
export function uploadImport(upload: ImportUpload, onTransfer: (progress: TransferProgress) => void, signal?: AbortSignal): Promise<TImportResult> {
  const { body, contentType } = requestBody(upload);
  const query = new URLSearchParams({ format: upload.format, importId: upload.importId, emptyResponses: upload.emptyResponses, fileName: fileNameOf(upload.files) });
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/campaigns/${encodeURIComponent(upload.campaignId)}/imports?${query}`);
    xhr.setRequestHeader('accept', 'application/json');
    if (contentType) xhr.setRequestHeader('content-type', contentType);
    xhr.upload.onprogress = (event) => onTransfer({ sent: event.loaded, total: event.lengthComputable ? event.total : 0 });
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'The upload was interrupted: cannot reach the server. Check your connection and try again.'));
    xhr.onabort = () => reject(new ApiError(0, 'CLIENT', 'The upload was cancelled.'));
    xhr.onload = () => {
      const response = new Response(xhr.responseText, { status: xhr.status, statusText: xhr.statusText });
      (response.ok ? parse(response, ZImportResultSchema) : errorFrom(response).then((error) => Promise.reject(error))).then(resolve, reject);
    };
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

/** Progress of an import; 404 until the server has registered the id. */
export const fetchImportStatus = (importId: string): Promise<TImportStatus> =>
  apiRequest('GET', `/api/imports/${encodeURIComponent(importId)}`, ZImportStatusSchema);

export const fetchImports = async (campaignId: string): Promise<TImportStatus[]> =>
  (await apiRequest('GET', `/api/campaigns/${encodeURIComponent(campaignId)}/imports`, ZImportListResponseSchema)).imports;

/** A dry run of the upload: the server reads and checks the whole file and stores nothing. */
export async function checkImport(upload: Omit<ImportUpload, 'importId'>): Promise<TImportCheck> {
  const { body, contentType } = requestBody({ ...upload, importId: '' });
  const query = new URLSearchParams({ format: upload.format, emptyResponses: upload.emptyResponses, fileName: fileNameOf(upload.files), dryRun: 'true' });
  let response: Response;
  try {
    response = await fetch(`/api/campaigns/${encodeURIComponent(upload.campaignId)}/imports?${query}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: contentType ? { accept: 'application/json', 'content-type': contentType } : { accept: 'application/json' },
      body,
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'Cannot reach the server. Check your connection and try again.');
  }
  if (!response.ok) throw await errorFrom(response);
  return parse(response, ZImportCheckSchema);
}
