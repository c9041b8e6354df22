import { checkSomeAccess } from '../access-check';
import type { MethodTable } from '../method-registry';

/** The Matomo version this server's API imitates. */
export const matomoVersion = '5.4.0';

export const apiMethods: MethodTable = {
  'API.getMatomoVersion': {
    access: 'view',
    async run({ caller }) {
      checkSomeAccess(caller, 'view');
      return { value: matomoVersion };
    },
  },
};
