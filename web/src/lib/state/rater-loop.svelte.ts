// The rater's loop in one campaign: content warning and instructions, then one comparison at a time.
// Answers are optimistic: the comparison leased ahead is shown the moment one is answered, and the
// answer goes out in the background from an outbox that survives reloads and retries until the server
// has it. Replies bring the server's queue, which tops up what is leased ahead.
import type { TAssignment, TFlagRequest, TReleaseResponse, TJudgment, TRaterProgress, TRaterStop } from '$contract/rater';
import type { TCampaignBrief } from '$contract/rater-brief';
import { ApiError, toApiError } from '../api/api-error';
import * as rater from '../api/rater';
import type { QueueReply } from '../api/rater';
import type { JudgmentDraft } from './judgment-form.svelte';
import { isRetryable, newIdempotencyKey, OutboxStore, retryDelayMs, type OutboxAction } from './rater-outbox';

export type RaterPhase = 'loading' | 'brief' | 'rating' | 'done' | 'failed';

/** saved: nothing unsent; saving: a send is in flight; retrying: the last send failed and will be tried again; stopped: logged out. */
export type SaveState = 'saved' | 'saving' | 'retrying' | 'stopped';

/** `task`: what the rater answered (a comparison, a ranking). */
const leaseLostNotice = (task: string) =>
  `The last ${task} was given to someone else after your lease on it ran out, so your answer was not counted. Carry on with this one.`;

const MAX_TIME_MS = 86_400_000;
/** How long a confirmation (flag sent, judgment taken back) stays on screen. */
const SAID_MS = 8_000;

/** Why nothing more is shown, as the server said; `at` is when, for "back in about N minutes". */
export interface StopReason {
  reason: TRaterStop;
  retryAfterSeconds?: number | undefined;
  at: number;
}

function draftOf({ choice, ranking, allBad, strength, criteria, rationale }: TJudgment): JudgmentDraft {
  return {
    choice,
    ranking,
    ...(allBad ? { allBad } : {}),
    ...(strength === null ? {} : { strength }),
    ...(criteria === null ? {} : { criteria }),
    ...(rationale === null ? {} : { rationale }),
  };
}

/** Which guideline version the rater accepted in this tab, so a reload does not ask again. */
const acceptedKey = (campaignId: string) => `juxta:brief-accepted:${campaignId}`;
function readAccepted(campaignId: string): number | null {
  try {
    return Number(sessionStorage.getItem(acceptedKey(campaignId))) || null;
  } catch {
    return null;
  }
}

export class RaterLoop {
  phase = $state<RaterPhase>('loading');
  brief = $state.raw<TCampaignBrief | null>(null);
  /** The comparison on screen; null while the next one is on its way. */
  current = $state.raw<TAssignment | null>(null);
  /** The earlier answer of a comparison brought back by undo. */
  prefill = $state.raw<JudgmentDraft | undefined>(undefined);
  /** What stopped the loop (loading failed, not a member, logged out). */
  error = $state.raw<ApiError | null>(null);
  /** Something the rater should know about an earlier answer (a lost lease, an undo refused). */
  notice = $state('');
  saveState = $state<SaveState>('saved');
  /** Failed sends of the oldest unsent action in a row. */
  retries = $state(0);
  undoing = $state(false);
  /** The assignment of the last judgment, while it may still be undone. */
  lastJudged = $state<string | null>(null);
  /** Until when (epoch ms) the server takes the last judgment back (known once it is saved). */
  undoUntil = $state<number | null>(null);
  /** Why the server has nothing more for this rater (null while it has). */
  stop = $state.raw<StopReason | null>(null);
  /** A short confirmation for the live region: a flag sent, a judgment taken back. */
  said = $state('');

  private outbox = $state.raw<OutboxAction[]>([]);
  private serverProgress = $state.raw<TRaterProgress | null>(null);
  private upcoming: TAssignment[] = [];
  /** Assignments answered and acknowledged: replies that still list them are older than that. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, never rendered
  private closed = new Set<string>();
  /** The server's last word was "nothing left" (until a later reply says otherwise). */
  private exhausted = false;
  private fetching = false;
  private draining: Promise<void> | null = null;
  private shownAt = 0;
  private carriedMs = 0;
  private disposed = false;
  private readonly store: OutboxStore;
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, never rendered
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private wakeRetry: (() => void) | null = null;
  private readonly onOnline = () => this.wakeRetry?.();

  constructor(readonly campaignId: string) {
    this.store = new OutboxStore(campaignId);
    addEventListener('online', this.onOnline);
  }

  /** Unsent actions, counted into the progress so it moves the moment the rater answers. */
  unsent = $derived(this.outbox.length);
  progress = $derived.by((): TRaterProgress | null => {
    const server = this.serverProgress;
    if (!server) return null;
    const judged = this.outbox.filter((action) => action.kind === 'judgment').length;
    return { judgedToday: server.judgedToday + judged, remaining: Math.max(0, server.remaining - this.outbox.length) };
  });

  async start(): Promise<void> {
    this.outbox = this.store.load();
    this.kick(); // answers left unsent by a reload go first
    try {
      const [brief, reply] = await Promise.all([rater.fetchBrief(this.campaignId), rater.fetchQueue(this.campaignId)]);
      this.brief = brief;
      this.applyQueue(reply);
      if (readAccepted(this.campaignId) === brief.guidelineVersion) this.startRating();
      else this.phase = 'brief';
    } catch (caught) {
      this.fail(caught);
    }
  }

  /** The rater has read the content warning and the instructions. */
  startRating(): void {
    try {
      sessionStorage.setItem(acceptedKey(this.campaignId), String(this.brief?.guidelineVersion ?? ''));
    } catch {
      // Asked again after a reload; nothing else lost.
    }
    this.phase = 'rating';
    this.settle();
  }

  judge(draft: JudgmentDraft): void {
    const shown = this.current;
    if (!shown) return;
    const timeMs = Math.min(MAX_TIME_MS, Math.round(performance.now() - this.shownAt + this.carriedMs));
    this.lastJudged = shown.id;
    this.undoUntil = null;
    this.enqueue({ kind: 'judgment', assignmentId: shown.id, body: { ...draft, timeMs, idempotencyKey: newIdempotencyKey() } });
  }

  skip(): void {
    if (this.current) this.enqueue({ kind: 'skip', assignmentId: this.current.id });
  }

  flag(flag: TFlagRequest): void {
    if (!this.current) return;
    this.enqueue({ kind: 'flag', assignmentId: this.current.id, body: flag });
    this.say('Flag sent, thank you: that comparison is set aside for review and the next one is shown.');
  }

  /** Asks the server again after it said others hold the remaining comparisons. */
  checkAgain(): void {
    if (this.phase !== 'done' || this.fetching) return;
    this.exhausted = false;
    this.settle();
  }

  /** Takes back the last judgment once it is stored, and shows that comparison again with its answer. */
  async undo(): Promise<void> {
    const assignmentId = this.lastJudged;
    if (!assignmentId || this.undoing) return;
    this.undoing = true;
    try {
      await this.draining;
      if (this.lastJudged !== assignmentId) return; // it was refused: the notice says why
      if (this.outbox.some((action) => action.assignmentId === assignmentId)) {
        this.notice = 'Your last judgment is not saved yet, so it cannot be undone. Try again once it is saved.';
        return;
      }
      const { assignment, undone } = await rater.undoJudgment(assignmentId);
      this.lastJudged = null;
      this.undoUntil = null;
      this.closed.delete(assignment.id);
      if (this.current) this.upcoming.unshift(this.current);
      const server = this.serverProgress;
      if (server) this.serverProgress = { judgedToday: Math.max(0, server.judgedToday - 1), remaining: server.remaining + 1 };
      this.exhausted = false;
      this.show(assignment, draftOf(undone), undone.timeMs);
      this.say('Your last judgment is taken back and shown again with its answer: change it and submit.');
    } catch (caught) {
      this.notice = toApiError(caught).message;
    } finally {
      this.undoing = false;
    }
  }

  dismissNotice(): void {
    this.notice = '';
  }

  private say(text: string): void {
    this.said = text;
    this.later(SAID_MS, () => {
      if (this.said === text) this.said = '';
    });
  }

  /** The page is gone: stop sending (what is unsent stays stored for the next visit) and stop timers. */
  dispose(): void {
    this.disposed = true;
    removeEventListener('online', this.onOnline);
    for (const timer of this.timers) clearTimeout(timer);
    this.wakeRetry?.();
  }

  private show(assignment: TAssignment, prefill?: JudgmentDraft, carriedMs = 0): void {
    this.current = assignment;
    this.prefill = prefill;
    this.carriedMs = carriedMs;
    this.shownAt = performance.now();
    this.phase = 'rating';
    if (this.brief && assignment.guidelineVersion > this.brief.guidelineVersion) void this.reloadBrief();
  }

  /** The admin changed the guidelines: read them again before going on. */
  private async reloadBrief(): Promise<void> {
    try {
      this.brief = await rater.fetchBrief(this.campaignId);
      this.phase = 'brief';
    } catch (caught) {
      this.fail(caught);
    }
  }

  private enqueue(action: OutboxAction): void {
    this.outbox = [...this.outbox, action];
    this.store.save(this.outbox);
    this.current = null;
    this.prefill = undefined;
    this.settle();
    this.kick();
  }

  /** Shows the next comparison when none is shown, asks for more when none is known, or ends the loop. */
  private settle(): void {
    if (this.phase !== 'rating' && this.phase !== 'done') return;
    if (this.current) return;
    const next = this.upcoming.shift();
    if (next) this.show(next);
    else if (this.exhausted && this.outbox.length === 0) this.phase = 'done';
    else if (!this.exhausted && this.outbox.length === 0 && !this.fetching) void this.refill();
  }

  private async refill(): Promise<void> {
    this.fetching = true;
    try {
      this.applyQueue(await rater.fetchQueue(this.campaignId));
    } catch (caught) {
      this.fail(caught);
    } finally {
      this.fetching = false;
    }
    this.settle();
  }

  private isKnown(id: string): boolean {
    return (
      this.current?.id === id ||
      this.closed.has(id) ||
      this.upcoming.some((assignment) => assignment.id === id) ||
      this.outbox.some((action) => action.assignmentId === id)
    );
  }

  /** Takes in what the server said about the queue; `after` is the action it answers, for progress when it sent none. */
  private applyQueue({ queue, stop, retryAfterSeconds }: QueueReply, after?: OutboxAction): void {
    // A queue whose prefetched `next` is null carries the reason inside.
    const reason = queue ? queue.stop : (stop ?? 'DONE');
    const wait = queue ? queue.retryAfterSeconds : retryAfterSeconds;
    if (reason === 'CAMPAIGN_NOT_ACTIVE' && queue && this.stop?.reason !== reason) {
      this.notice = 'This campaign has been paused: finish the comparison on screen if you like; no new ones come until it reopens.';
    }
    this.stop = reason ? { reason, retryAfterSeconds: wait, at: Date.now() } : null;
    if (!queue) {
      // No open lease is left: anything still held here has expired.
      this.exhausted = true;
      this.upcoming = [];
      const server = this.serverProgress;
      if (server) this.serverProgress = { judgedToday: server.judgedToday + (after?.kind === 'judgment' ? 1 : 0), remaining: 0 };
      return;
    }
    this.exhausted = false;
    this.serverProgress = queue.progress;
    for (const assignment of [queue.assignment, queue.next]) {
      if (assignment && !this.isKnown(assignment.id)) this.upcoming.push(assignment);
    }
  }

  private kick(): void {
    if (this.outbox.length === 0 || this.draining) return;
    this.draining = this.drain().finally(() => (this.draining = null));
  }

  /** Sends the outbox in order, one at a time, so the server sees answers as the rater gave them. */
  private async drain(): Promise<void> {
    while (this.outbox.length > 0 && !this.disposed) {
      const action = this.outbox[0] as OutboxAction;
      const delivered = await this.deliver(action);
      if (this.disposed || delivered === 'stop') return;
      this.outbox = this.outbox.slice(1);
      this.store.save(this.outbox);
      this.closed.add(action.assignmentId);
      if (delivered !== 'dropped') this.applyQueue(delivered, action);
      this.settle();
    }
  }

  /** The server's queue after the action; 'dropped' when the server refused it for good; 'stop' when logged out. */
  private async deliver(action: OutboxAction): Promise<QueueReply | 'dropped' | 'stop'> {
    for (let attempt = 0; !this.disposed; attempt++) {
      this.saveState = 'saving';
      try {
        const next = await this.send(action);
        this.saveState = 'saved';
        this.retries = 0;
        return next;
      } catch (caught) {
        const error = toApiError(caught);
        if (isRetryable(error)) {
          this.saveState = 'retrying';
          this.retries = attempt + 1;
          await this.pause(retryDelayMs(attempt));
          continue;
        }
        this.retries = 0;
        if (error.status === 401) {
          this.saveState = 'stopped';
          this.error = new ApiError(401, error.code, 'You were logged out. Log in again in this tab: your unsent answers are kept and will be sent.');
          return 'stop';
        }
        this.saveState = 'saved';
        if (this.lastJudged === action.assignmentId) {
          this.lastJudged = null;
          this.undoUntil = null;
        }
        this.notice =
          error.code === 'LEASE_LOST' && action.kind === 'judgment' ? leaseLostNotice('ranking' in action.body && action.body.ranking ? 'ranking' : 'comparison') : error.message;
        if (error.code === 'CAMPAIGN_NOT_ACTIVE') this.closeCampaign();
        return 'dropped';
      }
    }
    return 'stop';
  }

  /** The campaign was closed for rating (draft or archived, or paused past the leases): nothing here can be answered. */
  private closeCampaign(): void {
    this.stop = { reason: 'CAMPAIGN_NOT_ACTIVE', at: Date.now() };
    this.exhausted = true;
    this.upcoming = [];
    this.current = null;
  }

  private async send(action: OutboxAction): Promise<QueueReply> {
    const queueOf = ({ next, stop, retryAfterSeconds }: TReleaseResponse): QueueReply => ({ queue: next, stop, retryAfterSeconds });
    if (action.kind === 'skip') return queueOf(await rater.skipAssignment(action.assignmentId));
    if (action.kind === 'flag') return queueOf(await rater.flagAssignment(action.assignmentId, action.body));
    const reply = await rater.submitJudgment(action.assignmentId, action.body);
    if (this.lastJudged === action.assignmentId) this.endUndoAt(reply.judgment.undoableUntil, action.assignmentId);
    return queueOf(reply);
  }

  private endUndoAt(until: string, assignmentId: string): void {
    this.undoUntil = Date.parse(until);
    this.later(Date.parse(until) - Date.now(), () => {
      if (this.lastJudged !== assignmentId) return;
      this.lastJudged = null;
      this.undoUntil = null;
    });
  }

  /** Waits before a retry; coming back online cuts the wait short. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wakeRetry = resolve;
      this.later(ms, resolve);
    });
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, Math.max(0, ms));
    this.timers.add(timer);
  }

  private fail(caught: unknown): void {
    this.error = toApiError(caught);
    this.phase = 'failed';
  }
}
