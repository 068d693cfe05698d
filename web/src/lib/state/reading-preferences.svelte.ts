// How a rater likes to read comparisons, kept across pairs (and, in localStorage, across visits):
// whether the conversation is shown, whether the two responses scroll together, word differences.
const STORAGE_KEY = 'juxta:reading';

interface Stored {
  contextOpen: boolean;
  syncScroll: boolean;
}

function load(): Partial<Stored> {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Partial<Stored>;
  } catch {
    return {};
  }
}

class ReadingPreferences {
  contextOpen = $state(true);
  syncScroll = $state(true);
  /** For this visit only: a diff is a look now and then, not a way of reading. */
  showDiff = $state(false);

  constructor() {
    const stored = load();
    if (typeof stored.contextOpen === 'boolean') this.contextOpen = stored.contextOpen;
    if (typeof stored.syncScroll === 'boolean') this.syncScroll = stored.syncScroll;
  }

  save(): void {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify({ contextOpen: this.contextOpen, syncScroll: this.syncScroll } satisfies Stored));
    } catch {
      // Private mode or full storage: the choice holds for this page only.
    }
  }
}

export const readingPreferences = new ReadingPreferences();
