// A campaign's generation panel: the endpoints to choose from, what the chosen job would make (the server's
// dry run), its jobs, and the progress of the open ones (polled every two seconds while the panel is shown
// and a job is queued or running).
import type { TGenerationJob, TGenerationJobPlan } from '$contract/generation';
import type { TModelEndpoint } from '$contract/model-endpoints';
import { controlJob, fetchEndpoints, fetchJobs, planJob, startJob } from '../api/generation';
import { Action } from './action.svelte';

const POLL_MS = 2000;
/** A dry run waits for the choice to rest this long (ticking fifty endpoints asks once). */
const PLAN_DELAY_MS = 250;

export class GenerationPanel {
  endpoints = $state<TModelEndpoint[] | null>(null);
  jobs = $state<TGenerationJob[] | null>(null);
  /** What the chosen endpoints x samples would make; null while nothing is chosen or a newer choice is asked. */
  plan = $state<TGenerationJobPlan | null>(null);
  readonly loading = new Action();
  readonly planning = new Action();
  readonly starting = new Action();
  readonly controlling = new Action();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private planTimer: ReturnType<typeof setTimeout> | null = null;
  /** Counts choices, so a slow reply to an older one is dropped. */
  private choice = 0;
  private stopped = false;

  constructor(
    private readonly campaignId: string,
    private readonly onprogress: () => void = () => {},
  ) {}

  load(): Promise<void> {
    return this.loading.run(async () => {
      [this.endpoints, this.jobs] = await Promise.all([fetchEndpoints(), fetchJobs(this.campaignId)]);
      this.schedule();
    });
  }

  /** Asks the server what this job would make, once the choice rests; nothing chosen, no plan. */
  preview(endpointIds: string[], samples: number): void {
    const choice = ++this.choice;
    if (this.planTimer) clearTimeout(this.planTimer);
    this.plan = null;
    this.planning.error = null;
    if (endpointIds.length === 0 || !Number.isInteger(samples) || samples < 1) return;
    this.planTimer = setTimeout(() => {
      void this.planning.run(async () => {
        const plan = await planJob(this.campaignId, { endpointIds, samples }).catch((error: unknown) => {
          if (choice === this.choice) throw error;
          return null;
        });
        if (choice === this.choice) this.plan = plan;
      });
    }, PLAN_DELAY_MS);
  }

  start(endpointIds: string[], samples: number): Promise<void> {
    return this.starting.run(async () => {
      await startJob(this.campaignId, { endpointIds, samples });
      this.jobs = await fetchJobs(this.campaignId);
      this.schedule();
    });
  }

  control(id: string, action: 'pause' | 'resume' | 'cancel' | 'retry-failed'): Promise<void> {
    return this.controlling.run(async () => {
      const job = await controlJob(id, action);
      this.jobs = this.jobs?.map((j) => (j.id === id ? job : j)) ?? [job];
      this.schedule();
    });
  }

  /** Stops polling (the panel is gone). */
  dispose(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.planTimer) clearTimeout(this.planTimer);
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    const open = this.jobs?.some((j) => j.status === 'QUEUED' || j.status === 'RUNNING');
    if (this.stopped || !open) return;
    this.timer = setTimeout(async () => {
      try {
        const before = this.jobs?.reduce((n, j) => n + j.promptsPublished, 0) ?? 0;
        this.jobs = await fetchJobs(this.campaignId);
        if ((this.jobs.reduce((n, j) => n + j.promptsPublished, 0) ?? 0) !== before) this.onprogress();
      } catch {
        // A missed poll is retried at the next one.
      }
      this.schedule();
    }, POLL_MS);
  }
}
