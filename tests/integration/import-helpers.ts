// Shared by the import and campaign tests: a campaign per test, uploads through the API, and row counts.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Test } from 'supertest';
import { client, type TestUser } from '../helpers/app';

export async function newCampaign(app: FastifyInstance, admin: TestUser, body: Record<string, unknown> = {}): Promise<string> {
  const res = await client(app, admin)
    .post('/api/campaigns')
    .send({ name: `Campaign ${Math.random().toString(36).slice(2)}`, ...body })
    .expect(201);
  return res.body.id as string;
}

/** Opens a campaign to raters the way a script does after its import: one PATCH (answering the content warning with none). */
export async function activateCampaign(app: FastifyInstance, admin: TestUser, campaignId: string): Promise<void> {
  await client(app, admin).patch(`/api/campaigns/${campaignId}`).send({ status: 'ACTIVE', contentWarning: null }).expect(200);
}

/** Sends `body` byte for byte (superagent would otherwise JSON-encode a Buffer sent as application/json). */
export function upload(app: FastifyInstance, admin: TestUser, campaignId: string, body: string | Buffer, contentType: string, query = ''): Test {
  return client(app, admin)
    .post(`/api/campaigns/${campaignId}/imports${query}`)
    .set('content-type', contentType)
    .serialize((data: unknown) => data as string)
    .send(body);
}

/** Answer files as multipart: the questions file, then every file of `answersDir`. */
export function uploadAnswerFiles(app: FastifyInstance, admin: TestUser, campaignId: string, questions: string, answersDir: string, query = ''): Test {
  let req = client(app, admin).post(`/api/campaigns/${campaignId}/imports${query}`).attach('questions', questions);
  for (const name of readdirSync(answersDir).sort()) req = req.attach('answers', path.join(answersDir, name));
  return req;
}

/** Every staged or published row in the database, whatever its import. */
export async function rowCounts(app: FastifyInstance): Promise<Record<string, number>> {
  const { prisma } = app.ctx.db;
  const [prompts, responses, comparisons, judgments] = await Promise.all([
    prisma.prompt.count(),
    prisma.response.count(),
    prisma.comparison.count(),
    prisma.judgment.count(),
  ]);
  return { prompts, responses, comparisons, judgments };
}
