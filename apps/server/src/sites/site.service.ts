import type { Clock } from '../config/clock';
import type { Db } from '../db/database';
import type { SiteRow } from '../db/schema';
import { NotFoundError, ValidationError } from '../errors/domain-error';
import * as sites from './site.repository';
import { checkSiteSettings, type SiteSettingsInput } from './site-settings';

/** A new site: its settings, and optionally the day it was created (`YYYY-MM-DD`, UTC). */
export interface NewSiteInput extends SiteSettingsInput {
  startDate?: string | undefined;
}

/** The websites: what `SitesManager.*` (and a management UI) do. Typed input, domain errors. */
export function createSiteService({ db, clock }: { db: Db; clock: Clock }) {
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
    async add(input: NewSiteInput, creatorLogin: string): Promise<number> {
      const settings = checkSiteSettings(input);
      if (settings.name === undefined)
        throw new ValidationError("Please specify a value for 'siteName'.", 'name');
      const { startDate } = input;
      const created = startDate === undefined ? clock() : Date.parse(`${startDate}T00:00:00Z`);
      if ((startDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(startDate)) || Number.isNaN(created)) {
        throw new ValidationError('The parameter startDate must be a date, YYYY-MM-DD.', 'startDate');
      }
      return sites.insert(db, {
        name: settings.name,
        main_url: settings.main_url ?? '',
        urls: settings.urls ?? '[]',
        ts_created: created,
        timezone: settings.timezone ?? 'UTC',
        currency: settings.currency ?? 'USD',
        creator_login: creatorLogin,
        ...(settings.ecommerce === undefined ? {} : { ecommerce: settings.ecommerce }),
        ...(settings.sitesearch === undefined ? {} : { sitesearch: settings.sitesearch }),
        ...(settings.excluded_ips === undefined ? {} : { excluded_ips: settings.excluded_ips }),
        ...(settings.site_group === undefined ? {} : { site_group: settings.site_group }),
      });
    },

    async update(idsite: number, input: SiteSettingsInput): Promise<void> {
      await sites.update(db, idsite, checkSiteSettings(input));
    },
  };
}

export type SiteService = ReturnType<typeof createSiteService>;
