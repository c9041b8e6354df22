import { createBrowserLogin, createMatomoClient } from '@matomo-oauth2/sdk';

const login = createBrowserLogin({
  baseUrl: 'http://127.0.0.1:8080',
  clientId: 'matomo_demo_spa',
  redirectUri: 'http://127.0.0.1:5173/callback',
  scope: 'matomo:read',
  storage: 'localStorage',
});
const main = document.querySelector('main') ?? document.body;
if (location.pathname === '/callback') {
  // Completes the login, then leaves /callback: reloaded, it would have no authorization response.
  const { returnTo } = await login.handleRedirectCallback();
  history.replaceState(null, '', returnTo ?? '/');
}
// isAuthenticated(): "am I signed in?" (fresh or refreshable tokens here); reads storage, sends nothing
if (await login.isAuthenticated()) {
  const matomo = createMatomoClient({ baseUrl: 'http://127.0.0.1:8080', auth: login });
  const week = await matomo.call('VisitsSummary.get', { idSite: 1, period: 'day', date: 'last7' });
  // week: { [date: string]: VisitsSummary | [] }, typed from the contract
  const visits = Object.values(week).reduce((sum, day) => sum + (Array.isArray(day) ? 0 : day.nb_visits), 0);
  main.textContent = `Signed in. Site 1 had ${visits} visits in the last 7 days.`;
} else {
  const button = main.appendChild(document.createElement('button'));
  button.textContent = 'Sign in with Matomo';
  button.onclick = () => login.login({ returnTo: location.pathname });
}
