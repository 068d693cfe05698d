// One prompt-set upload on the campaign page: the transfer's progress (XMLHttpRequest upload events),
// the server's processing progress (polled by the import id we chose), then the result or the errors;
// and the campaign's past imports.
import { ZImportErrorsSchema, type TImportCheck, type TImportErrors, type TImportResult, type TImportStatus } from '$contract/imports';
import { ApiError, toApiError } from '../api/api-error';
import { checkImport, fetchImports, fetchImportStatus, uploadImport, type ImportUpload, type TransferProgress } from '../api/imports';
import { randomUuid } from '../browser/insecure-context';
import { Action } from './action.svelte';

const POLL_MS = 400;

export class ImportRun {
  phase = $state<'idle' | 'running' | 'done' | 'failed'>('idle');
  transfer = $state<TransferProgress>({ sent: 0, total: 0 });
  /** The server's latest progress report for this import. */
  status = $state<TImportStatus | null>(null);
  result = $state<TImportResult | null>(null);
  error = $state<ApiError | null>(null);
  private controller: AbortController | null = null;

  /** Line-numbered problems of a refused file (IMPORT_INVALID), if that is how it failed. */
  problems = $derived.by((): TImportErrors | null => {
    const parsed = ZImportErrorsSchema.safeParse(this.error?.details);
    return parsed.success ? parsed.data : null;
  });

  /** Bytes of the upload the server has read, out of the upload's size (0..1). */
  processed = $derived(this.transfer.total > 0 && this.status ? Math.min(1, this.status.bytes / this.transfer.total) : 0);

  async start(campaignId: string, upload: Omit<ImportUpload, 'campaignId' | 'importId'>): Promise<void> {
    const importId = randomUuid();
    this.phase = 'running';
    this.transfer = { sent: 0, total: upload.files.reduce((sum, file) => sum + file.size, 0) };
    this.status = null;
    this.result = null;
    this.error = null;
    this.controller = new AbortController();
    const poll = this.poll(importId);
    try {
      this.result = await uploadImport({ ...upload, campaignId, importId }, (progress) => (this.transfer = progress), this.controller.signal);
      this.phase = 'done';
    } catch (caught) {
      this.error = toApiError(caught);
      this.phase = 'failed';
    } finally {
      this.controller = null;
      await poll;
    }
  }

  cancel(): void {
    this.controller?.abort();
  }

  /** Polls while the upload request is pending; a 404 only means the server has not registered the id yet. */
  private async poll(importId: string): Promise<void> {
    while (this.phase === 'running') {
      try {
        const status = await fetchImportStatus(importId);
        if (this.phase === 'running') this.status = status;
      } catch (caught) {
        if (!(caught instanceof ApiError && caught.status === 404)) return;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}

/** "Check file": a dry run that reads the whole file and stores nothing; its counts, skips and first records. */
export class ImportCheck {
  result = $state<TImportCheck | null>(null);
  readonly checking = new Action();

  /** Line-numbered problems of a refused file, if that is how the check failed. */
  problems = $derived.by((): TImportErrors | null => {
    const parsed = ZImportErrorsSchema.safeParse(this.checking.error?.details);
    return parsed.success ? parsed.data : null;
  });

  run(campaignId: string, upload: Omit<ImportUpload, 'campaignId' | 'importId'>): Promise<void> {
    this.result = null;
    return this.checking.run(async () => {
      this.result = await checkImport({ ...upload, campaignId });
    });
  }

  clear(): void {
    this.result = null;
    this.checking.error = null;
  }
}

export class ImportHistory {
  imports = $state<TImportStatus[] | null>(null);
  readonly loading = new Action();

  constructor(readonly campaignId: string) {}

  refresh(): Promise<void> {
    return this.loading.run(async () => {
      this.imports = await fetchImports(this.campaignId);
    });
  }
}
