import type { Migration, MigrationProvider } from 'kysely';
import * as core from './2026-11-29T09-30-core';
import * as analytics from './2026-11-29T10-00-analytics';
import * as clientCredentialsId from './2026-11-29T11-30-client-credentials-id';
import * as openid from './2026-11-30T14-00-openid';
import * as siteMeasurableSettings from './2026-12-01T09-00-site-measurable-settings';
import * as visitLocationConfig from './2026-12-02T09-00-visit-location-config';
import * as events from './2026-12-03T09-00-events';
import * as goals from './2026-12-04T09-00-goals';
import * as eventActions from './2026-12-05T09-00-event-actions';
import * as visitCoordinates from './2026-12-06T09-00-visit-coordinates';
import * as visitorSecondsSince from './2026-12-07T09-00-visitor-seconds-since';
import * as spentNonces from './2026-12-08T09-00-spent-nonces';
import * as archives from './2026-12-10T09-00-archives';
import * as referrerFirstVisits from './2026-12-11T09-00-referrer-first-visits';
import * as eventFirstHits from './2026-12-12T09-00-event-first-hits';

/** Every migration, by name; names sort in the order they run. */
const migrations: Record<string, Migration> = {
  '2026-11-29T09-30-core': core,
  '2026-11-29T10-00-analytics': analytics,
  '2026-11-29T11-30-client-credentials-id': clientCredentialsId,
  '2026-11-30T14-00-openid': openid,
  '2026-12-01T09-00-site-measurable-settings': siteMeasurableSettings,
  '2026-12-02T09-00-visit-location-config': visitLocationConfig,
  '2026-12-03T09-00-events': events,
  '2026-12-04T09-00-goals': goals,
  '2026-12-05T09-00-event-actions': eventActions,
  '2026-12-06T09-00-visit-coordinates': visitCoordinates,
  '2026-12-07T09-00-visitor-seconds-since': visitorSecondsSince,
  '2026-12-08T09-00-spent-nonces': spentNonces,
  '2026-12-10T09-00-archives': archives,
  '2026-12-11T09-00-referrer-first-visits': referrerFirstVisits,
  '2026-12-12T09-00-event-first-hits': eventFirstHits,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
