// Reads process.env once into a typed, frozen config; the only reader of process.env.
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** 32 random bytes, base64 (`openssl rand -base64 32`): the AES-256-GCM key of model endpoints' API keys. */
const secretKey = z
  .string()
  .transform((v) => Buffer.from(v, 'base64'))
  .refine((key) => key.length === 32, 'must be 32 random bytes in base64: make one with `openssl rand -base64 32`');

/** A proxy address, or a CIDR range of them (10.0.0.0/8, fd00::/8). */
const isProxyAddress = (v: string) => {
  const [address = '', bits, ...rest] = v.split('/');
  const family = isIP(address);
  return family !== 0 && rest.length === 0 && (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128)));
};

/**
 * Which X-Forwarded-For hops to believe: `false` (none), a hop count (the proxies in front of us), or the
 * proxies' addresses. `true` (every hop) let a client choose its own address with the header, so it now
 * means one hop, with a warning.
 */
const trustProxy = z.string().transform((v, ctx): false | number | string[] => {
  const value = v.trim().toLowerCase();
  if (['false', 'no', '0'].includes(value)) return false;
  if (['true', 'yes'].includes(value)) return 1;
  if (/^\d+$/.test(value)) return Number(value);
  const addresses = value.split(',').map((a) => a.trim()).filter(Boolean);
  if (addresses.length > 0 && addresses.every(isProxyAddress)) return addresses;
  ctx.addIssue({ code: 'custom', message: 'must be a hop count (1 behind one proxy) or the proxies\' addresses, comma-separated (10.0.0.5,10.0.0.0/8)' });
  return z.NEVER;
});

const ZEnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL (leave it unset for the embedded database)')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://juxta.example.com' }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  JUXTA_ADMIN_EMAIL: z.email().optional(),
  JUXTA_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  JUXTA_DEMO: bool.default(true),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(12 * 60),
  SESSION_MAX_DAYS: z.coerce.number().int().min(1).default(14),
  /** Failed logins one address may make for one email within the window before the back-off starts. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  /** Failed logins of one email from all addresses within the window before addresses that failed wait it out. */
  LOGIN_ACCOUNT_CAP: z.coerce.number().int().min(1).default(100),
  IMPORT_MAX_LINE_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  IMPORT_MAX_UPLOAD_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024 * 1024),
  IMPORT_MAX_INFLATED_BYTES: z.coerce.number().int().min(1024).default(4 * 1024 * 1024 * 1024),
  IMPORT_MAX_LINES: z.coerce.number().int().min(1).default(2_000_000),
  IMPORT_MAX_ERRORS: z.coerce.number().int().min(1).default(1000),
  IMPORT_MAX_RESPONSES_PER_PROMPT: z.coerce.number().int().min(2).default(200),
  IMPORT_MAX_COMPARISONS: z.coerce.number().int().min(1).default(500_000),
  TRUST_PROXY: trustProxy.default(false),
  JUXTA_SECRET_KEY: secretKey.optional(),
  JUXTA_NEW_SECRET_KEY: secretKey.optional(),
  GENERATION_WORKER: bool.default(true),
  GENERATION_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(4096).default(64),
  GENERATION_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  GENERATION_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  GENERATION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(6),
  GENERATION_RETRY_BASE_MS: z.coerce.number().int().min(1).max(600_000).default(1000),
  SELECTION_REFRESH_SECONDS: z.coerce.number().int().min(1).max(86_400).default(30),
  SELECTION_STALE_SECONDS: z.coerce.number().int().min(1).max(7 * 86_400).default(300),
  REQUEST_BODY_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(30),
  RATER_MAX_IN_FLIGHT: z.coerce.number().int().min(1).default(4),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(10),
  WEB_DIST_DIR: z.string().min(1).default('web/dist'),
  /** Where password reset emails go out (smtp://user:pass@host:587, smtps://...); unset: no email, admins make reset links. */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL such as smtps://user:password@mail.example.com:465' }).optional(),
  /** The From of those emails; default: Juxta <juxta@ the PUBLIC_URL host>. */
  SMTP_FROM: z.string().min(3).optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters (e.g. openssl rand -hex 32)').optional(),
  OIDC_ISSUER_URL: z.url({ protocol: /^https?$/, error: 'must be the OpenID provider\'s issuer URL, such as https://accounts.example.com' }).optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_DISPLAY_NAME: z.string().trim().min(1).max(60).default('SSO'),
  OIDC_ALLOWED_EMAIL_DOMAINS: z
    .string()
    .transform((v) => v.split(',').map((d) => d.trim().toLowerCase().replace(/^@/, '')).filter(Boolean))
    .optional(),
  OIDC_NEW_USERS: z.enum(['rater', 'invite-only']).default('invite-only'),
  OIDC_PASSWORD_LOGIN_ADMINS_ONLY: bool.default(false),
});

export type Env = z.input<typeof ZEnvSchema>;

/** Every environment variable Juxta reads (.env.example documents each; a test keeps them in step). */
export const CONFIG_VARIABLES = Object.keys(ZEnvSchema.shape);

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly database: { readonly kind: 'postgres'; readonly url: string; readonly poolSize: number } | { readonly kind: 'pglite'; readonly dataDir: string };
  readonly dataDir: string;
  readonly publicUrl: string;
  readonly logLevel: string;
  readonly bootstrapAdmin: { readonly email: string; readonly password: string } | null;
  readonly demo: boolean;
  readonly session: { readonly idleMinutes: number; readonly maxDays: number; readonly secureCookie: boolean };
  readonly login: { readonly maxFailures: number; readonly windowMinutes: number; readonly accountCap: number };
  readonly import: {
    readonly maxLineBytes: number;
    readonly maxUploadBytes: number;
    /** Bytes a gzip upload may inflate to (the upload limit counts the compressed bytes). */
    readonly maxInflatedBytes: number;
    readonly maxLines: number;
    readonly maxErrors: number;
    readonly maxResponsesPerPrompt: number;
    readonly maxComparisons: number;
  };
  /** false, the number of proxy hops in front of us, or the proxies' addresses (Fastify's trustProxy). */
  readonly trustProxy: false | number | readonly string[];
  /** Said once at start-up (a deprecated setting still accepted). */
  readonly warnings: readonly string[];
  /** A request body delivering less than 1 KiB in this many seconds is cut off. */
  readonly requestBodyTimeoutSeconds: number;
  /** Requests of one user to the rater loop in progress at once; more get 429. */
  readonly raterMaxInFlight: number;
  /** On SIGTERM: how long in-flight requests may finish before running work (imports) is cancelled and the process exits. */
  readonly shutdownGraceSeconds: number;
  readonly webDistDir: string;
  /** The SMTP server password reset emails go through; null: users cannot ask for a reset by email. */
  readonly mail: { readonly url: string; readonly from: string } | null;
  /** The bearer token GET /metrics requires; null turns /metrics off. */
  readonly metricsToken: string | null;
  /** Keys of model endpoints' API keys: the current one, and the next one for `npm run secrets:rotate`. */
  readonly secrets: { readonly key: Buffer | null; readonly newKey: Buffer | null };
  readonly generation: {
    /** Whether this instance runs a generation worker (every instance does by default; they share the work). */
    readonly worker: boolean;
    readonly maxInFlight: number;
    readonly leaseSeconds: number;
    readonly pollMs: number;
    readonly maxAttempts: number;
    readonly retryBaseMs: number;
  };
  /** Active pair selection: how often priorities are refreshed, and after how long they no longer steer claims. */
  readonly selection: { readonly refreshSeconds: number; readonly staleSeconds: number };
  /** OpenID Connect single sign-on; null when OIDC_ISSUER_URL is unset. */
  readonly sso: SsoConfig | null;
}

export interface SsoConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Shown on the login page: "Sign in with <displayName>". */
  readonly displayName: string;
  /** Lower-case email domains a sign-in may come from; null: any. */
  readonly allowedEmailDomains: readonly string[] | null;
  /** Someone with no account and no invite: joins as a rater of no campaign, or is refused until invited. */
  readonly newUsers: 'rater' | 'invite-only';
  /** Password login only for admins (raters sign in through the provider). */
  readonly passwordLoginAdminsOnly: boolean;
  /** The provider sends the browser back here (the login page finishes the sign-in). */
  readonly redirectUri: string;
  /** Plain-http issuer on a loopback address (a provider on this machine; tests). */
  readonly allowHttp: boolean;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function ssoConfig(e: z.infer<typeof ZEnvSchema>, publicUrl: string): SsoConfig | null {
  const set = [e.OIDC_ISSUER_URL, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET].filter((v) => v !== undefined).length;
  if (set === 0) return null;
  if (set !== 3) throw new ConfigError('Invalid configuration: set OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together, or none of them (see .env.example)');
  const issuer = new URL(e.OIDC_ISSUER_URL!);
  const allowHttp = issuer.protocol === 'http:';
  // A token exchanged in clear text anywhere but this machine could be read or changed on the way.
  if (allowHttp && !LOOPBACK_HOSTS.has(issuer.hostname)) {
    throw new ConfigError('Invalid configuration: OIDC_ISSUER_URL must be https:// (plain http only for a provider on this machine: localhost, 127.0.0.1, [::1])');
  }
  return {
    issuer: e.OIDC_ISSUER_URL!,
    clientId: e.OIDC_CLIENT_ID!,
    clientSecret: e.OIDC_CLIENT_SECRET!,
    displayName: e.OIDC_DISPLAY_NAME,
    allowedEmailDomains: e.OIDC_ALLOWED_EMAIL_DOMAINS?.length ? e.OIDC_ALLOWED_EMAIL_DOMAINS : null,
    newUsers: e.OIDC_NEW_USERS,
    passwordLoginAdminsOnly: e.OIDC_PASSWORD_LOGIN_ADMINS_ONLY,
    redirectUri: `${publicUrl}/login`,
    allowHttp,
  };
}

/** Thrown for a bad environment; its message names the variable and what to do. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses an environment (process.env by default) into a frozen Config, or throws ConfigError. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset", as in most .env files.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ZEnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message} (see .env.example)`);
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  if ((e.JUXTA_ADMIN_EMAIL === undefined) !== (e.JUXTA_ADMIN_PASSWORD === undefined)) {
    throw new ConfigError('Invalid configuration: set both JUXTA_ADMIN_EMAIL and JUXTA_ADMIN_PASSWORD, or neither (see .env.example)');
  }
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  const dataDir = path.resolve(e.DATA_DIR);
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL
      ? { kind: 'postgres' as const, url: e.DATABASE_URL, poolSize: e.DB_POOL_SIZE }
      : { kind: 'pglite' as const, dataDir },
    dataDir,
    publicUrl,
    logLevel: e.LOG_LEVEL,
    bootstrapAdmin:
      e.JUXTA_ADMIN_EMAIL && e.JUXTA_ADMIN_PASSWORD ? { email: e.JUXTA_ADMIN_EMAIL.toLowerCase(), password: e.JUXTA_ADMIN_PASSWORD } : null,
    demo: e.JUXTA_DEMO,
    session: { idleMinutes: e.SESSION_IDLE_MINUTES, maxDays: e.SESSION_MAX_DAYS, secureCookie: publicUrl.startsWith('https:') },
    login: { maxFailures: e.LOGIN_MAX_FAILURES, windowMinutes: e.LOGIN_WINDOW_MINUTES, accountCap: e.LOGIN_ACCOUNT_CAP },
    import: {
      maxLineBytes: e.IMPORT_MAX_LINE_BYTES,
      maxUploadBytes: e.IMPORT_MAX_UPLOAD_BYTES,
      maxInflatedBytes: e.IMPORT_MAX_INFLATED_BYTES,
      maxLines: e.IMPORT_MAX_LINES,
      maxErrors: e.IMPORT_MAX_ERRORS,
      maxResponsesPerPrompt: e.IMPORT_MAX_RESPONSES_PER_PROMPT,
      maxComparisons: e.IMPORT_MAX_COMPARISONS,
    },
    trustProxy: e.TRUST_PROXY,
    warnings: ['true', 'yes'].includes(String(cleaned.TRUST_PROXY).trim().toLowerCase())
      ? ['TRUST_PROXY=true now means one proxy hop (TRUST_PROXY=1): trusting every hop let any client pick its address with X-Forwarded-For. Set a hop count or the proxies\' addresses.']
      : [],
    shutdownGraceSeconds: e.SHUTDOWN_GRACE_SECONDS,
    requestBodyTimeoutSeconds: e.REQUEST_BODY_TIMEOUT_SECONDS,
    raterMaxInFlight: e.RATER_MAX_IN_FLIGHT,
    webDistDir: path.resolve(e.WEB_DIST_DIR),
    mail: e.SMTP_URL ? { url: e.SMTP_URL, from: e.SMTP_FROM ?? `Juxta <juxta@${new URL(publicUrl).hostname}>` } : null,
    metricsToken: e.METRICS_TOKEN ?? null,
    secrets: { key: e.JUXTA_SECRET_KEY ?? null, newKey: e.JUXTA_NEW_SECRET_KEY ?? null },
    generation: {
      worker: e.GENERATION_WORKER,
      maxInFlight: e.GENERATION_MAX_IN_FLIGHT,
      leaseSeconds: e.GENERATION_LEASE_SECONDS,
      pollMs: e.GENERATION_POLL_MS,
      maxAttempts: e.GENERATION_MAX_ATTEMPTS,
      retryBaseMs: e.GENERATION_RETRY_BASE_MS,
    },
    selection: { refreshSeconds: e.SELECTION_REFRESH_SECONDS, staleSeconds: e.SELECTION_STALE_SECONDS },
    sso: ssoConfig(e, publicUrl),
  });
}
