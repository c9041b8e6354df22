import { filterArrayResult } from '../../analytics/generic-filters/array-filters';
import type { Clock } from '../../config/clock';
import { MatomoApiError } from '../../errors/matomo-api-error';
import type { SiteService } from '../../sites/site.service';
import { checkNewSiteSettings, checkSiteSettings } from '../../sites/site-settings';
import { checkSites } from '../access-check';
import type { MethodTable } from '../method-registry';
import { siteJson } from './site-json';
import { readSiteSettings } from './site-params';

/** `SitesManager.*`: the websites a caller can see, and adding and changing them. */
export function sitesManagerMethods({ sites, clock }: { sites: SiteService; clock: Clock }): MethodTable {
  return {
    'SitesManager.getSitesWithAtLeastViewAccess': {
      access: 'view',
      async run({ caller, params }) {
        const limit = params.get('limit');
        if (limit !== undefined && !/^[1-9][0-9]{0,8}$/.test(limit))
          throw new MatomoApiError('The parameter limit must be a positive whole number.');
        const ids = caller.sitesWith('view').slice(0, limit === undefined ? undefined : Number(limit));
        const showCreator = caller.superuser;
        const list = (await sites.list(ids)).map((row) => siteJson(row, { showCreator }));
        return filterArrayResult(list, params);
      },
    },

    // Matomo answers a plain list of ids, ascending; a caller without any site gets []. Both
    // lists take the filters Matomo applies to a plain array (array-filters.ts).
    'SitesManager.getSitesIdWithAtLeastViewAccess': {
      access: 'view',
      async run({ caller, params }) {
        return filterArrayResult(caller.sitesWith('view'), params);
      },
    },

    'SitesManager.getSiteFromId': {
      access: 'view',
      async run({ caller, params }) {
        const { ids } = checkSites(caller, params, 'view', { single: true });
        return siteJson(await sites.get(ids[0] as number), { showCreator: caller.superuser });
      },
    },

    'SitesManager.addSite': {
      access: 'superuser',
      async run({ caller, params, ip }) {
        const settings = checkNewSiteSettings(readSiteSettings(params), clock());
        const idsite = await sites.add(settings, { login: caller.login, ip });
        return { value: idsite };
      },
    },

    'SitesManager.updateSite': {
      access: 'admin',
      async run({ caller, params, ip }) {
        const { ids } = checkSites(caller, params, 'admin', { single: true });
        const settings = checkSiteSettings(readSiteSettings(params), {
          now: clock(),
          canSetGroup: caller.superuser,
        });
        await sites.update(ids[0] as number, settings, { login: caller.login, ip });
        return { result: 'success', message: 'ok' };
      },
    },
  };
}
