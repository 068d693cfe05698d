// The generation worker's hot SQL: claiming items under per-endpoint limits that hold across instances,
// storing a batch of results, and publishing the prompts they settle. Each runs once per batch, never per item.
//
// Lock order (claims and completions never wait on each other in a cycle): the ModelEndpoint row (claim
// only, taken by `lockEndpoint` in its own statement), then Import rows in id order (completion only),
// then GenerationItem rows, then GenerationJob rows.
//
// Ids of items travel as text (`id::text`): bigint arrives as a string from pg and as a bigint from Prisma.
import { publishedImport } from './published-import';

/** The item (by its alias)'s job may be worked on: not paused, cancelled or done. */
const jobOpen = (item: string) => `EXISTS (SELECT 1 FROM "GenerationJob" j WHERE j.id = ${item}."jobId" AND j.status IN ('QUEUED', 'RUNNING'))`;

export const GENERATION_SQL = {
  /**
   * Endpoints with an item to send now: pending and due, or leased by a worker whose lease lapsed. Scalar
   * subqueries with LIMIT 1, so each is a probe of the (endpointId, status, id) index per endpoint (as EXISTS,
   * the planner hashed every pending item of every job). No parameters.
   */
  runnableEndpoints: `SELECT e.id FROM "ModelEndpoint" e
    WHERE (SELECT true FROM "GenerationItem" c WHERE c."endpointId" = e.id AND c.status = 'PENDING' AND c."notBefore" <= now() AND ${jobOpen('c')} LIMIT 1)
       OR (SELECT true FROM "GenerationItem" c WHERE c."endpointId" = e.id AND c.status = 'LEASED' AND c."leaseUntil" <= now() AND ${jobOpen('c')} LIMIT 1)`,

  /**
   * Locks the endpoint row for the rest of the claim transaction: instances claiming for one endpoint queue
   * here, so the next statement (a fresh snapshot once the lock is held) counts every committed lease.
   * $1 endpoint. Returns `deleted`, or no row.
   */
  lockEndpoint: `SELECT "deletedAt" IS NOT NULL AS deleted FROM "ModelEndpoint" WHERE id = $1::uuid FOR UPDATE`,

  /** A deleted endpoint's open items fail. $1 endpoint. */
  failDeletedEndpointItems: `UPDATE "GenerationItem" SET status = 'FAILED', "lastError" = 'the endpoint was deleted', "finishedAt" = now(), "leaseToken" = NULL
    WHERE "endpointId" = $1::uuid AND (status = 'PENDING' OR (status = 'LEASED' AND "leaseUntil" <= now()))`,

  /**
   * Leases up to what the endpoint's limits leave, lapsed leases first, then pending items by id, skipping
   * rows another transaction holds; counts the requests into the per-minute window and marks queued jobs
   * running. Run after `lockEndpoint` in the same transaction.
   * Concurrency: live leases of the endpoint count, except $4, the caller's own items whose requests have
   * finished and whose results it is about to store (other instances still count them: they err on the safe side).
   * $1 endpoint, $2 most to claim, $3 lease seconds, $4 item ids (text[]) not to count.
   * Returns the claimed items with their prompt's context.
   */
  claim: `WITH e AS (
      SELECT "maxConcurrency", "requestsPerMinute", "windowCount",
        ("windowStart" IS NOT NULL AND "windowStart" > now() - interval '1 minute') AS fresh
      FROM "ModelEndpoint" WHERE id = $1::uuid
    ), live AS (
      SELECT count(*)::int AS n FROM "GenerationItem"
      WHERE "endpointId" = $1::uuid AND status = 'LEASED' AND "leaseUntil" > now() AND NOT (id = ANY($4::bigint[]))
    ), room AS (
      SELECT greatest(0, least($2::int, e."maxConcurrency" - live.n,
        coalesce(e."requestsPerMinute" - CASE WHEN e.fresh THEN e."windowCount" ELSE 0 END, $2::int)))::int AS n
      FROM e, live
    ), lapsed AS (
      SELECT c.id FROM "GenerationItem" c
      WHERE c."endpointId" = $1::uuid AND c.status = 'LEASED' AND c."leaseUntil" <= now() AND ${jobOpen('c')}
      ORDER BY c.id LIMIT (SELECT n FROM room) FOR UPDATE OF c SKIP LOCKED
    ), pending AS (
      SELECT c.id FROM "GenerationItem" c
      WHERE c."endpointId" = $1::uuid AND c.status = 'PENDING' AND c."notBefore" <= now() AND ${jobOpen('c')}
      ORDER BY c.id LIMIT (SELECT n FROM room) FOR UPDATE OF c SKIP LOCKED
    ), pick AS (
      SELECT id FROM (SELECT id, 0 AS k FROM lapsed UNION ALL SELECT id, 1 FROM pending) u ORDER BY k, id LIMIT (SELECT n FROM room)
    ), claimed AS (
      UPDATE "GenerationItem" i SET status = 'LEASED', "leaseToken" = gen_random_uuid(),
        "leaseUntil" = now() + make_interval(secs => $3::int), attempts = i.attempts + 1
      FROM pick WHERE i.id = pick.id
      RETURNING i.id, i."jobId", i."promptId", i.sample, i."importId", i."leaseToken", i.attempts
    ), paced AS (
      UPDATE "ModelEndpoint" m SET
        "windowStart" = CASE WHEN e.fresh THEN m."windowStart" ELSE now() END,
        "windowCount" = CASE WHEN e.fresh THEN m."windowCount" ELSE 0 END + (SELECT count(*)::int FROM claimed)
      FROM e WHERE m.id = $1::uuid AND m."requestsPerMinute" IS NOT NULL AND EXISTS (SELECT 1 FROM claimed)
    ), started AS (
      UPDATE "GenerationJob" j SET status = 'RUNNING', "updatedAt" = now()
      WHERE j.id IN (SELECT "jobId" FROM claimed) AND j.status = 'QUEUED'
    )
    SELECT c.id::text AS id, c."jobId", c."promptId", c.sample, c."importId", c."leaseToken"::text AS "leaseToken", c.attempts, p.context
    FROM claimed c JOIN "Prompt" p ON p.id = c."promptId" ORDER BY c.id`,

  /**
   * Extends leases still held. $1 item ids (text[]), $2 their lease tokens, $3 lease seconds. Returns the
   * renewed leases and whether each one's job may still be worked on (`jobOpen`: not paused, cancelled or done).
   */
  renewLeases: `UPDATE "GenerationItem" i SET "leaseUntil" = now() + make_interval(secs => $3::int)
    FROM unnest($1::bigint[], $2::uuid[]) AS u(id, token)
    WHERE i.id = u.id AND i."leaseToken" = u.token AND i.status = 'LEASED'
    RETURNING i."leaseToken"::text AS "leaseToken", ${jobOpen('i')} AS "jobOpen"`,

  /** Gives leases back untouched (a worker stopping): claimable at once, the attempt not counted. $1 ids, $2 tokens. */
  releaseLeases: `UPDATE "GenerationItem" i SET status = 'PENDING', "leaseToken" = NULL, "leaseUntil" = NULL, attempts = greatest(i.attempts - 1, 0)
    FROM unnest($1::bigint[], $2::uuid[]) AS u(id, token)
    WHERE i.id = u.id AND i."leaseToken" = u.token AND i.status = 'LEASED'`,

  /** Completions of one prompt queue here, so the last one sees every other one's item settled. $1 import ids, sorted. */
  lockImports: `SELECT id FROM "Import" WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,

  /**
   * Inserts the responses of items whose lease is still the one given (a lapsed lease's result is dropped:
   * another worker sends it again), once per item: its key 'gen:<item id>' is unique per prompt.
   * $1 campaign ids, $2 prompt ids, $3 keys, $4 model labels, $5 contents, $6 metadata (JSON text), $7 import ids,
   * $8 item ids, $9 lease tokens. Returns the new responses' ids and keys.
   */
  insertResponses: `INSERT INTO "Response" ("campaignId", "promptId", "key", "model", "content", "metadata", "importId")
    SELECT u.campaign_id, u.prompt_id, u.key, u.model, u.content, u.metadata::jsonb, u.import_id
    FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::bigint[], $9::uuid[])
      AS u(campaign_id, prompt_id, key, model, content, metadata, import_id, item_id, token)
    JOIN "GenerationItem" i ON i.id = u.item_id AND i."leaseToken" = u.token AND i.status = 'LEASED'
    ON CONFLICT ("promptId", "key") DO NOTHING
    RETURNING id, key`,

  /**
   * Finished items (lease still theirs): DONE with their outcome, response and usage.
   * $1 ids, $2 tokens, $3 outcomes, $4 response ids (null: none stored), $5 tokens in, $6 tokens out, $7 finish reasons.
   */
  markDone: `UPDATE "GenerationItem" i SET status = 'DONE', outcome = u.outcome, "responseId" = u.response_id, "tokensIn" = u.tokens_in,
      "tokensOut" = u.tokens_out, "finishReason" = u.finish_reason, "finishedAt" = now(), "leaseToken" = NULL, "lastError" = NULL
    FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::int[], $5::int[], $6::int[], $7::text[])
      AS u(id, token, outcome, response_id, tokens_in, tokens_out, finish_reason)
    WHERE i.id = u.id AND i."leaseToken" = u.token AND i.status = 'LEASED'`,

  /** Items to send again after a delay. $1 ids, $2 tokens, $3 errors, $4 delays in ms. */
  markRetry: `UPDATE "GenerationItem" i SET status = 'PENDING', "leaseToken" = NULL, "leaseUntil" = NULL, "lastError" = u.error,
      "notBefore" = now() + make_interval(secs => u.delay_ms / 1000.0)
    FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::int[]) AS u(id, token, error, delay_ms)
    WHERE i.id = u.id AND i."leaseToken" = u.token AND i.status = 'LEASED'`,

  /** Items that failed for good. $1 ids, $2 tokens, $3 errors. */
  markFailed: `UPDATE "GenerationItem" i SET status = 'FAILED', "leaseToken" = NULL, "lastError" = u.error, "finishedAt" = now()
    FROM unnest($1::bigint[], $2::uuid[], $3::text[]) AS u(id, token, error)
    WHERE i.id = u.id AND i."leaseToken" = u.token AND i.status = 'LEASED'`,

  /** Of these import rows (one per job and prompt), those with no open item left. $1 import ids. */
  settledImports: `SELECT m.id::text AS id FROM unnest($1::uuid[]) AS m(id)
    WHERE NOT EXISTS (SELECT 1 FROM "GenerationItem" i WHERE i."importId" = m.id AND i.status IN ('PENDING', 'LEASED'))`,

  /**
   * The responses each settled prompt has: its import row's own (`isNew`) and the prompt's published ones.
   * $1 import ids. Ordered by import row, then response.
   */
  responsesToPublish: `SELECT m.id::text AS "importId", p.id AS "promptId", p.key AS "promptKey", p."campaignId"::text AS "campaignId",
      r.id AS "responseId", r.key, r.model, r.content, r."importId" = m.id AS "isNew"
    FROM "Import" m
    JOIN LATERAL (SELECT gi."promptId" FROM "GenerationItem" gi WHERE gi."importId" = m.id LIMIT 1) gi ON true
    JOIN "Prompt" p ON p.id = gi."promptId"
    JOIN "Response" r ON r."promptId" = p.id AND (r."importId" = m.id OR ${publishedImport('r')})
    WHERE m.id = ANY($1::uuid[])
    ORDER BY m.id, r.id`,

  /**
   * The comparisons and ranking tasks of the prompts being published. $1 import ids, $2 campaign ids, $3 prompt ids,
   * $4 response A ids, $5 response B ids, $6 a ranking task's response ids in slot order (an int[] literal such as '{4,9,7}'; null for a pair).
   */
  insertComparisons: `INSERT INTO "Comparison" ("campaignId", "promptId", "responseAId", "responseBId", "target", "importId", slots)
    SELECT u.campaign_id, u.prompt_id, u.a, u.b, c."votesPerComparison", u.import_id,
      coalesce(u.slots::int[], '{}')
    FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::int[], $5::int[], $6::text[]) AS u(import_id, campaign_id, prompt_id, a, b, slots)
    JOIN "Campaign" c ON c.id = u.campaign_id
    ON CONFLICT ("responseAId", "responseBId") DO NOTHING`,

  /** Makes import rows visible, merging each one's result summary. $1 import ids, $2 results (JSON text). */
  publishImports: `UPDATE "Import" m SET status = 'PUBLISHED', phase = 'published', "finishedAt" = coalesce(m."finishedAt", now()), "heartbeatAt" = now(),
      result = coalesce(m.result, '{}'::jsonb) || u.result::jsonb
    FROM unnest($1::uuid[], $2::text[]) AS u(id, result)
    WHERE m.id = u.id`,

  /** Settled prompts with fewer than two responses stay unpublished (a retry may still add one). $1 import ids. */
  markShort: `UPDATE "Import" SET phase = 'too few responses', "heartbeatAt" = now() WHERE id = ANY($1::uuid[]) AND status = 'RUNNING'`,

  /** Jobs with no open item left are DONE (a cancelled one stays CANCELLED). $1 job ids. */
  finishSettledJobs: `UPDATE "GenerationJob" j SET status = 'DONE', "finishedAt" = now(), "updatedAt" = now()
    WHERE j.id = ANY($1::uuid[]) AND j.status IN ('QUEUED', 'RUNNING', 'PAUSED')
      AND NOT EXISTS (SELECT 1 FROM "GenerationItem" i WHERE i."jobId" = j.id AND i.status IN ('PENDING', 'LEASED'))`,
} as const;
