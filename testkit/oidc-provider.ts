// A real OpenID provider (the `oidc-provider` package, certified by the OpenID Foundation) on loopback,
// for single sign-on tests: accounts the test adds, a plain login form (email only) at its interaction
// page, consent granted for the one client, and codes a test can expire. `signIn` walks the provider's
// side of the flow over HTTP (authorize -> login form -> back to the client) for tests without a browser.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Adapter, type AdapterPayload, type KoaContextWithOIDC } from 'oidc-provider';

export interface IdpAccount {
  sub: string;
  email: string;
  emailVerified: boolean;
  name: string;
}

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  addAccount(account: { email: string; emailVerified?: boolean; name?: string }): IdpAccount;
  /** Makes every authorization code issued so far expired (as if its lifetime had passed). */
  expireAuthorizationCodes(): void;
  /**
   * Follows an authorization URL through the provider as a browser would, logging in as `email`; returns
   * the URL the provider sends the browser back to (the client's redirect URI with code, state and iss).
   */
  signIn(authorizationUrl: string, email: string): Promise<URL>;
  close(): Promise<void>;
}

/** One store for every model the provider keeps (sessions, interactions, codes, grants): a Map per process. */
function mapAdapter(store: Map<string, AdapterPayload>) {
  return class MapAdapter implements Adapter {
    constructor(private readonly model: string) {}
    #key = (id: string) => `${this.model}:${id}`;
    async upsert(id: string, payload: AdapterPayload) {
      store.set(this.#key(id), { ...payload });
    }
    async find(id: string) {
      return store.get(this.#key(id));
    }
    async findByUid(uid: string) {
      return [...store.entries()].find(([key, p]) => key.startsWith(`${this.model}:`) && p.uid === uid)?.[1];
    }
    async findByUserCode(userCode: string) {
      return [...store.entries()].find(([key, p]) => key.startsWith(`${this.model}:`) && p.userCode === userCode)?.[1];
    }
    async consume(id: string) {
      const payload = store.get(this.#key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      store.delete(this.#key(id));
    }
    async revokeByGrantId(grantId: string) {
      for (const [key, payload] of store) if (payload.grantId === grantId) store.delete(key);
    }
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

export async function startTestIdp(options: { redirectUri: string }): Promise<TestIdp> {
  const accounts = new Map<string, IdpAccount>();
  const store = new Map<string, AdapterPayload>();
  const clientId = `juxta-${randomUUID()}`;
  const clientSecret = randomUUID();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signingKey = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' };

  const provider = new Provider(issuer, {
    adapter: mapAdapter(store),
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [options.redirectUri], token_endpoint_auth_method: 'client_secret_post' }],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomUUID()] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: () => ({ sub, email: account.email, email_verified: account.emailVerified, name: account.name }) };
    },
    // The one client is first-party: consent is given, no consent page.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });

  const callback = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/interaction\/([\w-]+)$/.exec(req.url ?? '');
    if (!match) return void callback(req, res);
    void (async () => {
      try {
        const details = await provider.interactionDetails(req, res);
        if (req.method === 'GET') {
          res.setHeader('content-type', 'text/html; charset=utf-8');
          res.end(
            `<!doctype html><title>Test provider</title><h1>Test provider sign-in</h1>` +
              `<form method="post" action="/interaction/${escapeHtml(details.uid)}"><label>Email <input name="email" type="email"></label>` +
              `<button type="submit">Continue</button></form>`,
          );
          return;
        }
        const email = (await readForm(req)).get('email') ?? '';
        const account = [...accounts.values()].find((a) => a.email === email);
        const result = account ? { login: { accountId: account.sub } } : { error: 'access_denied', error_description: `no account ${email} at the test provider` };
        await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
      } catch (err) {
        res.statusCode = 500;
        res.end(String(err));
      }
    })();
  });

  /** A browser's cookie jar, reduced to what one host needs (the provider's cookies carry no Domain). */
  async function signIn(authorizationUrl: string, email: string): Promise<URL> {
    const cookies = new Map<string, string>();
    const go = async (url: string, init: RequestInit = {}) => {
      const response = await fetch(url, {
        ...init,
        redirect: 'manual',
        headers: { ...(init.headers as Record<string, string>), cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      for (const line of response.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const at = pair.indexOf('=');
        cookies.set(pair.slice(0, at), pair.slice(at + 1));
      }
      return response;
    };
    let response = await go(authorizationUrl);
    for (let hops = 0; hops < 10; hops += 1) {
      const location = response.headers.get('location');
      if (!location) throw new Error(`the test provider answered ${response.status} without a redirect: ${await response.text()}`);
      const next = new URL(location, issuer);
      if (next.origin !== issuer) return next;
      response = /^\/interaction\//.test(next.pathname)
        ? await go(next.href, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email }).toString() })
        : await go(next.href);
    }
    throw new Error('the test provider redirected too many times');
  }

  return {
    issuer,
    clientId,
    clientSecret,
    addAccount({ email, emailVerified = true, name = 'Test Person' }) {
      const account = { sub: randomUUID(), email, emailVerified, name };
      accounts.set(account.sub, account);
      return account;
    },
    expireAuthorizationCodes() {
      for (const [key, payload] of store) if (key.startsWith('AuthorizationCode:')) payload.exp = Math.floor(Date.now() / 1000) - 60;
    },
    signIn,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
