// Generation's SQL. Hot, for the worker: claiming items under per-endpoint limits that hold across instances,
// storing a batch of results, and publishing the prompts they settle; each runs once per batch, never per item.
// Then, not hot: a job's creation, status changes, cancel and requeue of its items, progress and failures.
//
// Lock order (claims and completions never wait on each other in a cycle): ModelEndpoint rows in id order
// (claim only, taken by `lockEndpoints` in its own statement), then Import rows in id order (completion only,
// `lockImports`), then GenerationItem rows, then GenerationJob rows.
//
// Round trips: a claim is one (lockEndpoints, failDeletedEndpointItems, claim: one script, SqlRunner.script)
// for every endpoint at once; a completion is
// BEGIN with lockImports, settleItems (with the settled prompts' responses), publishSettled, COMMIT for a whole batch.
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
   * Locks the endpoint rows, in id order, for the rest of the claim transaction: instances claiming for an
   * endpoint queue here, so the next statements (a fresh snapshot each, once the locks are held) count every
   * committed lease. $1 endpoint ids (uuid[]).
   */
  lockEndpoints: `SELECT id FROM "ModelEndpoint" WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,

  /** The open items of those of endpoints $1 (uuid[]) that are deleted fail. */
  failDeletedEndpointItems: `UPDATE "GenerationItem" SET status = 'FAILED', "lastError" = 'the endpoint was deleted', "finishedAt" = now(), "leaseToken" = NULL
    WHERE "endpointId" IN (SELECT id FROM "ModelEndpoint" WHERE id = ANY($1::uuid[]) AND "deletedAt" IS NOT NULL)
      AND (status = 'PENDING' OR (status = 'LEASED' AND "leaseUntil" <= now()))`,

  /**
   * Leases, for each endpoint, up to what it wants and its limits leave: lapsed leases first, then pending
   * items by id, skipping rows another transaction holds; counts the requests into each endpoint's per-minute
   * window and marks queued jobs running (a deleted endpoint gets none). One statement for every endpoint, run
   * after `lockEndpoints` and `failDeletedEndpointItems` in the same transaction (one script: one round trip).
   * Concurrency: an endpoint's live leases count, except $4, the caller's own items whose requests have
   * finished and whose results it is about to store (other instances still count them: they err on the safe side).
   * $1 endpoint ids (uuid[]), $2 most to claim for each (int[]), $3 lease seconds, $4 item ids (text[]) not to count.
   * Returns the claimed items with their endpoint and their prompt's context.
   */
  claim: `WITH e AS (
      SELECT m.id, w.want, m."maxConcurrency", m."requestsPerMinute", m."windowCount",
        (m."windowStart" IS NOT NULL AND m."windowStart" > now() - interval '1 minute') AS fresh
      FROM unnest($1::uuid[], $2::int[]) AS w(id, want) JOIN "ModelEndpoint" m ON m.id = w.id AND m."deletedAt" IS NULL
    ), room AS (
      SELECT e.id, greatest(0, least(e.want,
        e."maxConcurrency" - (SELECT count(*)::int FROM "GenerationItem" l
          WHERE l."endpointId" = e.id AND l.status = 'LEASED' AND l."leaseUntil" > now() AND NOT (l.id = ANY($4::bigint[]))),
        coalesce(e."requestsPerMinute" - CASE WHEN e.fresh THEN e."windowCount" ELSE 0 END, e.want)))::int AS n
      FROM e
    ), lapsed AS (
      SELECT r.id AS endpoint, x.id FROM room r CROSS JOIN LATERAL (
        SELECT c.id FROM "GenerationItem" c
        WHERE c."endpointId" = r.id AND c.status = 'LEASED' AND c."leaseUntil" <= now() AND ${jobOpen('c')}
        ORDER BY c.id LIMIT r.n FOR UPDATE OF c SKIP LOCKED) x
    ), pending AS (
      SELECT r.id AS endpoint, x.id FROM room r CROSS JOIN LATERAL (
        SELECT c.id FROM "GenerationItem" c
        WHERE c."endpointId" = r.id AND c.status = 'PENDING' AND c."notBefore" <= now() AND ${jobOpen('c')}
        ORDER BY c.id LIMIT r.n FOR UPDATE OF c SKIP LOCKED) x
    ), pick AS (
      SELECT u.id FROM (
        SELECT endpoint, id, row_number() OVER (PARTITION BY endpoint ORDER BY k, id) AS rank
        FROM (SELECT endpoint, id, 0 AS k FROM lapsed UNION ALL SELECT endpoint, id, 1 FROM pending) t
      ) u JOIN room r ON r.id = u.endpoint WHERE u.rank <= r.n
    ), claimed AS (
      UPDATE "GenerationItem" i SET status = 'LEASED', "leaseToken" = gen_random_uuid(),
        "leaseUntil" = now() + make_interval(secs => $3::int), attempts = i.attempts + 1
      FROM pick WHERE i.id = pick.id
      RETURNING i.id, i."jobId", i."endpointId", i."promptId", i.sample, i."importId", i."leaseToken", i.attempts
    ), paced AS (
      UPDATE "ModelEndpoint" m SET
        "windowStart" = CASE WHEN e.fresh THEN m."windowStart" ELSE now() END,
        "windowCount" = CASE WHEN e.fresh THEN m."windowCount" ELSE 0 END + k.n
      FROM e JOIN (SELECT "endpointId", count(*)::int AS n FROM claimed GROUP BY 1) k ON k."endpointId" = e.id
      WHERE m.id = e.id AND m."requestsPerMinute" IS NOT NULL
    ), started AS (
      UPDATE "GenerationJob" j SET status = 'RUNNING', "updatedAt" = now()
      WHERE j.id IN (SELECT "jobId" FROM claimed) AND j.status = 'QUEUED'
    )
    SELECT c.id::text AS id, c."jobId", c."endpointId"::text AS "endpointId", c."promptId", c.sample, c."importId",
      c."leaseToken"::text AS "leaseToken", c.attempts, p.context
    FROM claimed c JOIN "Prompt" p ON p.id = c."promptId" ORDER BY c.id`,

  /**
   * Extends leases still held. $1 item ids (text[]), $2 their lease tokens, $3 lease seconds. Returns the
   * renewed leases and whether each one's job may still be worked on (`jobOpen`: not paused, cancelled or done).
   * `i.id = ANY($1)` keeps the update on the primary key, whatever the planner thinks of the join (see `settleItems`).
   */
  renewLeases: `UPDATE "GenerationItem" i SET "leaseUntil" = now() + make_interval(secs => $3::int)
    FROM unnest($1::bigint[], $2::uuid[]) AS u(id, token)
    WHERE i.id = u.id AND i.id = ANY($1::bigint[]) AND i."leaseToken" = u.token AND i.status = 'LEASED'
    RETURNING i."leaseToken"::text AS "leaseToken", ${jobOpen('i')} AS "jobOpen"`,

  /** Gives leases back untouched (a worker stopping): claimable at once, the attempt not counted. $1 ids, $2 tokens (`ANY($1)`: as in `renewLeases`). */
  releaseLeases: `UPDATE "GenerationItem" i SET status = 'PENDING', "leaseToken" = NULL, "leaseUntil" = NULL, attempts = greatest(i.attempts - 1, 0)
    FROM unnest($1::bigint[], $2::uuid[]) AS u(id, token)
    WHERE i.id = u.id AND i.id = ANY($1::bigint[]) AND i."leaseToken" = u.token AND i.status = 'LEASED'`,

  /** Completions of one prompt queue here, so the last one sees every other one's item settled. $1 import ids, sorted. */
  lockImports: `SELECT id FROM "Import" WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,

  /**
   * Settles finished items whose lease is still the one given (a lapsed lease's result is dropped: another
   * worker sends it again) and reads what the prompts they settle have, in one statement: locks the items,
   * inserts the responses of those done with one (once per item: its key 'gen:<item id>' is unique per
   * prompt), marks each DONE (outcome, response, usage), back to PENDING after a delay (a retry) or FAILED,
   * and returns the rows of `settledPromptResponses` for import rows $16 (prompts $17) as they are once this
   * statement's changes are counted (its snapshot does not show them: the items it closes and the responses
   * it inserts are added from its own CTEs). The items are locked by primary key, one LATERAL probe each (as a
   * join, the plan walked the whole (jobId, status) index for the leased ones), and updated by primary key
   * (`i.id = ANY($1)` beside the join: with a batch's actual size, PGlite's plan hashed a sequential scan of
   * the whole table, 20,000 items for 184 results, 15-20 ms of a 45 ms store and growing with the job; an
   * array filter on a sequential scan is costed per element, the index is not). Run after `lockImports`, so the snapshot shows every other
   * completion of these prompts. Each response's id is drawn up front (nextval), so no step joins the batch
   * with itself (a join on the inserted keys was a nested loop over both CTEs: 11,000 rows for 106 items).
   * A response's metadata is `{generation: {...}}`: what its (job, endpoint) shares (the generator: jobId, endpointId,
   * endpoint, model, params), sent once per batch, and the item's own (sample, finishReason, truncated, usage,
   * latencyMs) from its row and columns, so no JSON is written per item.
   * One row per item: $1 ids, $2 lease tokens, $3 kinds ('done' | 'retry' | 'failed'), $4 outcomes, $5 tokens in,
   * $6 tokens out (both null: no usage reported), $7 finish reasons, $8 errors, $9 retry delays in ms; its response
   * (nulls when none): $10 campaign ids, $11 prompt ids, $12 model labels, $13 contents, $14 generators (1-based
   * indexes into $18), $15 import ids, $19 latencies in ms. $16 the batch's import ids, $17 their prompts' ids
   * (int[]); $18 the batch's generators (JSON text).
   */
  settleItems: `WITH u AS (
      SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::text[], $5::int[], $6::int[], $7::text[], $8::text[], $9::int[],
          $10::uuid[], $11::int[], $12::text[], $13::text[], $14::int[], $15::uuid[], $19::int[])
        AS u(id, token, kind, outcome, tokens_in, tokens_out, finish_reason, error, delay_ms, campaign_id, prompt_id, model, content, generator, import_id, latency_ms)
    ), generators AS (
      SELECT g.n::int, g.generator::jsonb FROM unnest($18::text[]) WITH ORDINALITY AS g(generator, n)
    ), locked AS MATERIALIZED (
      SELECT u.*, i.sample FROM u CROSS JOIN LATERAL (
        SELECT i.sample FROM "GenerationItem" i WHERE i.id = u.id AND i."leaseToken" = u.token AND i.status = 'LEASED' FOR UPDATE OF i
      ) i
    ), live AS MATERIALIZED (
      SELECT l.*, CASE WHEN l.kind = 'done' AND l.content IS NOT NULL THEN nextval('"Response_id_seq"')::int END AS response_id FROM locked l
    ), stored AS (
      INSERT INTO "Response" ("id", "campaignId", "promptId", "key", "model", "content", "metadata", "importId")
      SELECT l.response_id, l.campaign_id, l.prompt_id, 'gen:' || l.id, l.model, l.content,
        jsonb_build_object('generation', g.generator || jsonb_build_object('sample', l.sample, 'finishReason', l.finish_reason,
          'truncated', coalesce(l.finish_reason = 'length', false), 'latencyMs', l.latency_ms,
          'usage', CASE WHEN l.tokens_in IS NOT NULL THEN jsonb_build_object('promptTokens', l.tokens_in, 'completionTokens', l.tokens_out) END)),
        l.import_id
      FROM live l JOIN generators g ON g.n = l.generator WHERE l.response_id IS NOT NULL
      ON CONFLICT ("promptId", "key") DO NOTHING
      RETURNING id, "importId", key, model, content
    ), settled AS (
      UPDATE "GenerationItem" i SET
        status = (CASE l.kind WHEN 'done' THEN 'DONE' WHEN 'retry' THEN 'PENDING' ELSE 'FAILED' END)::"GenerationItemStatus",
        "leaseToken" = NULL,
        "leaseUntil" = CASE WHEN l.kind = 'retry' THEN NULL ELSE i."leaseUntil" END,
        "notBefore" = CASE WHEN l.kind = 'retry' THEN now() + make_interval(secs => l.delay_ms / 1000.0) ELSE i."notBefore" END,
        "finishedAt" = CASE WHEN l.kind = 'retry' THEN i."finishedAt" ELSE now() END,
        "lastError" = CASE WHEN l.kind = 'done' THEN NULL ELSE l.error END,
        outcome = CASE WHEN l.kind = 'done' THEN l.outcome ELSE i.outcome END,
        "responseId" = CASE WHEN l.kind <> 'done' THEN i."responseId" WHEN l.response_id IN (SELECT id FROM stored) THEN l.response_id END,
        "tokensIn" = CASE WHEN l.kind = 'done' THEN l.tokens_in ELSE i."tokensIn" END,
        "tokensOut" = CASE WHEN l.kind = 'done' THEN l.tokens_out ELSE i."tokensOut" END,
        "finishReason" = CASE WHEN l.kind = 'done' THEN l.finish_reason ELSE i."finishReason" END
      FROM live l
      WHERE i.id = l.id AND i.id = ANY($1::bigint[])
    ), m AS MATERIALIZED (
      SELECT m.id, m.prompt_id FROM unnest($16::uuid[], $17::int[]) AS m(id, prompt_id)
      LEFT JOIN LATERAL (
        SELECT 1 AS one FROM "GenerationItem" i
        WHERE i."importId" = m.id AND i.status IN ('PENDING', 'LEASED') AND NOT (i.id IN (SELECT id FROM live WHERE kind <> 'retry'))
        LIMIT 1
      ) open ON true
      WHERE open.one IS NULL
    )
    SELECT m.id::text AS "importId", p.id AS "promptId", p.key AS "promptKey", p."campaignId"::text AS "campaignId",
      r.id AS "responseId", r.key, r.model, r.content, r."isNew"
    FROM m JOIN "Prompt" p ON p.id = m.prompt_id
    LEFT JOIN LATERAL (
      SELECT r.id, r.key, r.model, r.content, r."importId" = m.id AS "isNew" FROM "Response" r
      WHERE r."promptId" = m.prompt_id AND (r."importId" = m.id OR ${publishedImport('r')})
      UNION ALL
      SELECT s.id, s.key, s.model, s.content, true FROM stored s WHERE s."importId" = m.id
      OFFSET 0
    ) r ON true
    ORDER BY m.id, r.id`,

  /**
   * Of these import rows (one per job and prompt), those with no open item left, each with the responses its
   * prompt has: its own (`isNew`) and the prompt's published ones; a settled row without any has one row of
   * nulls from `responseId` on. $1 import ids, $2 their prompts' ids (int[]). Ordered by import row, then response.
   * Planner-proof without statistics (a fresh database, PGlite): each import row probes its items and its
   * prompt's responses by index in LATERAL subqueries that cannot be flattened (LIMIT, OFFSET 0); as a join,
   * with no statistics, the plan hashed every response of the campaign (130-1300 ms at 88,000 rows).
   */
  settledPromptResponses: `SELECT m.id::text AS "importId", p.id AS "promptId", p.key AS "promptKey", p."campaignId"::text AS "campaignId",
      r.id AS "responseId", r.key, r.model, r.content, r."isNew"
    FROM unnest($1::uuid[], $2::int[]) AS m(id, prompt_id)
    LEFT JOIN LATERAL (
      SELECT 1 AS one FROM "GenerationItem" i WHERE i."importId" = m.id AND i.status IN ('PENDING', 'LEASED') LIMIT 1
    ) open ON true
    JOIN "Prompt" p ON p.id = m.prompt_id
    LEFT JOIN LATERAL (
      SELECT r.id, r.key, r.model, r.content, r."importId" = m.id AS "isNew" FROM "Response" r
      WHERE r."promptId" = m.prompt_id AND (r."importId" = m.id OR ${publishedImport('r')})
      OFFSET 0
    ) r ON true
    WHERE open.one IS NULL
    ORDER BY m.id, r.id`,

  /**
   * Publishes settled prompts in one statement: inserts their comparisons and ranking tasks, makes their import
   * rows visible (merging each one's result summary), leaves those with fewer than two responses unpublished
   * (a retry may still add one), and marks DONE the jobs with no open item left (a cancelled one stays CANCELLED).
   * Tasks: $1 import ids, $2 campaign ids, $3 prompt ids, $4 response A ids, $5 response B ids, $6 a ranking
   * task's response ids in slot order (an int[] literal such as '{4,9,7}'; null for a pair). $7 import ids to
   * publish, $8 their results (JSON text); $9 import ids with too few responses; $10 job ids.
   * Planner-proof: responses, campaigns and import rows are probed by key (LATERAL ... LIMIT 1, `id = ANY`;
   * `status::text` keeps the import's (campaignId, status) index out); with a fresh database's statistics the
   * joins hashed every response of the campaign twice and every import row at each store.
   */
  publishSettled: `WITH tasks AS (
      INSERT INTO "Comparison" ("campaignId", "promptId", "responseAId", "responseBId", "modelA", "modelB", "target", "importId", slots)
      SELECT u.campaign_id, u.prompt_id, u.a, u.b, ra.model, rb.model, c."votesPerComparison", u.import_id, coalesce(u.slots::int[], '{}')
      FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::int[], $5::int[], $6::text[]) AS u(import_id, campaign_id, prompt_id, a, b, slots)
      CROSS JOIN LATERAL (SELECT c."votesPerComparison" FROM "Campaign" c WHERE c.id = u.campaign_id LIMIT 1) c
      CROSS JOIN LATERAL (SELECT r.model FROM "Response" r WHERE r.id = u.a LIMIT 1) ra
      CROSS JOIN LATERAL (SELECT r.model FROM "Response" r WHERE r.id = u.b LIMIT 1) rb
      ON CONFLICT ("responseAId", "responseBId") DO NOTHING
    ), published AS (
      UPDATE "Import" m SET status = 'PUBLISHED', phase = 'published', "finishedAt" = coalesce(m."finishedAt", now()), "heartbeatAt" = now(),
        result = coalesce(m.result, '{}'::jsonb) || (SELECT u.result::jsonb FROM unnest($7::uuid[], $8::text[]) AS u(id, result) WHERE u.id = m.id)
      WHERE m.id = ANY($7::uuid[])
    ), short AS (
      UPDATE "Import" m SET phase = 'too few responses', "heartbeatAt" = now() WHERE m.id = ANY($9::uuid[]) AND m.status::text = 'RUNNING'
    )
    UPDATE "GenerationJob" j SET status = 'DONE', "finishedAt" = now(), "updatedAt" = now()
    WHERE j.id = ANY($10::uuid[]) AND j.status IN ('QUEUED', 'RUNNING', 'PAUSED')
      AND NOT EXISTS (SELECT 1 FROM "GenerationItem" i WHERE i."jobId" = j.id AND i.status IN ('PENDING', 'LEASED'))`,

  // Job creation, control and progress: not hot, but set-based (unnest, generate_series) or aggregates.

  /**
   * No JIT compilation for the rest of the transaction (set_config(..., true): as SET LOCAL). A job's creation
   * reads and writes one row per prompt or item in a few statements whose cost estimates pass jit_above_cost:
   * Postgres then compiled promptResponseCounts for 5,000 prompts for ~450 ms (847 ms at load 6) against
   * ~95 ms of execution (bench:generate's 20,000 items, a fresh database). No parameters.
   */
  jitOff: "SELECT set_config('jit', 'off', true)",

  /** Published prompts of campaign $1 among ids $2 (int[]), in id order. */
  jobPromptsAmong: `SELECT p."id" FROM "Prompt" p
    WHERE p."campaignId" = $1::uuid AND p."id" = ANY($2::int[]) AND ${publishedImport('p')}
    ORDER BY p."id"`,

  /**
   * Published prompts of campaign $1 without a published response and in no job still open (queued, running
   * or paused: a second click would answer them twice), in id order.
   */
  jobPromptsUnanswered: `SELECT p."id" FROM "Prompt" p
    WHERE p."campaignId" = $1::uuid AND ${publishedImport('p')}
      AND NOT EXISTS (SELECT 1 FROM "Response" r WHERE r."promptId" = p."id" AND ${publishedImport('r')})
      AND NOT EXISTS (SELECT 1 FROM "GenerationJob" j JOIN "GenerationItem" i ON i."jobId" = j."id" AND i."promptId" = p."id"
        WHERE j."campaignId" = $1::uuid AND j."status" IN ('QUEUED', 'RUNNING', 'PAUSED'))
    ORDER BY p."id"`,

  /**
   * Per prompt of $1 (int[]): its responses (published, or of a generation import, format $2, not yet
   * published) plus the open items of jobs that will add one. Rows (promptId, n).
   */
  promptResponseCounts: `SELECT "promptId", sum(n)::int AS n FROM (
      SELECT r."promptId", count(*) AS n FROM "Response" r
      WHERE r."promptId" = ANY($1::int[])
        AND (${publishedImport('r')} OR EXISTS (SELECT 1 FROM "Import" m WHERE m."id" = r."importId" AND m."format" = $2::text))
      GROUP BY 1
      UNION ALL
      SELECT i."promptId", count(*) FROM "GenerationItem" i
      WHERE i."promptId" = ANY($1::int[]) AND i."status" IN ('PENDING', 'LEASED')
      GROUP BY 1
    ) t GROUP BY 1`,

  /**
   * A new job's import-like rows, one per prompt, RUNNING, id md5(job:prompt) so its items find theirs.
   * $1 job id, $2 campaign id, $3 creator's user id (or null), $4 format (GENERATION_FORMAT), $5 prompt ids (int[]).
   */
  insertJobImports: `INSERT INTO "Import" ("id", "campaignId", "createdById", "format", "status", "phase", "result")
    SELECT md5($1::text || ':' || p)::uuid, $2::uuid, $3::uuid, $4::text, 'RUNNING', 'generating',
      jsonb_build_object('generationJobId', $1::text, 'promptId', p)
    FROM unnest($5::int[]) AS p`,

  /**
   * A new job takes over the responses its prompts were left with by earlier jobs that settled short of two
   * (a generation import row still RUNNING with no open item): they move to the new job's import row, so they
   * publish with its responses and are paired with them; the old row is marked as continued. A row whose job
   * is retrying its failed items keeps its own. $1 job id, $2 format (GENERATION_FORMAT), $3 prompt ids (int[]).
   */
  adoptShortResponses: `WITH short AS (
      SELECT DISTINCT m."id" FROM "Response" r JOIN "Import" m ON m."id" = r."importId"
      WHERE r."promptId" = ANY($3::int[]) AND m."format" = $2::text AND m."status" = 'RUNNING'
        AND NOT EXISTS (SELECT 1 FROM "GenerationItem" i WHERE i."importId" = m."id" AND i."status" IN ('PENDING', 'LEASED'))
    ), moved AS (
      UPDATE "Response" r SET "importId" = md5($1::text || ':' || r."promptId")::uuid
      WHERE r."importId" IN (SELECT "id" FROM short)
    )
    UPDATE "Import" m SET "phase" = 'continued by a later job', "heartbeatAt" = now() WHERE m."id" IN (SELECT "id" FROM short)`,

  /** A new job's items: one per prompt $2 (int[]) x endpoint $3 (uuid[]) x sample 0..$4-1, of job $1. Returns the count inserted. */
  insertJobItems: `INSERT INTO "GenerationItem" ("jobId", "promptId", "endpointId", "sample", "importId")
    SELECT $1::uuid, p, e, s, md5($1::text || ':' || p)::uuid
    FROM unnest($2::int[]) AS p, unnest($3::uuid[]) AS e, generate_series(0, $4::int - 1) AS s
    ORDER BY p, s, e`,

  /** What the worker needs of jobs $1 (uuid[]): their params and options, and their campaign's seed, pairing and design. */
  jobContexts: `SELECT j."id", j."campaignId", j."params", j."options", c."seed" AS "campaignSeed", c."pairing", c."design"
    FROM "GenerationJob" j JOIN "Campaign" c ON c."id" = j."campaignId" WHERE j."id" = ANY($1::uuid[])`,

  /** Job $1 to status $2 if its status is one of $3 (text[]); finishedAt set for CANCELLED and DONE. Count of rows changed (0 or 1). */
  setJobStatus: `UPDATE "GenerationJob" SET "status" = $2::text::"GenerationJobStatus", "updatedAt" = now(),
      "finishedAt" = CASE WHEN $2::text IN ('CANCELLED', 'DONE') THEN now() ELSE NULL END
    WHERE "id" = $1::uuid AND "status"::text = ANY($3::text[])`,

  /** Job $1's open items are cancelled (a request in flight finds its lease gone and its result dropped). */
  cancelOpenItems: `UPDATE "GenerationItem" SET "status" = 'CANCELLED', "leaseToken" = NULL, "finishedAt" = now()
    WHERE "jobId" = $1::uuid AND "status" IN ('PENDING', 'LEASED')`,

  /** Import rows of job $1's prompts that are not published, with their prompt: (importId, promptId). */
  unpublishedImports: `SELECT DISTINCT i."importId"::text AS "importId", i."promptId" FROM "GenerationItem" i JOIN "Import" m ON m."id" = i."importId"
    WHERE i."jobId" = $1::uuid AND m."status" = 'RUNNING'`,

  /** Job $1's failed items back to the queue with a fresh attempt count; count of rows changed. */
  requeueFailedItems: `UPDATE "GenerationItem" SET "status" = 'PENDING', "attempts" = 0, "notBefore" = now(), "finishedAt" = NULL
    WHERE "jobId" = $1::uuid AND "status" = 'FAILED'`,

  /** Job $1's counts from its items (no counter kept on the job: nothing to drift); `recent`: finished in the last minute. One row. */
  jobProgress: `SELECT count(*)::int AS total,
      count(*) FILTER (WHERE i."status" = 'DONE')::int AS done,
      count(*) FILTER (WHERE i."status" = 'FAILED')::int AS failed,
      count(*) FILTER (WHERE i."status" = 'LEASED' AND i."leaseUntil" > now())::int AS running,
      count(*) FILTER (WHERE i."outcome" = 'empty')::int AS empty,
      count(*) FILTER (WHERE i."outcome" = 'truncated')::int AS "truncatedExcluded",
      count(*) FILTER (WHERE i."outcome" = 'response' AND i."finishReason" = 'length')::int AS "truncatedKept",
      coalesce(sum(i."tokensIn"), 0)::int AS "tokensIn",
      coalesce(sum(i."tokensOut"), 0)::int AS "tokensOut",
      count(*) FILTER (WHERE i."status" IN ('DONE', 'FAILED') AND i."finishedAt" > now() - interval '1 minute')::int AS recent,
      count(DISTINCT i."importId")::int AS prompts,
      (SELECT count(*)::int FROM "Import" m WHERE m."id" IN (SELECT "importId" FROM "GenerationItem" WHERE "jobId" = $1::uuid) AND m."status" = 'PUBLISHED') AS "promptsPublished"
    FROM "GenerationItem" i WHERE i."jobId" = $1::uuid`,

  /** Job $1's first $2 (int) failed items in id order, with their endpoint's name and last error; the id as text. */
  jobFailures: `SELECT i."id"::text AS id, i."promptId", p."externalId" AS "promptExternalId", e."name" AS endpoint, i."sample", i."attempts", i."lastError"
    FROM "GenerationItem" i JOIN "ModelEndpoint" e ON e."id" = i."endpointId" JOIN "Prompt" p ON p."id" = i."promptId"
    WHERE i."jobId" = $1::uuid AND i."status" = 'FAILED' ORDER BY i."id" LIMIT $2::int`,
} as const;
