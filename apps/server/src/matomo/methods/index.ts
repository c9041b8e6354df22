import type { MethodTable } from '../method-registry';
import { analyticsApiMethods } from './analytics.methods';
import { apiMethods } from './api.methods';
import { oauth2Methods } from './oauth2.methods';
import { sitesManagerMethods } from './sites-manager.methods';

/** Every Matomo API method this server answers; the contract test checks them against openapi.yaml. */
export const matomoMethods: MethodTable = {
  ...apiMethods,
  ...sitesManagerMethods,
  ...analyticsApiMethods,
  ...oauth2Methods,
};
