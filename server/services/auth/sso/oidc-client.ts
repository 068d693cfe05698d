// The OpenID provider through openid-client: discovered once per process (again after a failure), it
// builds the authorization URL (code flow, PKCE, state, nonce, response_mode=query) and turns the
// provider's answer into the claims of a validated ID token. openid-client does the protocol (signature,
// issuer, audience, expiry, nonce, PKCE): a certified library rather than our own JWT checks. It loads with
// the first sign-in: a server without OIDC_ISSUER_URL never holds it.
import type * as Oidc from 'openid-client';
import type { SsoConfig } from '../../../config';
import { AppError } from '../../../errors';

/**
 * What the sign-in is for: signing in; joining a campaign through its join link (the token); or linking the
 * provider account to the logged-in user who started it (from the account page; no new session).
 */
export type SsoPurpose = { kind: 'sign-in' } | { kind: 'join'; token: string } | { kind: 'link'; userId: string };

/** What the browser carries between the start and the end of one sign-in (a short-lived httpOnly cookie). */
export interface SsoFlow {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The path to return to afterwards. */
  next: string;
  purpose: SsoPurpose;
}

/** Who the provider says signed in, from the validated ID token. */
export interface SsoClaims {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

const failed = (reason: string, message: string) => new AppError('SSO_FAILED', message, { reason });

/** The ID token claim a failed comparison names (openid-client wraps oauth4webapi's error, whose cause names it). */
function comparedClaim(err: Error): unknown {
  type Cause = { claim?: unknown; cause?: Cause };
  const cause = err.cause as Cause | undefined;
  return cause?.claim ?? cause?.cause?.claim;
}

/** Why the provider's answer was refused, in words a person can act on. */
function describeFailure(oidc: typeof Oidc, err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof oidc.AuthorizationResponseError) {
    return failed('provider_error', `The sign-in provider refused: ${err.error_description ?? err.error}. Try again, or ask an admin.`);
  }
  if (err instanceof oidc.ResponseBodyError && err.error === 'invalid_grant') {
    return failed('code_rejected', 'The sign-in code expired or was used already. Start again from the login page.');
  }
  if (err instanceof oidc.ClientError && err.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' && comparedClaim(err) === 'nonce') {
    return failed('nonce', 'The sign-in answer belongs to another sign-in (nonce mismatch). Start again from the login page.');
  }
  const detail = err instanceof Error ? err.message : String(err);
  return failed('invalid_response', `The sign-in provider's answer could not be verified (${detail}). Start again from the login page.`);
}

let oidcModule: Promise<typeof Oidc> | null = null;
const loadOidc = () => (oidcModule ??= import('openid-client'));

export class OidcClient {
  #configuration: Promise<Oidc.Configuration> | null = null;

  constructor(private readonly sso: SsoConfig) {}

  async #discover(): Promise<Oidc.Configuration> {
    const oidc = await loadOidc();
    this.#configuration ??= oidc
      .discovery(new URL(this.sso.issuer), this.sso.clientId, undefined, oidc.ClientSecretPost(this.sso.clientSecret), {
        // Only a loopback issuer may be plain http (config.ts refuses any other).
        execute: this.sso.allowHttp ? [oidc.allowInsecureRequests] : [],
      })
      .catch((err: unknown) => {
        this.#configuration = null; // the next sign-in asks again
        throw failed('provider_unreachable', `The sign-in provider at ${this.sso.issuer} cannot be reached (${err instanceof Error ? err.message : String(err)}). Try again later.`);
      });
    return this.#configuration;
  }

  /** The provider's authorization URL for a new sign-in, and what the browser must keep until it returns. */
  async start(next: string, purpose: SsoPurpose = { kind: 'sign-in' }): Promise<{ url: string; flow: SsoFlow }> {
    const configuration = await this.#discover();
    const oidc = await loadOidc();
    const flow: SsoFlow = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier(), next, purpose };
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.sso.redirectUri,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.codeVerifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
      // A form POST back to us would come cross-site and meet the Origin check; a query comes as a navigation.
      response_mode: 'query',
    });
    return { url: url.href, flow };
  }

  /** Checks the provider's answer (`?code=...&state=...`) against the flow, redeems the code, validates the ID token. */
  async finish(flow: SsoFlow, search: string): Promise<SsoClaims> {
    const configuration = await this.#discover();
    const oidc = await loadOidc();
    const currentUrl = new URL(this.sso.redirectUri);
    currentUrl.search = search.startsWith('?') ? search : `?${search}`;
    // Checked here first (openid-client checks it too) so that the refusal names the reason.
    const state = currentUrl.searchParams.get('state');
    if (state !== null && state !== flow.state) {
      throw failed('state', 'The sign-in answer does not match the sign-in this browser started (state mismatch). Start again from the login page.');
    }
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims()!;
      // Many providers put email and name in the ID token only on request, and always in UserInfo.
      const claims = typeof idToken.email === 'string' ? idToken : { ...(await oidc.fetchUserInfo(configuration, tokens.access_token, idToken.sub)), iss: idToken.iss, sub: idToken.sub };
      return {
        issuer: claims.iss,
        subject: claims.sub,
        email: typeof claims.email === 'string' ? claims.email.toLowerCase() : null,
        emailVerified: claims.email_verified === true,
        name: typeof claims.name === 'string' ? claims.name : null,
      };
    } catch (err) {
      throw describeFailure(oidc, err);
    }
  }
}
