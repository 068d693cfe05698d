// The campaign lifecycle through the API: new campaigns are drafts, the allowed status changes, the checks
// on going active, raters refused outside Active, archived campaigns out of the list, and deleting a
// campaign (Draft or Archived only, never during an import or a generation job, every row of it and nothing else, resumed after
// a crash).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATUS_CHANGES, type TCampaignStatus as CampaignStatus } from '../../server/contract/campaign';
import { finishInterruptedDeletes } from '../../server/services/campaigns/delete-campaign';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { activateCampaign, newCampaign, upload } from './import-helpers';

let t: TestApp;
let admin: TestUser;
beforeAll(async () => {
  t = await startTestApp();
  admin = await createUser(t.app, 'ADMIN');
});
afterAll(async () => t.close());

const api = () => client(t.app, admin);
const promptSet = (prompts: number, tag = randomUUID().slice(0, 6)) =>
  Array.from({ length: prompts }, (_, i) =>
    JSON.stringify({ id: `${tag}-${i}`, prompt: `prompt ${tag} ${i}`, responses: ['m1', 'm2', 'm3'].map((m) => ({ model: m, content: `${m} answers ${tag} ${i}` })) }),
  ).join('\n');

/** A campaign with comparisons, its content warning answered, in the given status. */
async function campaignIn(status: CampaignStatus): Promise<string> {
  const id = await newCampaign(t.app, admin);
  await upload(t.app, admin, id, promptSet(2), 'application/x-ndjson').expect(201);
  if (status === 'DRAFT') {
    await api().patch(`/api/campaigns/${id}`).send({ contentWarning: null }).expect(200);
    return id;
  }
  await activateCampaign(t.app, admin, id);
  if (status === 'PAUSED' || status === 'ARCHIVED') await api().patch(`/api/campaigns/${id}`).send({ status }).expect(200);
  return id;
}

describe('status', () => {
  it('a new campaign is a draft with its content warning unanswered, unless the request says otherwise', async () => {
    const res = await api().post('/api/campaigns').send({ name: 'Fresh' }).expect(201);
    expect(res.body).toMatchObject({ status: 'DRAFT', contentWarning: null, contentWarningReviewed: false });
    const warned = await api().post('/api/campaigns').send({ name: 'Warned', contentWarning: 'Some answers discuss violence.' }).expect(201);
    expect(warned.body).toMatchObject({ status: 'DRAFT', contentWarningReviewed: true });
  });

  it('refuses going active without comparisons or an answered content warning, naming what is missing, and changes nothing', async () => {
    const id = await newCampaign(t.app, admin);
    const empty = await api().patch(`/api/campaigns/${id}`).send({ status: 'ACTIVE' }).expect(409);
    expect(empty.body.error.code).toBe('CAMPAIGN_NOT_READY');
    expect(empty.body.error.details.missing).toEqual(['comparisons', 'contentWarning']);
    expect(empty.body.error.message).toMatch(/no comparisons yet: import a prompt set/);
    expect(empty.body.error.message).toMatch(/content warning is not answered/);

    await upload(t.app, admin, id, promptSet(1), 'application/x-ndjson').expect(201);
    const unanswered = await api().patch(`/api/campaigns/${id}`).send({ status: 'ACTIVE', name: 'renamed' }).expect(409);
    expect(unanswered.body.error.details.missing).toEqual(['contentWarning']);
    expect((await api().get(`/api/campaigns/${id}`).expect(200)).body).toMatchObject({ status: 'DRAFT', name: expect.not.stringMatching('renamed') });

    // "None needed" is an answer: the flag alone, then the change goes through.
    await api().patch(`/api/campaigns/${id}`).send({ contentWarningReviewed: true }).expect(200);
    const active = await api().patch(`/api/campaigns/${id}`).send({ status: 'ACTIVE' }).expect(200);
    expect(active.body).toMatchObject({ status: 'ACTIVE', contentWarning: null, contentWarningReviewed: true });
  });

  it('allows exactly draft -> active, active <-> paused, any -> archived, archived -> paused', async () => {
    const all: CampaignStatus[] = ['DRAFT', 'ACTIVE', 'PAUSED', 'ARCHIVED'];
    const seen: string[] = [];
    for (const from of all) {
      for (const to of all.filter((s) => s !== from)) {
        const id = await campaignIn(from);
        const res = await api().patch(`/api/campaigns/${id}`).send({ status: to });
        seen.push(`${from}->${to}:${res.status}`);
        if (res.status === 409) {
          expect(res.body.error.code).toBe('STATUS_CHANGE_NOT_ALLOWED');
          expect(res.body.error.message).toContain(`can become ${STATUS_CHANGES[from].map((s) => s.toLowerCase()).join(' or ')}`);
          expect((await api().get(`/api/campaigns/${id}`).expect(200)).body.status).toBe(from);
        }
      }
    }
    expect(seen).toEqual([
      'DRAFT->ACTIVE:200',
      'DRAFT->PAUSED:409',
      'DRAFT->ARCHIVED:200',
      'ACTIVE->DRAFT:409',
      'ACTIVE->PAUSED:200',
      'ACTIVE->ARCHIVED:200',
      'PAUSED->DRAFT:409',
      'PAUSED->ACTIVE:200',
      'PAUSED->ARCHIVED:200',
      'ARCHIVED->DRAFT:409',
      'ARCHIVED->ACTIVE:409',
      'ARCHIVED->PAUSED:200',
    ]);
  });

  it('refuses a rater a comparison from a draft, paused or archived campaign with CAMPAIGN_NOT_ACTIVE, and serves an active one', async () => {
    for (const status of ['DRAFT', 'PAUSED', 'ARCHIVED'] as const) {
      const id = await campaignIn(status);
      const rater = await createUser(t.app, 'RATER', [id]);
      const res = await client(t.app, rater).get(`/api/campaigns/${id}/assignments/next`).expect(409);
      expect(res.body.error.code, status).toBe('CAMPAIGN_NOT_ACTIVE');
    }
    const id = await campaignIn('ACTIVE');
    const rater = await createUser(t.app, 'RATER', [id]);
    await client(t.app, rater).get(`/api/campaigns/${id}/assignments/next`).expect(200);
  });

  it('leaves archived campaigns out of the list unless asked for', async () => {
    const archived = await campaignIn('ARCHIVED');
    const draft = await newCampaign(t.app, admin);
    const ids = (res: { body: { campaigns: { id: string }[] } }) => res.body.campaigns.map((c) => c.id);
    const plain = await api().get('/api/campaigns').expect(200);
    expect(ids(plain)).toContain(draft);
    expect(ids(plain)).not.toContain(archived);
    const all = await api().get('/api/campaigns?archived=true').expect(200);
    expect(ids(all)).toEqual(expect.arrayContaining([draft, archived]));
    await api().get('/api/campaigns?archived=maybe').expect(400);
  });
});

/** Rows of every table that holds campaign data, split into this campaign's and everybody else's. */
async function rowsByCampaign(campaignId: string) {
  const { prisma } = t.app.ctx.db;
  const tables = {
    prompt: prisma.prompt,
    response: prisma.response,
    comparison: prisma.comparison,
    assignment: prisma.assignment,
    judgment: prisma.judgment,
    flag: prisma.flag,
    import: prisma.import,
    campaignMember: prisma.campaignMember,
    campaignReviewer: prisma.campaignReviewer,
    campaignGuideline: prisma.campaignGuideline,
    raterExclusion: prisma.raterExclusion,
    invite: prisma.invite,
  } as unknown as Record<string, { count(args?: object): Promise<number> }>;
  const mine: Record<string, number> = {};
  const others: Record<string, number> = {};
  for (const [name, table] of Object.entries(tables)) {
    mine[name] = await table.count({ where: { campaignId } });
    others[name] = (await table.count()) - mine[name]!;
  }
  mine.campaign = await prisma.campaign.count({ where: { id: campaignId } });
  others.campaign = (await prisma.campaign.count()) - mine.campaign;
  others.user = await prisma.user.count();
  return { mine, others };
}

/** An active campaign with judgments, a flag, an exclusion, an invite and a reviewer: a row in every table. */
async function busyCampaign(): Promise<string> {
  const id = await campaignIn('ACTIVE');
  const raters = [await createUser(t.app, 'RATER', [id]), await createUser(t.app, 'RATER', [id])];
  for (const rater of raters) {
    for (let i = 0; i < 2; i++) {
      const next = await client(t.app, rater).get(`/api/campaigns/${id}/assignments/next?prefetch=0`).expect(200);
      await client(t.app, rater)
        .post(`/api/assignments/${next.body.assignment.id}/judgment`)
        .send({ choice: 'left', timeMs: 3000, idempotencyKey: randomUUID() })
        .expect(200);
    }
  }
  const next = await client(t.app, raters[0]!).get(`/api/campaigns/${id}/assignments/next?prefetch=0`).expect(200);
  await client(t.app, raters[0]!).post(`/api/assignments/${next.body.assignment.id}/flag`).send({ reason: 'harmful', target: 'left' }).expect(200);
  await api().post(`/api/campaigns/${id}/raters/${raters[1]!.id}/exclude`).send({ reason: 'test' }).expect(200);
  await api().post('/api/invites').send({ role: 'RATER', campaignId: id }).expect(201);
  await api().post(`/api/campaigns/${id}/reviewers`).send({ userId: (await createUser(t.app)).id }).expect(200);
  return id;
}

describe('delete', () => {
  it('refuses an active or paused campaign, and an unknown one', async () => {
    for (const status of ['ACTIVE', 'PAUSED'] as const) {
      const id = await campaignIn(status);
      const res = await api().delete(`/api/campaigns/${id}`).expect(409);
      expect(res.body.error.code).toBe('CAMPAIGN_NOT_DELETABLE');
      expect(res.body.error.message).toMatch(/Archive it first/);
      await api().get(`/api/campaigns/${id}`).expect(200);
    }
    await api().delete(`/api/campaigns/${randomUUID()}`).expect(404);
  });

  it('removes every row of an archived campaign and nothing else', async () => {
    const keep = await busyCampaign();
    const id = await busyCampaign();
    await api().patch(`/api/campaigns/${id}`).send({ status: 'ARCHIVED' }).expect(200);
    const before = await rowsByCampaign(id);
    for (const [table, rows] of Object.entries(before.mine)) expect(rows, table).toBeGreaterThan(0);

    await api().delete(`/api/campaigns/${id}`).expect(204);
    // Recorded, and the record outlives the campaign: who, when, what went.
    const audit = await t.app.ctx.db.prisma.auditEvent.findMany({ where: { campaignId: id, action: { in: ['campaign.status', 'campaign.delete'] } }, orderBy: { id: 'asc' } });
    expect(audit.map((row) => [row.action, row.actor])).toEqual([
      ['campaign.status', admin.id],
      ['campaign.status', admin.id],
      ['campaign.delete', admin.id],
    ]);
    expect(audit[1]!.after).toMatchObject({ status: 'ARCHIVED' });
    expect(audit[2]!.before).toMatchObject({ status: 'ARCHIVED', comparisons: 6, judgments: 4 });
    const after = await rowsByCampaign(id);
    expect(Object.values(after.mine).every((rows) => rows === 0), JSON.stringify(after.mine)).toBe(true);
    expect(after.others).toEqual(before.others);
    await api().get(`/api/campaigns/${id}`).expect(404);
    await api().get(`/api/campaigns/${keep}`).expect(200);
    await api().delete(`/api/campaigns/${id}`).expect(404);
  });

  it('deletes a draft, and refuses while an import into it runs', async () => {
    const id = await newCampaign(t.app, admin);
    const running = await t.app.ctx.db.prisma.import.create({ data: { id: randomUUID(), campaignId: id, format: 'native' } });
    const res = await api().delete(`/api/campaigns/${id}`).expect(409);
    expect(res.body.error).toMatchObject({ code: 'CAMPAIGN_NOT_DELETABLE', details: { importId: running.id } });
    expect(res.body.error.message).toMatch(/import into this campaign is running/);
    await t.app.ctx.db.prisma.import.update({ where: { id: running.id }, data: { status: 'FAILED' } });
    await api().delete(`/api/campaigns/${id}`).expect(204);
  });

  it('refuses while a generation job of the campaign is queued, running or paused; deletes once it is cancelled', async () => {
    const id = await newCampaign(t.app, admin);
    const job = await t.app.ctx.db.prisma.generationJob.create({ data: { campaignId: id, samples: 1, options: {} } });
    for (const status of ['QUEUED', 'RUNNING', 'PAUSED'] as const) {
      await t.app.ctx.db.prisma.generationJob.update({ where: { id: job.id }, data: { status } });
      const res = await api().delete(`/api/campaigns/${id}`).expect(409);
      expect(res.body.error).toMatchObject({ code: 'CAMPAIGN_NOT_DELETABLE', details: { generationJobId: job.id, jobStatus: status } });
      expect(res.body.error.message).toContain(`generation job of this campaign is ${status.toLowerCase()}`);
      await api().get(`/api/campaigns/${id}`).expect(200);
    }
    await t.app.ctx.db.prisma.generationJob.update({ where: { id: job.id }, data: { status: 'CANCELLED' } });
    await api().delete(`/api/campaigns/${id}`).expect(204);
    expect(await t.app.ctx.db.prisma.generationJob.count({ where: { id: job.id } })).toBe(0);
  });

  it('a delete cut short by a crash is invisible at once and finished at start-up', async () => {
    const id = await busyCampaign();
    await api().patch(`/api/campaigns/${id}`).send({ status: 'ARCHIVED' }).expect(200);
    const before = await rowsByCampaign(id);
    // What a crash leaves: the mark set, the rows still there.
    await t.app.ctx.db.prisma.campaign.update({ where: { id }, data: { deletingAt: new Date() } });
    await api().get(`/api/campaigns/${id}`).expect(404);
    expect((await api().get('/api/campaigns?archived=true').expect(200)).body.campaigns.map((c: { id: string }) => c.id)).not.toContain(id);
    await upload(t.app, admin, id, promptSet(1), 'application/x-ndjson').expect(404);

    expect(await finishInterruptedDeletes(t.app.ctx)).toBe(1);
    const after = await rowsByCampaign(id);
    expect(Object.values(after.mine).every((rows) => rows === 0)).toBe(true);
    expect(after.others).toEqual(before.others);
  });
});
