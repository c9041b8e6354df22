import { auditEvents } from '../audit/audit-log';
import type { AuditRecord } from '../audit/audit-query';
import { appHref } from '../pages/app-href';
import { html, type SafeHtml } from '../pages/html';
import { type AuditQuery, auditLink } from './audit-filter';
import { selectField, textField } from './form-fields';
import { utcTime } from './utc-time';

export interface AuditPageModel {
  query: AuditQuery;
  entries: readonly AuditRecord[];
  total: number;
  pageCount: number;
}

function plain(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item !== 'object' || item === null))
    return value.map(String).join(', ');
  return JSON.stringify(value) ?? String(value);
}

/** An entry's details as `key: value` lines (the user it is about has its own column). */
function details(detail: Record<string, unknown>): SafeHtml {
  const pairs = Object.entries(detail).filter(([key]) => key !== 'login');
  return html`${pairs.map(([key, value]) => html`<span class="kv"><span class="muted">${key}:</span> ${plain(value)}</span>`)}`;
}

function filters({ values, errors }: AuditQuery): SafeHtml {
  return html`<form method="get" action="${appHref('/admin/audit')}" class="filters audit-filters" role="search" aria-label="Filter the audit log">
  ${selectField({
    name: 'event',
    label: 'Event',
    value: values.event,
    choices: [
      { value: '', label: 'All events' },
      ...auditEvents.map((event) => ({ value: event, label: event })),
    ],
    errors,
  })}
  ${textField({ name: 'client', label: 'Client id', value: values.client, autocomplete: 'off', errors })}
  ${textField({ name: 'user', label: 'User', value: values.user, autocomplete: 'off', errors })}
  <div class="filter-actions"><button type="submit" class="primary">Filter</button> <a href="${appHref('/admin/audit')}">Clear</a></div>
</form>`;
}

function row(entry: AuditRecord, values: AuditQuery['values']): SafeHtml {
  const login = typeof entry.detail.login === 'string' ? entry.detail.login : undefined;
  return html`<tr>
    <td class="time-cell">${utcTime(entry.createdAt)}</td>
    <td>${entry.actor ? html`<a href="${appHref(auditLink({ ...values, user: entry.actor }))}">${entry.actor}</a>` : html`<span class="muted">—</span>`}</td>
    <td class="code-cell"><a href="${appHref(auditLink({ ...values, event: entry.event }))}"><code>${entry.event}</code></a></td>
    <td class="code-cell">${entry.clientId ? html`<a href="${appHref(auditLink({ ...values, client: entry.clientId }))}"><code>${entry.clientId}</code></a>` : ''}</td>
    <td>${login ?? ''}</td>
    <td>${entry.ip ?? ''}</td>
    <td class="audit-detail">${details(entry.detail)}</td>
  </tr>`;
}

function pager({ query, pageCount }: AuditPageModel): SafeHtml {
  const { page, values } = query;
  return html`<nav class="pager" aria-label="Pages of the audit log">
  ${page > 1 ? html`<a href="${appHref(auditLink(values, Math.min(page - 1, Math.max(pageCount, 1))))}" rel="prev">← Previous</a>` : ''}
  <span class="muted">Page ${page} of ${Math.max(pageCount, 1)}</span>
  ${page < pageCount ? html`<a href="${appHref(auditLink(values, page + 1))}" rel="next">Next →</a>` : ''}
</nav>`;
}

/** The audit log, newest first, one page at a time, with the filters. */
export function auditPage(model: AuditPageModel): SafeHtml {
  const { query, entries, total } = model;
  const filtered = Object.values(query.values).some((value) => value !== '');
  return html`
<div class="head"><h1>Audit log</h1><p class="muted">${total} ${total === 1 ? 'entry' : 'entries'}${filtered ? ' match' : ''}, newest first</p></div>
${filters(query)}
${
  entries.length === 0
    ? html`<p>${filtered ? 'No entry matches these filters.' : 'No entries on this page.'}</p>`
    : html`<div class="table-wrap">
<table class="audit">
  <thead><tr><th scope="col">Time (UTC)</th><th scope="col">Actor</th><th scope="col">Event</th><th scope="col">Client</th><th scope="col">User</th><th scope="col">Source address</th><th scope="col">Details</th></tr></thead>
  <tbody>
  ${entries.map((entry) => row(entry, query.values))}
  </tbody>
</table>
</div>`
}
${pager(model)}`;
}
