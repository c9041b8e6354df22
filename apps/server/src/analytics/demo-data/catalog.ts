import type { DeviceType, ReferrerType } from '../../db/analytics.schema';

/**
 * What the demo visitors read, where they come from and what they use. Weights are relative.
 * Paths form a folder tree (`/blog/2026/…`, `/docs/api/…`) so the page URL report has depth.
 */

export interface PageEntry {
  path: string;
  title: string;
  weight: number;
}

export const PAGES: readonly PageEntry[] = [
  { path: '/', title: 'Home', weight: 30 },
  { path: '/pricing', title: 'Pricing', weight: 12 },
  { path: '/about', title: 'About us', weight: 3 },
  { path: '/contact', title: 'Contact', weight: 2 },
  { path: '/careers', title: 'Careers', weight: 1 },
  { path: '/features/', title: 'Features', weight: 4 },
  { path: '/features/privacy', title: 'Privacy-first analytics', weight: 4 },
  { path: '/features/reporting-api', title: 'The Reporting API', weight: 5 },
  { path: '/features/oauth', title: 'OAuth 2.0 for Matomo', weight: 5 },
  { path: '/blog/', title: 'Blog', weight: 6 },
  { path: '/blog/2025/introducing-oauth-for-matomo', title: 'Introducing OAuth 2.0 for Matomo', weight: 3 },
  { path: '/blog/2025/why-not-token-auth', title: 'Why not token_auth?', weight: 2 },
  { path: '/blog/2025/pkce-explained', title: 'PKCE, explained', weight: 4 },
  { path: '/blog/2025/year-in-review', title: '2025 in review', weight: 1 },
  { path: '/blog/2026/refresh-token-rotation', title: 'Refresh token rotation without races', weight: 5 },
  { path: '/blog/2026/typed-matomo-sdk', title: 'A typed SDK for the Matomo API', weight: 4 },
  {
    path: '/blog/2026/client-credentials-for-exports',
    title: 'Client credentials for nightly exports',
    weight: 3,
  },
  { path: '/blog/2026/annotations-api', title: 'Annotations from your deploy pipeline', weight: 2 },
  { path: '/blog/2026/privacy-by-default', title: 'Privacy by default', weight: 2 },
  { path: '/docs/', title: 'Documentation', weight: 6 },
  { path: '/docs/getting-started', title: 'Getting started', weight: 8 },
  { path: '/docs/api/', title: 'API reference', weight: 4 },
  { path: '/docs/api/authentication', title: 'Authentication', weight: 6 },
  { path: '/docs/api/reporting', title: 'Reporting methods', weight: 5 },
  { path: '/docs/api/live', title: 'Live methods', weight: 2 },
  { path: '/docs/api/annotations', title: 'Annotations methods', weight: 1.5 },
  { path: '/docs/guides/pkce', title: 'Guide: sign in with PKCE', weight: 3 },
  { path: '/docs/guides/client-credentials', title: 'Guide: client credentials', weight: 2.5 },
  { path: '/docs/guides/token-refresh', title: 'Guide: refreshing tokens', weight: 2 },
  { path: '/docs/sdk/typescript', title: 'TypeScript SDK', weight: 4 },
  { path: '/docs/sdk/errors', title: 'SDK errors', weight: 1 },
];

/** Where visits from each referrer type land first. */
export const ENTRY_PAGES: Record<ReferrerType, readonly (readonly [string, number])[]> = {
  direct: [
    ['/', 10],
    ['/docs/', 2],
    ['/pricing', 1],
  ],
  search: [
    ['/', 4],
    ['/docs/getting-started', 3],
    ['/docs/api/authentication', 3],
    ['/blog/2025/pkce-explained', 3],
    ['/blog/2026/refresh-token-rotation', 2],
    ['/features/reporting-api', 2],
    ['/docs/guides/pkce', 1],
  ],
  website: [
    ['/blog/2026/typed-matomo-sdk', 3],
    ['/docs/sdk/typescript', 2],
    ['/', 2],
    ['/docs/getting-started', 1],
  ],
  campaign: [
    ['/pricing', 4],
    ['/features/oauth', 3],
    ['/blog/2026/client-credentials-for-exports', 2],
  ],
  social: [
    ['/blog/2026/refresh-token-rotation', 3],
    ['/blog/2026/privacy-by-default', 2],
    ['/blog/2025/introducing-oauth-for-matomo', 2],
    ['/', 1],
  ],
};

export const REFERRER_TYPE_WEIGHTS: readonly (readonly [ReferrerType, number])[] = [
  ['direct', 30],
  ['search', 40],
  ['website', 11],
  ['campaign', 8],
  ['social', 11],
];

export interface ReferrerEntry {
  name: string;
  url: string | null;
  weight: number;
}

export const SEARCH_ENGINES: readonly ReferrerEntry[] = [
  { name: 'Google', url: 'https://www.google.com/', weight: 78 },
  { name: 'Bing', url: 'https://www.bing.com/', weight: 10 },
  { name: 'DuckDuckGo', url: 'https://duckduckgo.com/', weight: 7 },
  { name: 'Ecosia', url: 'https://www.ecosia.org/', weight: 3 },
  { name: 'Yahoo!', url: 'https://search.yahoo.com/', weight: 2 },
];

export const SEARCH_KEYWORDS: readonly string[] = [
  'matomo oauth',
  'matomo api token',
  'matomo reporting api',
  'oauth2 pkce',
  'pkce code verifier',
  'refresh token rotation',
  'privacy friendly analytics',
  'google analytics alternative',
  'matomo typescript sdk',
  'client credentials grant',
];

export const WEBSITES: readonly ReferrerEntry[] = [
  { name: 'github.com', url: 'https://github.com/matomo-org/matomo', weight: 30 },
  { name: 'news.ycombinator.com', url: 'https://news.ycombinator.com/item?id=4242', weight: 20 },
  { name: 'stackoverflow.com', url: 'https://stackoverflow.com/questions/tagged/matomo', weight: 20 },
  { name: 'dev.to', url: 'https://dev.to/t/analytics', weight: 15 },
  { name: 'matomo.org', url: 'https://matomo.org/integrate/', weight: 15 },
];

export const SOCIAL_NETWORKS: readonly ReferrerEntry[] = [
  { name: 'LinkedIn', url: 'https://www.linkedin.com/', weight: 30 },
  { name: 'reddit', url: 'https://www.reddit.com/r/selfhosted/', weight: 25 },
  { name: 'Twitter', url: 'https://t.co/', weight: 20 },
  { name: 'Mastodon', url: 'https://mastodon.social/', weight: 15 },
  { name: 'Facebook', url: 'https://www.facebook.com/', weight: 10 },
];

export const CAMPAIGNS: readonly (readonly [string, readonly string[], number])[] = [
  ['newsletter', ['email', 'footer-link'], 35],
  ['spring-launch', ['banner', 'cta'], 25],
  ['webinar-oauth', ['invite', 'reminder'], 20],
  ['partner-blog', ['sidebar'], 20],
];

export const SITE_SEARCH_KEYWORDS: readonly (readonly [string, number])[] = [
  ['oauth', 10],
  ['pkce', 6],
  ['refresh token', 5],
  ['api', 5],
  ['pricing', 4],
  ['client credentials', 3],
  ['scopes', 3],
  ['annotations', 2],
  ['live api', 2],
  ['export csv', 1],
];

/** Matomo events: category, action, name (or none) and value (or none), with a weight. */
export const EVENTS: readonly (readonly [string, string, string | null, number | null, number])[] = [
  ['Videos', 'Play', 'intro', null, 10],
  ['Videos', 'Play', 'pkce-walkthrough', null, 4],
  ['Videos', 'Pause', 'intro', 35, 3],
  ['Videos', 'Complete', 'intro', 120, 2],
  ['Downloads', 'Click', 'pricing.pdf', null, 5],
  ['Downloads', 'Click', 'sdk.zip', null, 3],
  ['Forms', 'Submit', 'newsletter', null, 4],
  ['Forms', 'Submit', 'contact', null, 2],
  ['Pricing', 'Toggle', 'yearly', null, 3],
  ['Pricing', 'Select plan', 'team', 49, 2],
  ['Pricing', 'Select plan', 'business', 199, 1],
  ['Navigation', 'Scroll', null, null, 4],
];

/** Relative to the site's main URL. */
export const DOWNLOADS: readonly (readonly [string, number])[] = [
  ['/files/matomo-oauth2-guide.pdf', 5],
  ['/files/openapi.yaml', 3],
  ['/files/sdk-0.1.0.tgz', 2],
  ['/files/privacy-whitepaper.pdf', 2],
];

export const OUTLINKS: readonly (readonly [string, number])[] = [
  ['https://github.com/matomo-org/matomo', 5],
  ['https://matomo.org/docs/', 3],
  ['https://datatracker.ietf.org/doc/html/rfc6749', 2],
  ['https://developer.matomo.org/api-reference/reporting-api', 3],
  ['https://www.npmjs.com/package/@matomo-oauth2/sdk', 2],
];

export type Region = 'europe' | 'asia' | 'americas';

/** Countries (lower-case ISO codes) by the site's audience; `xx` is an unknown location. */
export const COUNTRIES: Record<Region, readonly (readonly [string, number])[]> = {
  europe: [
    ['de', 22],
    ['fr', 14],
    ['gb', 13],
    ['nl', 7],
    ['es', 6],
    ['it', 6],
    ['pl', 5],
    ['se', 4],
    ['ch', 3],
    ['us', 12],
    ['in', 4],
    ['br', 2],
    ['xx', 2],
  ],
  asia: [
    ['jp', 38],
    ['kr', 10],
    ['cn', 8],
    ['au', 8],
    ['nz', 6],
    ['in', 8],
    ['sg', 5],
    ['us', 9],
    ['de', 3],
    ['xx', 2],
  ],
  americas: [
    ['us', 48],
    ['ca', 12],
    ['mx', 8],
    ['br', 9],
    ['ar', 3],
    ['gb', 6],
    ['de', 5],
    ['jp', 3],
    ['xx', 2],
  ],
};

/** First bytes of demo addresses (arbitrary); the last byte is zeroed, as Matomo's IP anonymisation does. */
export const IP_PREFIX: readonly number[] = [81, 92, 145, 176, 185, 203, 212];

export const DEVICE_WEIGHTS: Record<'weekday' | 'weekend', readonly (readonly [DeviceType, number])[]> = {
  weekday: [
    ['Desktop', 60],
    ['Smartphone', 32],
    ['Tablet', 5],
    ['Phablet', 1.5],
    ['TV', 0.5],
    ['Console', 0.3],
    ['Unknown', 0.7],
  ],
  weekend: [
    ['Desktop', 38],
    ['Smartphone', 50],
    ['Tablet', 8.5],
    ['Phablet', 2],
    ['TV', 0.8],
    ['Console', 0.4],
    ['Unknown', 0.3],
  ],
};

/** Browser and operating system pairs per device type. */
export const PLATFORMS: Record<DeviceType, readonly (readonly [readonly [string, string], number])[]> = {
  Desktop: [
    [['Chrome', 'Windows'], 36],
    [['Chrome', 'Mac'], 10],
    [['Chrome', 'GNU/Linux'], 5],
    [['Firefox', 'Windows'], 7],
    [['Firefox', 'GNU/Linux'], 5],
    [['Firefox', 'Mac'], 2],
    [['Safari', 'Mac'], 14],
    [['Microsoft Edge', 'Windows'], 12],
    [['Opera', 'Windows'], 2],
    [['Chrome', 'Chrome OS'], 2],
  ],
  Smartphone: [
    [['Chrome Mobile', 'Android'], 52],
    [['Mobile Safari', 'iOS'], 40],
    [['Samsung Browser', 'Android'], 8],
  ],
  Phablet: [
    [['Chrome Mobile', 'Android'], 70],
    [['Samsung Browser', 'Android'], 30],
  ],
  Tablet: [
    [['Mobile Safari', 'iPadOS'], 60],
    [['Chrome Mobile', 'Android'], 40],
  ],
  TV: [[['Samsung Browser', 'Tizen'], 1]],
  Console: [[['Microsoft Edge', 'Xbox'], 1]],
  Unknown: [[['Unknown', 'Unknown'], 1]],
};

/** Visits by local hour of day, 0 to 23. */
export const HOUR_WEIGHTS: readonly number[] = [
  1.2, 0.8, 0.5, 0.4, 0.4, 0.6, 1.2, 2.2, 3.5, 4.8, 5.4, 5.5, 4.9, 5.0, 5.4, 5.3, 5.0, 4.4, 3.8, 3.6, 3.8,
  3.4, 2.6, 1.8,
];

/** Monday (index 0) to Sunday. */
export const WEEKDAY_FACTORS: readonly number[] = [1.05, 1.1, 1.08, 1.05, 0.95, 0.62, 0.58];
