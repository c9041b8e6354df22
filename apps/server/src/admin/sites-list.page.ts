import type { SiteRow } from '../db/schema';
import { appHref } from '../pages/app-href';
import { html, type SafeHtml } from '../pages/html';
import { utcTime } from './utc-time';

/** The websites, by id. */
export function sitesListPage(sites: readonly SiteRow[]): SafeHtml {
  return html`
<div class="head"><h1>Websites</h1><a class="button primary" href="${appHref('/admin/sites/new')}">New website</a></div>
${
  sites.length === 0
    ? html`<p>No websites yet. Add the first one: its id is the <code>idSite</code> the tracker and the API use.</p>`
    : html`<div class="table-wrap">
<table>
  <thead><tr><th scope="col">Id</th><th scope="col">Name</th><th scope="col">Main URL</th><th scope="col">Time zone</th><th scope="col">Currency</th><th scope="col">Created</th></tr></thead>
  <tbody>
  ${sites.map(
    (site) => html`<tr>
    <td>${site.idsite}</td>
    <th scope="row"><a href="${appHref(`/admin/sites/${site.idsite}`)}">${site.name}</a></th>
    <td>${site.main_url ? html`<code>${site.main_url}</code>` : html`<span class="muted">None</span>`}</td>
    <td>${site.timezone}</td>
    <td>${site.currency}</td>
    <td>${utcTime(site.ts_created)}</td>
  </tr>`,
  )}
  </tbody>
</table>
</div>`
}`;
}
