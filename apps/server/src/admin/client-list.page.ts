import type { Client } from '../clients/client';
import { appHref } from '../pages/app-href';
import { html, type SafeHtml } from '../pages/html';
import { clientActions, clientPath, formatTime, statusBadge, typeLabel } from './client-display';

export interface ClientListModel {
  /** Newest first. */
  clients: readonly Client[];
  issuer: string;
}

function row(client: Client): SafeHtml {
  return html`<tr>
  <td><a href="${appHref(clientPath(client.clientId))}">${client.name}</a></td>
  <td><code class="id">${client.clientId}</code></td>
  <td>${typeLabel(client.type)}</td>
  <td>${client.grantTypes.map((grant, index) => html`${index > 0 ? html`<br>` : ''}<code class="nowrap">${grant}</code>`)}</td>
  <td><code class="nowrap">${client.scope}</code></td>
  <td>${statusBadge(client)}</td>
  <td>${formatTime(client.createdAt)}</td>
  <td>${formatTime(client.lastUsedAt)}</td>
  <td>${clientActions(client, { edit: true })}</td>
</tr>`;
}

const empty = html`<div class="empty">
  <p><strong>No applications yet.</strong></p>
  <p>An application (an OAuth 2.0 client) lets a program use the Matomo API on behalf of the people who sign in to it, or as you.</p>
  <p><a class="button primary" href="${appHref('/admin/clients/new')}">Create the first application</a></p>
</div>`;

/** The applications, with the endpoints they need to be configured with. */
export function clientListBody({ clients, issuer }: ClientListModel): SafeHtml {
  return html`<div class="head">
  <h1>Applications</h1>
  <a class="button primary" href="${appHref('/admin/clients/new')}">New application</a>
</div>
<dl class="details">
  <dt>Authorization endpoint</dt><dd><code>${issuer}/oauth2/authorize</code></dd>
  <dt>Token endpoint</dt><dd><code>${issuer}/oauth2/token</code></dd>
</dl>
${
  clients.length === 0
    ? empty
    : html`<div class="table-wrap" role="region" aria-labelledby="clients-caption" tabindex="0">
<table class="clients">
  <caption id="clients-caption" class="visually-hidden">Applications, newest first</caption>
  <thead><tr>
    <th scope="col">Name</th><th scope="col">Client ID</th><th scope="col">Type</th><th scope="col">Grant types</th>
    <th scope="col">Scope</th><th scope="col">Status</th><th scope="col">Created</th><th scope="col">Last used</th>
    <th scope="col">Actions</th>
  </tr></thead>
  <tbody>
    ${clients.map(row)}
  </tbody>
</table>
</div>`
}`;
}
