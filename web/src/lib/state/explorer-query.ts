// The explorer's filters as the page URL carries them: every filter of GET /api/campaigns/:id/comparisons and the sort.

/** Every filter of GET /api/campaigns/:id/comparisons, and the sort, as the URL names them. */
export const EXPLORER_PARAMS = [
  'promptId',
  'model',
  'pair',
  'status',
  'agreement',
  'flagged',
  'rationale',
  'rater',
  'guidelineVersion',
  'gold',
  'reference',
  'q',
  'sort',
] as const;
export type ExplorerParam = (typeof EXPLORER_PARAMS)[number];
export type ExplorerForm = Record<ExplorerParam, string>;

export const emptyForm = (): ExplorerForm => Object.fromEntries(EXPLORER_PARAMS.map((name) => [name, ''])) as ExplorerForm;

/** The filters a URL search string carries; unknown parameters are ignored. */
export function formFromSearch(search: string): ExplorerForm {
  const params = new URLSearchParams(search);
  const form = emptyForm();
  for (const name of EXPLORER_PARAMS) form[name] = params.get(name)?.trim() ?? '';
  return form;
}

/** The URL search string of a form: set filters only, in a fixed order, "activity" (the default sort) left out. */
export function searchOfForm(form: ExplorerForm): string {
  const params = new URLSearchParams();
  for (const name of EXPLORER_PARAMS) {
    const value = form[name].trim();
    if (value && !(name === 'sort' && value === 'activity')) params.set(name, value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

