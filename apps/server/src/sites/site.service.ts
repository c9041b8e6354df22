import type { Actor } from '../audit/actor';
import type { AuditLog } from '../audit/audit-log';
import type { Db } from '../db/database';
import type { SiteRow } from '../db/schema';
import { NotFoundError } from '../errors/domain-error';
import * as sites from './site.repository';
import type { NewSiteSettings, SiteSettings } from './site-settings';

/** A site's URLs, as stored (a JSON array; the first is its main URL). */
export function siteUrls(site: SiteRow): string[] {
  try {
    const urls: unknown = JSON.parse(site.urls);
    return Array.isArray(urls) ? urls.filter((url): url is string => typeof url === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * The websites: what `SitesManager.*`, the admin pages and the CLI do. Takes settings checked by
 * `checkSiteSettings` / `checkNewSiteSettings`, throws domain errors, records each change in the
 * audit log; knows nothing of HTTP.
 */
export function createSiteService({ db, audit }: { db: Db; audit: AuditLog }) {
  return {
    /** The sites with these ids, ascending. */
    list(ids: readonly number[]): Promise<SiteRow[]> {
      return sites.list(db, ids);
    },

    /** Every site, ascending by id. */
    async all(): Promise<SiteRow[]> {
      return sites.list(db, await sites.ids(db));
    },

    async get(idsite: number): Promise<SiteRow> {
      const site = await sites.find(db, idsite);
      if (!site) throw new NotFoundError(`The website id = ${idsite} does not exist.`);
      return site;
    },

    /** Adds a site, created by `actor`; returns its id. */
    async add(settings: NewSiteSettings, actor: Actor): Promise<number> {
      const idsite = await sites.insert(db, {
        ...settings,
        main_url: settings.main_url ?? '',
        urls: settings.urls ?? '[]',
        timezone: settings.timezone ?? 'UTC',
        currency: settings.currency ?? 'USD',
        creator_login: actor.login,
      });
      audit.record('site.created', {
        actor: actor.login,
        ip: actor.ip,
        detail: { idsite, name: settings.name },
      });
      return idsite;
    },

    /** Changes what `settings` holds (nothing else); an empty change records nothing. */
    async update(idsite: number, settings: SiteSettings, actor: Actor): Promise<void> {
      const changed = Object.keys(settings);
      if (changed.length === 0) return;
      await sites.update(db, idsite, settings);
      audit.record('site.updated', { actor: actor.login, ip: actor.ip, detail: { idsite, changed } });
    },
  };
}

export type SiteService = ReturnType<typeof createSiteService>;
