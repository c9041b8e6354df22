import { MatomoApiError } from '../../errors/matomo-api-error';
import { siteJson } from '../../sites/site-json';
import { readSiteSettings } from '../../sites/site-settings';
import { checkSites } from '../access-check';
import type { MethodTable } from '../method-registry';

export const sitesManagerMethods: MethodTable = {
  'SitesManager.getSitesWithAtLeastViewAccess': {
    access: 'view',
    async run({ services, caller, params }) {
      const limit = params.get('limit');
      if (limit !== undefined && !/^[1-9][0-9]{0,8}$/.test(limit))
        throw new MatomoApiError('The parameter limit must be a positive whole number.');
      const ids = caller.sitesWith('view').slice(0, limit === undefined ? undefined : Number(limit));
      return (await services.sites.list(ids)).map(siteJson);
    },
  },

  'SitesManager.getSiteFromId': {
    access: 'view',
    async run({ services, caller, params }) {
      const { ids } = checkSites(caller, params, 'view', { single: true });
      const site = await services.sites.find(ids[0] as number);
      if (!site) throw new MatomoApiError(`The website id = ${ids[0]} does not exist.`);
      return siteJson(site);
    },
  },

  'SitesManager.addSite': {
    access: 'superuser',
    async run({ services, caller, params }) {
      const settings = readSiteSettings(params);
      if (settings.name === undefined) throw new MatomoApiError("Please specify a value for 'siteName'.");
      const startDate = params.get('startDate');
      if (startDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(startDate)) {
        throw new MatomoApiError('The parameter startDate must be a date, YYYY-MM-DD.');
      }
      const created = startDate === undefined ? services.clock() : Date.parse(`${startDate}T00:00:00Z`);
      if (Number.isNaN(created))
        throw new MatomoApiError('The parameter startDate must be a date, YYYY-MM-DD.');
      const idsite = await services.sites.insert({
        name: settings.name,
        main_url: settings.main_url ?? '',
        urls: settings.urls ?? '[]',
        ts_created: created,
        timezone: settings.timezone ?? 'UTC',
        currency: settings.currency ?? 'USD',
        creator_login: caller.login,
        ...(settings.ecommerce === undefined ? {} : { ecommerce: settings.ecommerce }),
        ...(settings.sitesearch === undefined ? {} : { sitesearch: settings.sitesearch }),
        ...(settings.excluded_ips === undefined ? {} : { excluded_ips: settings.excluded_ips }),
        ...(settings.site_group === undefined ? {} : { site_group: settings.site_group }),
      });
      return { value: idsite };
    },
  },

  'SitesManager.updateSite': {
    access: 'admin',
    async run({ services, caller, params }) {
      const { ids } = checkSites(caller, params, 'admin', { single: true });
      await services.sites.update(ids[0] as number, readSiteSettings(params));
      return { result: 'success', message: 'ok' };
    },
  },
};
