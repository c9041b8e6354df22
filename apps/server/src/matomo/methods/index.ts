import type { ClientService } from '../../clients/client.service';
import type { Clock } from '../../config/clock';
import type { Db } from '../../db/database';
import type { SiteService } from '../../sites/site.service';
import type { MethodTable } from '../method-registry';
import type { ConfirmCallerPassword } from '../password-confirmation';
import { analyticsApiMethods } from './analytics.methods';
import { apiMethods } from './api.methods';
import { bulkRequestMethods } from './bulk-request.methods';
import { oauth2Methods } from './oauth2.methods';
import { sitesManagerMethods } from './sites-manager.methods';

export interface MatomoMethodDeps {
  db: Db;
  clock: Clock;
  sites: SiteService;
  clients: ClientService;
  confirmPassword: ConfirmCallerPassword;
}

/** Every Matomo API method this server answers; the contract test checks them against openapi.yaml. */
export function matomoMethods({ db, clock, sites, clients, confirmPassword }: MatomoMethodDeps): MethodTable {
  const methods: MethodTable = {
    ...apiMethods,
    ...sitesManagerMethods({ sites, clock }),
    ...analyticsApiMethods({ db, clock }),
    ...oauth2Methods({ clients, confirmPassword }),
  };
  // Dispatches to every other method; it is not in its own table, so it never nests.
  return { ...methods, ...bulkRequestMethods(methods) };
}
