// The app's screens by path. The rating screen is in the main bundle (a rater never waits for a lazy
// chunk between comparisons); every other screen loads on demand.
import type { Component } from 'svelte';
import { prefetch } from './lib/api/prefetch';
import { loadPlot } from './lib/components/charts/load-plot';
import RatePage from './pages/RatePage.svelte';

export type PageParams = Record<string, string>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- pages differ in their props; all take `params`
type PageComponent = Component<any>;

export interface Route {
  pattern: string;
  title: string;
  /** public: anyone; user: logged in; admin: logged-in admins. */
  access: 'public' | 'user' | 'admin';
  load(isAdmin: boolean): PageComponent | Promise<PageComponent>;
  /** Starts what the page will need (its data, its chunk) as soon as the path is known, before the session check. */
  prefetch?(params: PageParams): void;
}

const lazy = (load: () => Promise<{ default: PageComponent }>) => async () => (await load()).default;

const campaignsPage = lazy(() => import('./pages/admin/CampaignsPage.svelte'));
const acceptInvitePage = lazy(() => import('./pages/AcceptInvitePage.svelte'));
const raterHomePage = lazy(() => import('./pages/RaterHomePage.svelte'));
const resetPage = lazy(() => import('./pages/ResetPasswordPage.svelte'));
const dashboardPage = lazy(() => import('./pages/admin/DashboardPage.svelte'));

/** The Results page's campaign and stats requests (as the page makes them), its chunk and the chart library, all at once. */
function prefetchDashboard({ id = '' }: PageParams): void {
  const campaign = `/api/campaigns/${encodeURIComponent(id)}`;
  prefetch(campaign, `${campaign}/stats?bothBad=tie`);
  dashboardPage().catch(() => {});
  loadPlot().catch(() => {});
}

/** The review pages (explorer, comparison, flags, adjudication): one module, one entry in this table. */
const reviewPage = lazy(() => import('./pages/admin/review/ReviewPage.svelte'));

export const routes: Route[] = [
  { pattern: '/login', title: 'Log in', access: 'public', load: lazy(() => import('./pages/LoginPage.svelte')) },
  { pattern: '/invite/:token', title: 'Accept invitation', access: 'public', load: acceptInvitePage },
  { pattern: '/setup/:token', title: 'Set up Juxta', access: 'public', load: acceptInvitePage },
  { pattern: '/join/:token', title: 'Join a campaign', access: 'public', load: lazy(() => import('./pages/JoinPage.svelte')) },
  { pattern: '/reset', title: 'Set a new password', access: 'public', load: resetPage },
  { pattern: '/reset/:token', title: 'Set a new password', access: 'public', load: resetPage },
  { pattern: '/account', title: 'Your account', access: 'user', load: lazy(() => import('./pages/AccountPage.svelte')) },
  { pattern: '/', title: 'Home', access: 'user', load: (isAdmin) => (isAdmin ? campaignsPage() : raterHomePage()) },
  { pattern: '/rate/:campaignId', title: 'Rate', access: 'user', load: () => RatePage },
  { pattern: '/campaigns', title: 'Campaigns', access: 'admin', load: campaignsPage },
  { pattern: '/campaigns/:id', title: 'Campaign', access: 'admin', load: lazy(() => import('./pages/admin/CampaignPage.svelte')) },
  { pattern: '/campaigns/:id/stats', title: 'Results', access: 'admin', load: dashboardPage, prefetch: prefetchDashboard },
  { pattern: '/campaigns/:id/explorer', title: 'Explore comparisons', access: 'admin', load: reviewPage },
  { pattern: '/campaigns/:id/comparisons/:comparisonId', title: 'Comparison', access: 'admin', load: reviewPage },
  { pattern: '/campaigns/:id/flags', title: 'Flag review', access: 'admin', load: reviewPage },
  { pattern: '/campaigns/:id/adjudication', title: 'Adjudication', access: 'admin', load: reviewPage },
  { pattern: '/endpoints', title: 'Model endpoints', access: 'admin', load: lazy(() => import('./pages/admin/EndpointsPage.svelte')) },
  { pattern: '/tokens', title: 'API tokens', access: 'admin', load: lazy(() => import('./pages/admin/TokensPage.svelte')) },
  { pattern: '/users', title: 'Users', access: 'admin', load: lazy(() => import('./pages/admin/UsersPage.svelte')) },
  { pattern: '/audit', title: 'Audit', access: 'admin', load: lazy(() => import('./pages/admin/AuditPage.svelte')) },
];

export const notFoundRoute: Route = { pattern: '*', title: 'Not found', access: 'public', load: lazy(() => import('./pages/NotFoundPage.svelte')) };

const decode = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined; // a malformed %-escape matches no parameter
  }
};

/** The route for a path and the values of its `:name` segments. */
export function matchRoute(path: string): { route: Route; params: PageParams } {
  const segments = path.split('/').filter(Boolean);
  for (const route of routes) {
    const parts = route.pattern.split('/').filter(Boolean);
    if (parts.length !== segments.length) continue;
    const params: PageParams = {};
    const matches = parts.every((part, index) => {
      const segment = decode(segments[index] ?? '');
      if (segment === undefined) return false;
      if (part.startsWith(':')) params[part.slice(1)] = segment;
      return part.startsWith(':') || part === segment;
    });
    if (matches) return { route, params };
  }
  return { route: notFoundRoute, params: {} };
}
