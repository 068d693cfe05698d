// Every /api route Fastify registered, called by every kind of caller, checked against the access it
// declares. A route missing from ROUTES fails the test: add yours (and say which callers it refuses).
import { randomUUID } from 'node:crypto';
import type { RouteOptions } from 'fastify';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_SCOPES, type TokenScope } from '../../server/contract/api-tokens';
import type { Access, RouteScope } from '../../server/plugins/auth';
import { SESSION_COOKIE } from '../../server/plugins/auth';
import { hashSecret, newSecret } from '../../server/services/auth/secrets';
import { createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { createCampaign } from '../helpers/auth';

/**
 * The member is a rater of the campaign in the path (`:id` of /campaigns/:id/...); the outsider rates another
 * one; the reviewer reviews the campaign in the path (without the right to export).
 */
const CALLERS = ['anonymous', 'expired', 'member', 'outsider', 'reviewer', 'token', 'admin'] as const;
type Caller = (typeof CALLERS)[number];

interface RouteExpectation {
  access: Access;
  /** The API token scope the route needs (every route a token can reach says it; `any`: every token). */
  scope?: RouteScope;
  /** Callers this route refuses with 403 although its access level lets them in (membership, cookie-only). */
  forbidden?: Caller[];
}

const ROUTES: Record<string, RouteExpectation> = {
  'GET /api/health': { access: 'public' },
  'GET /api/health/live': { access: 'public' },
  'GET /api/health/ready': { access: 'public' },
  // outside /api: only Authorization: Bearer <METRICS_TOKEN> (tests/integration/metrics.test.ts), so every caller here gets 401
  'GET /metrics': { access: 'metrics' },
  // accounts
  'POST /api/auth/login': { access: 'public' },
  'POST /api/auth/logout': { access: 'public' },
  // single sign-on: public, 404 while OIDC_ISSUER_URL is unset (tests/integration/auth-sso.test.ts has it on)
  'GET /api/auth/sso': { access: 'public' },
  'GET /api/auth/sso/start': { access: 'public' },
  'POST /api/auth/sso/callback': { access: 'public' },
  // linking your account to the provider: from a logged-in session only (404 while SSO is off)
  'POST /api/me/sso/link': { access: 'user', scope: 'admin', forbidden: ['token'] },
  'GET /api/me': { access: 'user', scope: 'any' },
  'POST /api/invites': { access: 'admin', scope: 'admin' },
  'POST /api/invites/bulk': { access: 'admin', scope: 'admin' },
  'GET /api/invites': { access: 'admin', scope: 'admin' },
  'DELETE /api/invites/:id': { access: 'admin', scope: 'admin' },
  'GET /api/invites/:token': { access: 'public' },
  'POST /api/invites/:token/accept': { access: 'public' },
  'POST /api/tokens': { access: 'admin', scope: 'admin', forbidden: ['token'] },
  'GET /api/tokens': { access: 'admin', scope: 'admin' },
  'DELETE /api/tokens/:id': { access: 'admin', scope: 'admin' },
  'GET /api/users': { access: 'admin', scope: 'admin' },
  'POST /api/users/:id/deactivate': { access: 'admin', scope: 'admin' },
  // session only (config.sessionOnly): a token, whatever its scopes, must not bring an account back
  'POST /api/users/:id/activate': { access: 'admin', scope: 'admin', forbidden: ['token'] },
  'POST /api/users/:id/role': { access: 'admin', scope: 'admin', forbidden: ['token'] },
  'POST /api/users/:id/password-reset': { access: 'admin', scope: 'admin', forbidden: ['token'] },
  // your own account: from a logged-in session only
  'POST /api/me/password': { access: 'user', scope: 'admin', forbidden: ['token'] },
  'GET /api/me/sessions': { access: 'user', scope: 'admin', forbidden: ['token'] },
  'DELETE /api/me/sessions/:id': { access: 'user', scope: 'admin', forbidden: ['token'] },
  'POST /api/auth/password-reset': { access: 'public' },
  'GET /api/password-resets/:token': { access: 'public' },
  'POST /api/password-resets/:token': { access: 'public' },
  'POST /api/campaigns/:id/members': { access: 'admin', scope: 'admin' },
  'GET /api/campaigns/:id/members': { access: 'admin', scope: 'admin' },
  'POST /api/campaigns/:id/reviewers': { access: 'admin', scope: 'admin', forbidden: ['token'] },
  'GET /api/campaigns/:id/reviewers': { access: 'admin', scope: 'admin' },
  // campaign join links: made only from a session (a link that makes accounts must not outlive a token's revocation)
  'GET /api/campaigns/:id/join-link': { access: 'admin', scope: 'admin' },
  'POST /api/campaigns/:id/join-link': { access: 'admin', scope: 'admin', forbidden: ['token'] },
  'DELETE /api/campaigns/:id/join-link': { access: 'admin', scope: 'admin' },
  'GET /api/join/:token': { access: 'public' },
  'POST /api/join/:token': { access: 'public' },
  'DELETE /api/campaigns/:id/reviewers/:userId': { access: 'admin', scope: 'admin', forbidden: ['token'] },
  // campaigns and imports
  'POST /api/campaigns': { access: 'admin', scope: 'campaigns:write' },
  'GET /api/campaigns': { access: 'admin', scope: 'any' },
  'GET /api/campaigns/:id': { access: 'reviewer', scope: 'any' },
  'PATCH /api/campaigns/:id': { access: 'admin', scope: 'campaigns:write' },
  'DELETE /api/campaigns/:id': { access: 'admin', scope: 'campaigns:write' },
  'POST /api/campaigns/:id/imports': { access: 'admin', scope: 'import:write' },
  'GET /api/imports/:id': { access: 'admin', scope: 'import:write' },
  'GET /api/campaigns/:id/imports': { access: 'admin', scope: 'import:write' },
  // rating: only the campaign's raters get work (an admin joins through POST /api/campaigns/:id/members)
  'GET /api/campaigns/:id/assignments/next': { access: 'user', scope: 'admin', forbidden: ['outsider', 'reviewer', 'admin', 'token'] },
  'GET /api/campaigns/:id/brief': { access: 'user', scope: 'admin', forbidden: ['outsider', 'reviewer', 'admin', 'token'] },
  'POST /api/assignments/:id/judgment': { access: 'user', scope: 'admin' },
  'POST /api/assignments/:id/skip': { access: 'user', scope: 'admin' },
  'POST /api/assignments/:id/flag': { access: 'user', scope: 'admin' },
  'POST /api/assignments/:id/undo': { access: 'user', scope: 'admin' },
  // results
  'GET /api/campaigns/:id/export': { access: 'reviewer-export', scope: 'export:read' },
  'GET /api/campaigns/:id/export/count': { access: 'reviewer-export', scope: 'export:read' },
  'GET /api/campaigns/:id/export/card': { access: 'reviewer-export', scope: 'export:read' },
  'GET /api/campaigns/:id/stats': { access: 'admin', scope: 'stats:read' },
  'GET /api/campaigns/:id/raters': { access: 'admin', scope: 'stats:read' },
  // generation
  'POST /api/model-endpoints': { access: 'admin', scope: 'admin' },
  'GET /api/model-endpoints': { access: 'admin', scope: 'admin' },
  'GET /api/model-endpoints/:id': { access: 'admin', scope: 'admin' },
  'PATCH /api/model-endpoints/:id': { access: 'admin', scope: 'admin' },
  'DELETE /api/model-endpoints/:id': { access: 'admin', scope: 'admin' },
  'POST /api/model-endpoints/:id/test': { access: 'admin', scope: 'admin' },
  'POST /api/campaigns/:id/generation-jobs': { access: 'admin', scope: 'admin' },
  'GET /api/campaigns/:id/generation-jobs': { access: 'admin', scope: 'admin' },
  'GET /api/generation-jobs/:id': { access: 'admin', scope: 'admin' },
  'POST /api/generation-jobs/:id/pause': { access: 'admin', scope: 'admin' },
  'POST /api/generation-jobs/:id/resume': { access: 'admin', scope: 'admin' },
  'POST /api/generation-jobs/:id/cancel': { access: 'admin', scope: 'admin' },
  'POST /api/generation-jobs/:id/retry-failed': { access: 'admin', scope: 'admin' },
  'GET /api/audit': { access: 'admin', scope: 'admin' },
  'GET /api/campaigns/:id/rater-pairs': { access: 'admin', scope: 'stats:read' },
  'POST /api/campaigns/:id/raters/:userId/exclude': { access: 'admin', scope: 'admin' },
  'POST /api/campaigns/:id/raters/:userId/include': { access: 'admin', scope: 'admin' },
  // review
  'GET /api/campaigns/:id/comparisons': { access: 'reviewer', scope: 'admin' },
  'GET /api/comparisons/:id': { access: 'reviewer', scope: 'admin' },
  'GET /api/campaigns/:id/flags': { access: 'reviewer', scope: 'admin' },
  'POST /api/flags/:id/dismiss': { access: 'reviewer', scope: 'admin' },
  'POST /api/flags/:id/reopen': { access: 'reviewer', scope: 'admin' },
  'POST /api/comparisons/:id/remove': { access: 'reviewer', scope: 'admin' },
  'POST /api/comparisons/:id/restore': { access: 'reviewer', scope: 'admin' },
  'POST /api/responses/:id/mark-broken': { access: 'reviewer', scope: 'admin' },
  'POST /api/responses/:id/unmark-broken': { access: 'reviewer', scope: 'admin' },
  'POST /api/comparisons/:id/adjudicate': { access: 'reviewer', scope: 'admin' },
  'POST /api/comparisons/:id/withdraw-adjudication': { access: 'reviewer', scope: 'admin' },
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const CROSS_SITE: Record<string, string>[] = [{ Origin: 'https://evil.example' }, { 'Sec-Fetch-Site': 'cross-site' }];

interface Fixture {
  member: TestUser;
  outsider: TestUser;
  reviewer: TestUser;
  admin: TestUser;
  token: string;
}

/** Routes that name no campaign in their path but find it from the thing they act on (config.campaignOf). */
const CAMPAIGN_FOUND: Record<string, (t: TestApp, campaignId: string) => Promise<string>> = {
  'GET /api/imports/:id': async (t, campaignId) => {
    const id = randomUUID();
    await t.app.ctx.db.prisma.import.create({ data: { id, campaignId, format: 'native', status: 'PUBLISHED' } });
    return `/api/imports/${id}`;
  },
};
/** Routes that answer a campaign-limited token whatever its campaigns: lists that leave out the others, the caller's own account. */
const CAMPAIGN_FREE = new Set(['GET /api/campaigns', 'GET /api/me']);

describe('route access', () => {
  let t: TestApp;
  const routes: RouteOptions[] = [];
  let f: Fixture;

  beforeAll(async () => {
    t = await startTestApp({ env: { METRICS_TOKEN: `metrics-${randomUUID()}` }, overrides: { onRoute: (route) => routes.push(route) } });
    const admin = await createUser(t.app, 'ADMIN');
    const elsewhere = await createCampaign(t.app);
    f = {
      member: await createUser(t.app),
      outsider: await createUser(t.app, 'RATER', [elsewhere.id]),
      reviewer: await createUser(t.app),
      admin,
      token: await tokenFor(admin, ['admin']),
    };
  });
  afterAll(async () => t.close());

  /** "METHOD /path" of every /api route and every other route that is not public, HEAD left out (Fastify adds one per GET). */
  const apiRoutes = () =>
    routes
      .filter((r) => r.url.startsWith('/api/') || (r.config?.access ?? 'public') !== 'public')
      .flatMap((r) =>
        [r.method].flat().map((method) => ({
          key: `${method} ${r.url}`,
          method,
          url: r.url,
          access: r.config?.access,
          scope: r.config?.scope,
          sessionOnly: r.config?.sessionOnly,
        })),
      )
      .filter((r) => r.method !== 'HEAD');

  /** An API token of the admin with these scopes, limited to these campaigns (none: every campaign). */
  async function tokenFor(owner: TestUser, scopes: TokenScope[], campaignIds: string[] = []): Promise<string> {
    const token = newSecret(t.app.ctx.random, 'jxt');
    await t.app.ctx.db.prisma.apiToken.create({
      data: { name: 'route access', tokenHash: hashSecret(token), prefix: token.slice(0, 12), userId: owner.id, scopes, campaignIds },
    });
    return token;
  }

  /** A fresh session per call, so a route that logs out or rotates cannot spoil the next call. */
  async function sessionFor(user: TestUser, expired = false): Promise<string> {
    const session = newSecret(t.app.ctx.random, 'jxs');
    const now = Date.now();
    await t.app.ctx.db.prisma.session.create({
      data: { userId: user.id, tokenHash: hashSecret(session), expiresAt: new Date(expired ? now - 1000 : now + 86_400_000) },
    });
    return session;
  }

  async function call(method: string, url: string, caller: Caller, headers: Record<string, string> = {}, token = f.token) {
    const req = request(t.app.server)[method.toLowerCase() as 'get'](url).set('Origin', t.app.ctx.config.publicUrl).set(headers);
    if (caller === 'token') req.set('Authorization', `Bearer ${token}`);
    else if (caller !== 'anonymous') {
      const user = caller === 'expired' ? f.member : f[caller];
      req.set('Cookie', `${SESSION_COOKIE}=${await sessionFor(user, caller === 'expired')}`);
    }
    return SAFE_METHODS.has(method) ? req : req.send({});
  }

  /** The path with its parameters filled: the campaign the member rates for a campaign's `:id`, random values elsewhere. */
  async function concreteUrl(url: string): Promise<string> {
    return (await concreteRequest(url)).url;
  }

  /** The path filled, and the campaign it acts on when it names (or leads to) one. */
  async function concreteRequest(url: string, key?: string): Promise<{ url: string; campaignId: string | null }> {
    let campaignId: string | null = null;
    const found = key ? CAMPAIGN_FOUND[key] : undefined;
    if (url.startsWith('/api/campaigns/:id') || found) {
      campaignId = (await createCampaign(t.app)).id;
      await t.app.ctx.db.prisma.campaignMember.create({ data: { campaignId, userId: f.member.id } });
      await t.app.ctx.db.prisma.campaignReviewer.create({ data: { campaignId, userId: f.reviewer.id } });
    }
    if (found) return { url: await found(t, campaignId!), campaignId };
    const filled = url.replace(/:(\w+)/g, (_m, name: string) =>
      name === 'id' && campaignId ? campaignId : name === 'token' ? `jxi_${randomUUID()}` : randomUUID(),
    );
    return { url: filled, campaignId };
  }

  function expected(route: RouteExpectation, caller: Caller, url = ''): 'allowed' | 401 | 403 {
    if (route.access === 'metrics') return 401;
    if (route.access !== 'public' && (caller === 'anonymous' || caller === 'expired')) return 401;
    if (route.access !== 'user' && route.access !== 'public' && (caller === 'member' || caller === 'outsider')) return 403;
    if (caller === 'reviewer') {
      if (route.access === 'admin' || route.access === 'reviewer-export') return 403;
      // A review route about a comparison, flag or response that does not exist is nobody's campaign: refused.
      if (route.access === 'reviewer' && !url.startsWith('/api/campaigns/')) return 403;
    }
    return route.forbidden?.includes(caller) ? 403 : 'allowed';
  }

  it('the table lists every registered /api route, with the access the route declares', () => {
    const registered = apiRoutes();
    expect(registered.length).toBeGreaterThan(10);
    const missing = registered.filter((r) => !ROUTES[r.key]).map((r) => `${r.key} (${r.access})`);
    expect(missing, 'add these routes to ROUTES in tests/integration/route-access.test.ts').toEqual([]);
    const stale = Object.keys(ROUTES).filter((key) => !registered.some((r) => r.key === key));
    expect(stale, 'these ROUTES entries match no registered route').toEqual([]);
    for (const r of registered) expect(r.access, r.key).toBe(ROUTES[r.key]!.access);
    // The scope each route declares (none: admin) is the one the table lists; every route a token can reach has one.
    for (const r of registered.filter((x) => x.access !== 'public' && x.access !== 'metrics')) {
      expect(ROUTES[r.key]!.scope, `${r.key}: say which token scope it needs`).toBeDefined();
      expect(r.scope ?? 'admin', r.key).toBe(ROUTES[r.key]!.scope);
    }
    // A route that refuses every token (config.sessionOnly: true) says so in the table, and only such a route
    // (an admin route refusing tokens, or a user route refusing tokens alone: the rater's routes refuse them as non-members).
    for (const r of registered) {
      const forbidden = ROUTES[r.key]!.forbidden ?? [];
      const refusesTokens = forbidden.includes('token') && (r.access === 'admin' || forbidden.length === 1);
      expect(r.sessionOnly === true, `${r.key}: forbidden: ['token'] in the table iff config.sessionOnly is true`).toBe(refusesTokens);
    }
  });

  it('lets a token through only with the scope each route declares (routes x scopes)', async () => {
    const tokens = Object.fromEntries(await Promise.all(TOKEN_SCOPES.map(async (scope) => [scope, await tokenFor(f.admin, [scope])] as const)));
    const failures: string[] = [];
    let allowed = 0;
    for (const route of apiRoutes().filter((r) => r.access !== 'public' && r.access !== 'metrics')) {
      const expectation = ROUTES[route.key];
      if (!expectation?.scope) continue; // reported above
      // One campaign per route: a token refused leaves it as it was, and the last scope (admin) may delete it.
      const url = await concreteUrl(route.url);
      for (const scope of TOKEN_SCOPES) {
        const res = await call(route.method, url, 'token', {}, tokens[scope]);
        const grants = scope === 'admin' || expectation.scope === 'any' || expectation.scope === scope;
        // A route no token may call (sessionOnly) refuses every token before looking at scopes.
        if (expectation.forbidden?.includes('token') && res.status === 403) continue;
        if (!grants) {
          if (res.status !== 403 || res.body.error?.code !== 'INSUFFICIENT_SCOPE') failures.push(`${route.key} with ${scope}: expected 403 INSUFFICIENT_SCOPE, got ${res.status}`);
          continue;
        }
        allowed += 1;
        const want = expected(expectation, 'token');
        const ok = want === 'allowed' ? res.status !== 401 && res.status !== 403 && res.status < 500 : res.status === want && res.body.error?.code !== 'INSUFFICIENT_SCOPE';
        if (!ok) failures.push(`${route.key} with ${scope}: expected ${want}, got ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
      }
    }
    expect(failures).toEqual([]);
    // More grants than routes a token may call at all (the admin scope alone reaches each of them once).
    expect(allowed).toBeGreaterThan(apiRoutes().filter((r) => !ROUTES[r.key]?.forbidden?.includes('token')).length);
  }, 300_000);

  it('keeps a token limited to campaigns inside them, on every route its scopes reach', async () => {
    const failures: string[] = [];
    const narrow = TOKEN_SCOPES.filter((s) => s !== 'admin');
    for (const route of apiRoutes().filter((r) => r.access !== 'public' && r.access !== 'metrics')) {
      const expectation = ROUTES[route.key];
      if (!expectation?.scope || expectation.scope === 'admin') continue;
      const scopes = expectation.scope === 'any' ? narrow : [expectation.scope];
      const { url, campaignId } = await concreteRequest(route.url, route.key);
      const other = (await createCampaign(t.app)).id;
      const outside = await call(route.method, url, 'token', {}, await tokenFor(f.admin, scopes, [other]));
      const inside = await call(route.method, url, 'token', {}, await tokenFor(f.admin, scopes, campaignId ? [campaignId, other] : [other]));
      if (CAMPAIGN_FREE.has(route.key)) {
        if (outside.status !== 200 || inside.status !== 200) failures.push(`${route.key}: answered a campaign-limited token ${outside.status}/${inside.status}`);
        continue;
      }
      if (outside.status !== 403 || outside.body.error?.code !== 'INSUFFICIENT_SCOPE') failures.push(`${route.key} outside its campaigns: ${outside.status}`);
      if (!campaignId) continue; // not about one campaign: refused to every campaign-limited token (checked just above)
      if (inside.status === 401 || inside.status === 403 || inside.status >= 500) failures.push(`${route.key} inside its campaigns: ${inside.status} ${JSON.stringify(inside.body).slice(0, 160)}`);
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('lists to a campaign-limited token only the campaigns it reaches', async () => {
    const [mine, theirs] = [await createCampaign(t.app), await createCampaign(t.app)];
    const token = await tokenFor(f.admin, ['stats:read'], [mine.id]);
    const res = await call('GET', '/api/campaigns', 'token', {}, token);
    expect(res.status).toBe(200);
    const ids = res.body.campaigns.map((c: { id: string }) => c.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    expect(ids).toHaveLength(1);
  });

  it('answers every caller of every route as its access says', async () => {
    const failures: string[] = [];
    for (const route of apiRoutes()) {
      const expectation = ROUTES[route.key];
      if (!expectation) continue; // reported by the test above
      for (const caller of CALLERS) {
        const url = await concreteUrl(route.url);
        const res = await call(route.method, url, caller);
        const want = expected(expectation, caller, url);
        const ok = want === 'allowed' ? res.status !== 401 && res.status !== 403 && res.status < 500 : res.status === want;
        if (!ok) failures.push(`${route.key} as ${caller}: expected ${want}, got ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
        // Every error body names the request it answers, as the X-Request-Id header does.
        if (res.status >= 400 && (!res.headers['x-request-id'] || res.body.error?.requestId !== res.headers['x-request-id'])) {
          failures.push(`${route.key} as ${caller}: ${res.status} without the request id in its error body`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('refuses writes with a session cookie from another site, on every route that writes', async () => {
    const failures: string[] = [];
    for (const route of apiRoutes().filter((r) => !SAFE_METHODS.has(r.method))) {
      const url = await concreteUrl(route.url);
      for (const headers of CROSS_SITE) {
        const res = await call(route.method, url, 'admin', headers);
        if (res.status !== 403 || res.body.error?.code !== 'CROSS_ORIGIN') failures.push(`${route.key} ${JSON.stringify(headers)}: ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('accepts same-origin cookie writes, and token writes from anywhere (a token does not ride along like a cookie)', async () => {
    const sameSite = await call('POST', '/api/invites', 'admin', { 'Sec-Fetch-Site': 'same-origin' });
    expect(sameSite.status).toBe(201);
    const scripted = await call('POST', '/api/invites', 'token', { Origin: 'https://ci.example' });
    expect(scripted.status).toBe(201);
  });
});
