import {
  createMatomoClient,
  LoginRequiredError,
  MatomoOAuth2Error,
  OAuthResponseError,
} from '@matomo-oauth2/sdk';
import { createOpenIdLogin } from '@matomo-oauth2/sdk/openid';

/** The dashboard's public client, registered by the server's demo seeding for exactly this redirect URI. */
export const clientId = 'matomo_demo_dashboard';
export const appUrl = `${location.origin}/demo/`;

// The dashboard is served by the authorization server itself, which is also the Matomo API.
export const login = createOpenIdLogin({
  baseUrl: location.origin,
  clientId,
  redirectUri: appUrl,
  scope: 'matomo:read openid profile email',
  // Shared by the tabs of this origin: a second tab is signed in too, and refreshes are coordinated.
  storage: 'localStorage',
});

export const matomo = createMatomoClient({ baseUrl: location.origin, auth: login });

export type Problem = { kind: 'denied' | 'expired' | 'network' | 'other'; title: string; message: string };

/** What went wrong, in words for a person; `kind` says what the page offers next. */
export function describeProblem(error: unknown): Problem {
  if (error instanceof OAuthResponseError && error.error === 'access_denied') {
    return {
      kind: 'denied',
      title: 'Access not allowed',
      message:
        'You chose not to let the dashboard read your analytics, so it has nothing to show. Sign in again and choose “Allow” to see your reports.',
    };
  }
  if (error instanceof LoginRequiredError) {
    return {
      kind: 'expired',
      title: 'Your session has ended',
      message: 'You were signed out, or your sign-in expired. Sign in again to continue where you were.',
    };
  }
  if (isNetworkError(error)) {
    return {
      kind: 'network',
      title: 'The server could not be reached',
      message: 'Check your connection, then try again. Nothing was lost: you are still signed in.',
    };
  }
  return {
    kind: 'other',
    title: 'Something went wrong',
    message: error instanceof Error ? error.message : String(error),
  };
}

/** `fetch` rejects with a TypeError when nothing answered; the SDK may pass it on as the `cause`. */
function isNetworkError(error: unknown): boolean {
  if (error instanceof TypeError) return true;
  if (!(error instanceof MatomoOAuth2Error)) return false;
  return error.cause instanceof TypeError || (error.status !== undefined && error.status >= 502);
}
