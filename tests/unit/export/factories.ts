// Builders of export inputs for the export unit tests.

import type { Choice, CountedJudgment, ExportComparison, Turn } from '../../../server/domain/export/types';

let sequence = 0;

export function comparison(context: Turn[], a: string, b: string, overrides: Partial<ExportComparison> = {}): ExportComparison {
  sequence += 1;
  return {
    comparisonId: `comparison-${sequence}`,
    promptKey: `prompt-${sequence}`,
    context,
    a: { model: 'model-a', content: a, generation: null },
    b: { model: 'model-b', content: b, generation: null },
    isGold: false,
    reference: null,
    ...overrides,
  };
}

export function judgment(
  choice: Choice,
  strength: number | null = null,
  criteria: CountedJudgment['criteria'] = null,
): CountedJudgment {
  sequence += 1;
  return { choice, strength, criteria, raterPseudonym: `rater-${sequence}`, createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, sequence)) };
}
