import { visitsChart } from './chart';
import { h, show } from './dom';
import {
  loadReferrers,
  loadSites,
  loadTopPages,
  loadVisits,
  periods,
  type Row,
  type Selection,
  segments,
} from './reports';
import { appUrl, describeProblem, login, type Problem } from './session';

const app = document.querySelector('#app') as HTMLElement;
const who = document.querySelector('#who') as HTMLElement;
const number = new Intl.NumberFormat('en');

function signInButton(label = 'Sign in with Matomo'): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'primary', id: 'sign-in' }, label);
  button.addEventListener('click', () => {
    button.disabled = true;
    login.login({ returnTo: '/demo/' }).catch(showProblem);
  });
  return button;
}

function signedOutView(notice?: string): void {
  show(who);
  show(
    app,
    h(
      'section',
      { class: 'card welcome' },
      h('h1', {}, 'Your Matomo analytics, signed in with OAuth 2.0'),
      notice ? h('p', { class: 'notice', role: 'status' }, notice) : null,
      h(
        'p',
        {},
        'This dashboard is a single-page app that uses @matomo-oauth2/sdk: it signs you in on the server’s own pages, then shows visits, pages and referrers of the sites you can see.',
      ),
      h('p', { class: 'muted' }, 'Demo account: user demo, password demo.'),
      signInButton(),
    ),
  );
}

/** A problem, in place of the dashboard, with the way out that fits it. */
function showProblem(error: unknown): void {
  const problem: Problem = describeProblem(error);
  if (problem.kind !== 'network') show(who);
  const retry = h('button', { type: 'button', class: 'primary', id: 'retry' }, 'Try again');
  retry.addEventListener('click', () => void start());
  show(
    app,
    h(
      'section',
      { class: `card problem ${problem.kind}`, role: 'alert' },
      h('h1', {}, problem.title),
      h('p', {}, problem.message),
      problem.kind === 'network' || problem.kind === 'other' ? retry : signInButton('Sign in again'),
    ),
  );
}

function table(caption: string, first: string, rows: Row[]): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, 'No visits in this period.');
  const max = Math.max(...rows.map((row) => row.visits), 1);
  return h(
    'table',
    {},
    h('caption', { class: 'visually-hidden' }, caption),
    h(
      'thead',
      {},
      h('tr', {}, h('th', { scope: 'col' }, first), h('th', { scope: 'col', class: 'num' }, 'Visits')),
    ),
    h(
      'tbody',
      {},
      ...rows.map((row) => {
        const bar = h('span', { class: 'bar' });
        bar.style.width = `${Math.round((row.visits / max) * 100)}%`;
        return h(
          'tr',
          {},
          h('td', {}, h('span', { class: 'label' }, row.label), bar),
          h('td', { class: 'num' }, number.format(row.visits)),
        );
      }),
    ),
  );
}

function picker(id: string, label: string, options: { value: string; label: string }[], value: string) {
  const select = h('select', { id, name: id });
  for (const option of options) {
    select.append(h('option', { value: option.value, selected: option.value === value }, option.label));
  }
  return { select, field: h('div', { class: 'field' }, h('label', { for: id }, label), select) };
}

async function showUser(): Promise<void> {
  // UserInfo has the name and e-mail; the ID token (no request) has the login alone.
  const user = await login.getUserInfo().catch(() => login.getUser());
  const name = ('preferred_username' in user && user.preferred_username) || user.sub;
  const signOut = h('button', { type: 'button', id: 'sign-out' }, 'Sign out');
  signOut.addEventListener('click', () => {
    signOut.disabled = true;
    // Revokes the tokens, then ends the server's sign-in session and comes back here.
    login.logout({ endSession: true, postLogoutRedirectUri: appUrl }).catch(showProblem);
  });
  show(
    who,
    h('span', { id: 'user' }, 'Signed in as ', h('strong', {}, String(name))),
    'email' in user && user.email ? h('span', { class: 'muted email' }, String(user.email)) : null,
    signOut,
  );
}

async function dashboard(): Promise<void> {
  await showUser();
  const sites = await loadSites();
  if (sites.length === 0) {
    show(
      app,
      h(
        'section',
        { class: 'card' },
        h('h1', {}, 'No sites'),
        h('p', {}, 'Your account has no access to any site yet.'),
      ),
    );
    return;
  }
  const selection: Selection = { idSite: sites[0]?.idsite ?? 1, period: periods[1], segment: '' };
  const site = picker(
    'site',
    'Site',
    sites.map((s) => ({ value: String(s.idsite), label: s.name })),
    String(selection.idSite),
  );
  const period = picker(
    'period',
    'Period',
    periods.map((p) => ({ value: p.id, label: p.label })),
    selection.period.id,
  );
  const segment = picker(
    'segment',
    'Device type',
    segments.map((s) => ({ value: s.id, label: s.label })),
    selection.segment,
  );
  const chart = h('section', { class: 'card chart-card', 'aria-labelledby': 'visits-heading' });
  const pages = h('section', { class: 'card', 'aria-labelledby': 'pages-heading' });
  const referrers = h('section', { class: 'card', 'aria-labelledby': 'referrers-heading' });
  const sitesList = h('p', { class: 'muted sites' }, `Your sites: ${sites.map((s) => s.name).join(', ')}.`);
  show(
    app,
    h('h1', { class: 'visually-hidden' }, 'Dashboard'),
    h('form', { class: 'controls', id: 'controls' }, site.field, period.field, segment.field),
    sitesList,
    chart,
    h('div', { class: 'columns' }, pages, referrers),
  );

  let drawChart = () => {};
  let lastWidth = window.innerWidth;
  window.addEventListener('resize', () => {
    if (window.innerWidth === lastWidth) return;
    lastWidth = window.innerWidth;
    drawChart();
  });
  const reload = async () => {
    const periodLabel = selection.period.label.toLowerCase();
    const segmentLabel = segments.find((s) => s.id === selection.segment)?.label ?? 'All devices';
    const siteName = sites.find((s) => s.idsite === selection.idSite)?.name ?? '';
    for (const section of [chart, pages, referrers]) section.setAttribute('aria-busy', 'true');
    try {
      const [visits, topPages, topReferrers] = await Promise.all([
        loadVisits(selection),
        loadTopPages(selection),
        loadReferrers(selection),
      ]);
      const title = `Visits per day, last 30 days: ${siteName} (${segmentLabel.toLowerCase()})`;
      drawChart = () => {
        const width = Math.max(300, Math.min(720, chart.clientWidth - 40));
        show(chart, h('h2', { id: 'visits-heading' }, title), visitsChart(title, visits, width));
      };
      drawChart();
      show(
        pages,
        h('h2', { id: 'pages-heading' }, `Top pages, ${periodLabel}`),
        table('Top pages', 'Page', topPages),
      );
      show(
        referrers,
        h('h2', { id: 'referrers-heading' }, `Referrers, ${periodLabel}`),
        table('Referrers by channel', 'Channel', topReferrers),
      );
      for (const section of [chart, pages, referrers]) section.removeAttribute('aria-busy');
    } catch (error) {
      showProblem(error);
    }
  };
  site.select.addEventListener('change', () => {
    selection.idSite = Number(site.select.value);
    void reload();
  });
  period.select.addEventListener('change', () => {
    selection.period = periods.find((p) => p.id === period.select.value) ?? periods[1];
    void reload();
  });
  segment.select.addEventListener('change', () => {
    selection.segment = segment.select.value;
    void reload();
  });
  await reload();
}

/** The callback (`code` or `error` in the address), the return from sign-out (`state` alone), or a plain visit. */
async function start(): Promise<void> {
  const params = new URLSearchParams(location.search);
  let notice: string | undefined;
  if (params.has('code') || params.has('error')) {
    // Checks state and iss, exchanges the code, and cleans the address bar whatever happens.
    await login.handleRedirectCallback();
    history.replaceState(null, '', appUrl);
  } else if (params.has('state')) {
    history.replaceState(null, '', appUrl);
    notice = 'You are signed out, of this dashboard and of the server.';
  }
  if (await login.isAuthenticated()) await dashboard();
  else signedOutView(notice);
}

// Another tab signed out, or the session ended there: this tab follows. Another tab signed in: so does this one.
login.tokens.on('sessionEnded', () =>
  signedOutView('You were signed out in another tab, or your session ended.'),
);
login.tokens.on('tokens', (tokens, source) => {
  if (tokens && (source === 'tab' || source === 'storage') && document.querySelector('#sign-in'))
    void start();
});

start().catch(showProblem);
