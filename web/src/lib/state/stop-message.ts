// What the rater reads when nothing more is shown: the server's reason, in words that are true.
import type { StopReason } from './rater-loop.svelte';

export interface StopMessage {
  title: string;
  detail: string;
  /** Others may give work back: offer to look again. */
  canCheckAgain: boolean;
}

export function stopMessage(stop: StopReason | null, hasComparisons: boolean, now = Date.now()): StopMessage {
  const reason = stop?.reason ?? 'DONE';
  if (!hasComparisons && (reason === 'DONE' || reason === 'CAMPAIGN_NOT_ACTIVE')) {
    return { title: 'Nothing to rate yet', detail: 'This campaign has no comparisons yet. Come back once its admin has added some.', canCheckAgain: true };
  }
  if (reason === 'CAMPAIGN_NOT_ACTIVE') {
    return {
      title: 'Campaign paused',
      detail: 'This campaign is not open for rating right now: an admin paused or closed it, or has not opened it yet. Your answers are saved; come back when it opens.',
      canCheckAgain: true,
    };
  }
  if (reason === 'CAP_REACHED') {
    return { title: 'You have reached your share', detail: 'You have judged as many comparisons as this campaign asks of one rater. Thank you!', canCheckAgain: false };
  }
  if (reason === 'ALL_LEASED') {
    const left = Math.max(0, (stop?.retryAfterSeconds ?? 0) - (now - (stop?.at ?? now)) / 1000);
    const minutes = Math.max(1, Math.ceil(left / 60));
    return {
      title: 'Others hold the remaining pairs',
      detail: `Other raters are judging the comparisons that are left. Any they do not finish come back in about ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`,
      canCheckAgain: true,
    };
  }
  return { title: 'You have judged everything — thank you!', detail: 'You have judged every comparison this campaign has for you.', canCheckAgain: false };
}
