// Imports' SQL: staging a batch of rows, deleting an abandoned import's rows, refreshing the planner's
// statistics. Staged rows carry their import's id and stay invisible until it is PUBLISHED (published-import.ts).
//
// Staging a batch is three statements, each its own short transaction, run in this order: prompts,
// responses (they find their prompt by key), comparisons (they find their responses by prompt key and
// response key), so the batch needs no ids from the database. A crash in between leaves rows of a RUNNING
// import, which are invisible and cleaned up as abandoned. Existing rows win (ON CONFLICT DO NOTHING):
// a prompt is (campaign, key), a response (prompt, key), a comparison (response A, response B), so
// importing the same file again adds nothing. Every batch column is an array parameter (JSON as text).

export const IMPORT_SQL = {
  /** $1 campaign, $2 import, $3 keys, $4 external ids, $5 contexts, $6 metadata. Changes: the new prompts. */
  stagePrompts: `
    INSERT INTO "Prompt" ("campaignId", "key", "externalId", "context", "metadata", "importId")
    SELECT $1::uuid, u.key, u.external_id, u.context::jsonb, u.metadata::jsonb, $2::uuid
    FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS u(key, external_id, context, metadata)
    ON CONFLICT ("campaignId", "key") DO NOTHING`,

  /** $1 campaign, $2 import, $3 prompt keys, $4 response keys, $5 models, $6 external ids, $7 contents, $8 metadata. Changes: the new responses. */
  stageResponses: `
    INSERT INTO "Response" ("campaignId", "promptId", "key", "model", "externalId", "content", "metadata", "importId")
    SELECT $1::uuid, p."id", u.response_key, u.model, u.external_id, u.content, u.metadata::jsonb, $2::uuid
    FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
      AS u(key, response_key, model, external_id, content, metadata)
    JOIN "Prompt" p ON p."campaignId" = $1::uuid AND p."key" = u.key
    ON CONFLICT ("promptId", "key") DO NOTHING`,

  /**
   * A comparison's target is read from the campaign as it is inserted (gold: 0), so a concurrent edit of k
   * is not lost. $1 campaign, $2 import, $3 prompt keys, $4 response keys A, $5 response keys B (Response.key), $6 gold flags,
   * $7 gold choices, $8 reference choices, $9 reference sources, $10 a ranking task's response keys in slot order
   * (JSON array; null for a pair: keys A and B are then slots 0 and 1), $11 reference rankings (JSON groups of
   * slot indexes). Returns the new comparisons and gold ones.
   */
  stageComparisons: `
    WITH inserted AS (
      INSERT INTO "Comparison" ("campaignId", "promptId", "responseAId", "responseBId", "modelA", "modelB", "target", "isGold", "goldChoice",
        "referenceChoice", "referenceSource", "importId", slots, "referenceRanking")
      SELECT $1::uuid, p."id", ra."id", rb."id", ra.model, rb.model, CASE WHEN u.is_gold THEN 0 ELSE cp."votesPerComparison" END, u.is_gold,
        u.gold_choice::"Choice", u.reference_choice::"Choice", u.reference_source, $2::uuid,
        CASE WHEN u.slots IS NULL THEN '{}'::int[] ELSE ARRAY(
          SELECT rs.id FROM jsonb_array_elements_text(u.slots::jsonb) WITH ORDINALITY s(key, n)
          JOIN "Response" rs ON rs."promptId" = p."id" AND rs."key" = s.key ORDER BY s.n) END,
        u.reference_ranking::jsonb
      FROM unnest($3::text[], $4::text[], $5::text[], $6::boolean[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
        AS u(key, key_a, key_b, is_gold, gold_choice, reference_choice, reference_source, slots, reference_ranking)
      JOIN "Campaign" cp ON cp."id" = $1::uuid
      JOIN "Prompt" p ON p."campaignId" = cp."id" AND p."key" = u.key
      JOIN "Response" ra ON ra."promptId" = p."id" AND ra."key" = u.key_a
      JOIN "Response" rb ON rb."promptId" = p."id" AND rb."key" = u.key_b
      ON CONFLICT ("responseAId", "responseBId") DO NOTHING
      RETURNING "isGold"
    )
    SELECT (count(*) FILTER (WHERE NOT "isGold"))::int AS comparisons, (count(*) FILTER (WHERE "isGold"))::int AS gold FROM inserted`,

  /** What a dry run would find already stored: prompt keys of campaign $1 among $2 (text[]). */
  existingPrompts: `SELECT key FROM "Prompt" WHERE "campaignId" = $1::uuid AND key = ANY($2::text[])`,

  /** The stored responses (prompt key, response key) of those prompts. */
  existingResponses: `
    SELECT p.key AS prompt, r.key FROM "Response" r JOIN "Prompt" p ON p.id = r."promptId"
    WHERE p."campaignId" = $1::uuid AND p.key = ANY($2::text[])`,

  /** The stored comparisons (prompt key, response keys A and B) of those prompts. */
  existingComparisons: `
    SELECT p.key AS prompt, ra.key AS a, rb.key AS b FROM "Comparison" c
    JOIN "Prompt" p ON p.id = c."promptId" JOIN "Response" ra ON ra.id = c."responseAId" JOIN "Response" rb ON rb.id = c."responseBId"
    WHERE p."campaignId" = $1::uuid AND p.key = ANY($2::text[])`,

  /** One batch of an unpublished import's rows of one table; comparisons first, then responses, then prompts. $1 import, $2 batch size. */
  deleteBatch: (table: 'Comparison' | 'Response' | 'Prompt') =>
    `DELETE FROM "${table}" WHERE id IN (SELECT id FROM "${table}" WHERE "importId" = $1::uuid LIMIT $2::int)`,

  /**
   * Refreshes the planner's statistics after an import: the rater's claim query picks a plan from them,
   * and with stale ones it sorted every candidate comparison (50 ms instead of 0.5 ms per claim).
   */
  analyze: 'ANALYZE "Comparison", "Response", "Prompt", "Import"',
} as const;
