import type { Db } from '../db/database';
import type { SiteRow } from '../db/schema';
import { NotFoundError } from '../errors/domain-error';
import * as sites from './site.repository';
import type { NewSiteSettings, SiteSettings } from './site-settings';

/**
 * The websites: what `SitesManager.*` (and a management UI) do. Takes settings checked by
 * `checkSiteSettings` / `checkNewSiteSettings`, throws domain errors; knows nothing of HTTP.
 */
export function createSiteService({ db }: { db: Db }) {
  return {
    /** The sites with these ids, ascending. */
    list(ids: readonly number[]): Promise<SiteRow[]> {
      return sites.list(db, ids);
    },

    async get(idsite: number): Promise<SiteRow> {
      const site = await sites.find(db, idsite);
      if (!site) throw new NotFoundError(`The website id = ${idsite} does not exist.`);
      return site;
    },

    /** Adds a site; returns its id. */
    add(settings: NewSiteSettings, creatorLogin: string): Promise<number> {
      return sites.insert(db, {
        ...settings,
        main_url: settings.main_url ?? '',
        urls: settings.urls ?? '[]',
        timezone: settings.timezone ?? 'UTC',
        currency: settings.currency ?? 'USD',
        creator_login: creatorLogin,
      });
    },

    async update(idsite: number, settings: SiteSettings): Promise<void> {
      await sites.update(db, idsite, settings);
    },
  };
}

export type SiteService = ReturnType<typeof createSiteService>;
