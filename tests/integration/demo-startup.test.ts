// A first start on an empty database: a setup link, the demo campaign, and a first admin who can rate it at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStartupTasks } from '../../server/services/startup';
import { client, startTestApp, type TestApp } from '../helpers/app';

describe('first start with the demo', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { JUXTA_DEMO: 'true' } });
  });
  afterAll(async () => t.close());

  it('prints the setup link and the demo; the first admin rates the demo right after setting up', async () => {
    const lines = await runStartupTasks(t.app.ctx);
    const token = /\/setup\/(\S+) /.exec(lines[0] ?? '')?.[1];
    expect(token, lines.join('\n')).toBeDefined();
    const demoLine = lines.find((l) => l.startsWith('Demo campaign'));
    expect(demoLine).toMatch(/^Demo campaign \(79 prompts, 790 comparisons\): http:\/\/juxta\.test\/campaigns\/[0-9a-f-]{36}/);

    const accepted = await client(t.app)
      .post(`/api/invites/${token}/accept`)
      .send({ name: 'First Admin', email: 'first@juxta.test', password: 'correct horse battery' })
      .expect(200);
    const cookie = (accepted.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
    const me = await client(t.app).get('/api/me').set('Cookie', cookie).expect(200);
    expect(me.body.campaigns).toHaveLength(1);
    const next = await client(t.app).get(`/api/campaigns/${me.body.campaigns[0].id}/assignments/next`).set('Cookie', cookie).expect(200);
    expect(next.body.assignment.left.content.length).toBeGreaterThan(0);

    // A restart does not seed a second demo.
    const again = await runStartupTasks(t.app.ctx);
    expect(again.some((l) => l.startsWith('Demo campaign'))).toBe(false);
  });
});
