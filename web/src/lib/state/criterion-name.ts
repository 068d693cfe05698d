// A criterion's name in exports and stats (`[a-z][a-z0-9_]{0,39}`, as the contract requires), made from its
// question while the admin has not typed one: "Which response is more helpful?" -> which_response_is_more_helpful.

const MAX = 40;

/** The question as a name; '' when nothing of it is usable (no letter). */
export function slugCriterion(question: string): string {
  const slug = question
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents go, their letters stay
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '') // a name starts with a letter
    .slice(0, MAX)
    .replace(/_+$/, '');
  return slug;
}

/** `base`, or base_2, base_3 ... (kept within the length limit) when another criterion has it. */
export function uniqueCriterionName(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const name = `${base.slice(0, MAX - suffix.length).replace(/_+$/, '')}${suffix}`;
    if (!taken.includes(name)) return name;
  }
}
