import { type AuditFilter, isAuditEvent } from '../audit/audit-query';
import type { Params } from '../http/params';
import type { FieldErrors } from './form-fields';

export const AUDIT_PAGE_SIZE = 50;

/** The audit page's filters as typed (query `event`, `client`, `user`), kept in every link. */
export interface AuditFilterValues {
  event: string;
  client: string;
  user: string;
}

export interface AuditQuery {
  values: AuditFilterValues;
  filter: AuditFilter;
  /** From 1. */
  page: number;
  errors: FieldErrors;
}

const typed = (params: Params, name: string) => (params.get(name) ?? '').trim().slice(0, 200);

/** The audit page's query string: filters (an unknown event is shown as an error, not ignored) and the page. */
export function readAuditQuery(params: Params): AuditQuery {
  const values = {
    event: typed(params, 'event'),
    client: typed(params, 'client'),
    user: typed(params, 'user'),
  };
  const knownEvent = values.event === '' || isAuditEvent(values.event);
  const page = params.get('page') ?? '1';
  return {
    values,
    filter: {
      event: values.event !== '' && isAuditEvent(values.event) ? values.event : undefined,
      clientId: values.client || undefined,
      user: values.user || undefined,
    },
    page: /^[1-9][0-9]{0,6}$/.test(page) ? Number(page) : 1,
    errors: knownEvent ? {} : { event: `There is no event "${values.event}".` },
  };
}

/** The audit page with these filters, at this page. */
export function auditLink(values: Partial<AuditFilterValues>, page = 1): string {
  const query = new URLSearchParams();
  for (const name of ['event', 'client', 'user'] as const) {
    const value = values[name];
    if (value) query.set(name, value);
  }
  if (page > 1) query.set('page', String(page));
  const search = query.toString();
  return search ? `/admin/audit?${search}` : '/admin/audit';
}
