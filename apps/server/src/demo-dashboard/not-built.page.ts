import { html } from '../pages/html';
import { layout } from '../pages/layout';

/** What `/demo/` says when `apps/demo` has not been built: how to build it, never a server error. */
export function dashboardNotBuiltPage(): string {
  return layout({
    title: 'The demo dashboard is not built',
    body: html`<h1>The demo dashboard is not built</h1>
<p>This server serves the demo dashboard from <code>apps/demo/dist</code>, which does not exist yet.</p>
<p>Build it with <code>pnpm --filter @matomo-oauth2/demo build</code> (or <code>pnpm build</code>), then reload this page. <code>npm start</code> builds it for you.</p>`,
  });
}
