import type { Client } from '../clients/client';
import { appHref } from '../pages/app-href';
import { html, type SafeHtml } from '../pages/html';

/** A moment as people read it on every admin page: `2025-06-01 14:03 UTC`, machine-readable too. */
export function formatTime(ms: number | null, never = 'never'): SafeHtml {
  if (ms === null) return html`<span class="muted">${never}</span>`;
  const iso = new Date(ms).toISOString();
  // The date and the time each stay whole; a narrow column puts them on two lines.
  return html`<time datetime="${iso}"><span class="nowrap">${iso.slice(0, 10)}</span> <span class="nowrap">${iso.slice(11, 16)} UTC</span></time>`;
}

export function typeLabel(type: Client['type']): string {
  return type === 'confidential' ? 'Confidential' : 'Public';
}

export function statusBadge(client: Client): SafeHtml {
  return client.active
    ? html`<span class="badge">Active</span>`
    : html`<span class="badge off">Paused</span>`;
}

/** The path of a client's page, or of one of its actions (`rotate-secret`, `pause`, …). */
export function clientPath(clientId: string, action?: string): string {
  return `/admin/clients/${encodeURIComponent(clientId)}${action ? `/${action}` : ''}`;
}

/** Links to what can be done to a client, each through its own page (a confirmation or the form). */
export function clientActions(client: Client, { edit }: { edit: boolean }): SafeHtml {
  const name = client.name;
  return html`<div class="row-actions">
  ${edit ? html`<a href="${appHref(clientPath(client.clientId))}" aria-label="Edit ${name}">Edit</a>` : ''}
  ${
    client.active
      ? html`<a href="${appHref(clientPath(client.clientId, 'pause'))}" aria-label="Pause ${name}">Pause</a>`
      : html`<a href="${appHref(clientPath(client.clientId, 'resume'))}" aria-label="Resume ${name}">Resume</a>`
  }
  ${
    client.type === 'confidential'
      ? html`<a href="${appHref(clientPath(client.clientId, 'rotate-secret'))}" aria-label="Rotate secret of ${name}">Rotate secret</a>`
      : ''
  }
  <a class="danger" href="${appHref(clientPath(client.clientId, 'delete'))}" aria-label="Delete ${name}">Delete</a>
</div>`;
}
