// Word-level differences between the two responses; the diff library loads only when asked for.

export interface DiffPart {
  text: string;
  /** True when this text appears only on this side. */
  changed: boolean;
}

export interface SideBySideDiff {
  left: DiffPart[];
  right: DiffPart[];
}

/** Past this the texts are too far apart for a useful word diff; give up rather than freeze. */
const TIMEOUT_MS = 300;

/** The two texts (as read, markup gone) cut into shared and side-only parts, or null when they are too different. */
export async function sideBySideDiff(left: string, right: string): Promise<SideBySideDiff | null> {
  const [{ diffWords }, { markdownText }] = await Promise.all([import('diff'), import('../markdown/markdown-text')]);
  const changes = diffWords(markdownText(left), markdownText(right), { timeout: TIMEOUT_MS });
  if (!changes) return null;
  return {
    left: changes.filter((change) => !change.added).map((change) => ({ text: change.value, changed: change.removed })),
    right: changes.filter((change) => !change.removed).map((change) => ({ text: change.value, changed: change.added })),
  };
}
