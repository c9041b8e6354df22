import type { Kysely } from 'kysely';
import { float8 } from './portable';

// The visit's coordinates, Matomo's location_latitude and location_longitude (DECIMAL(9,6) there,
// set from the geolocation of the visitor's address). Visits logged before have none (NULL), as
// Matomo's visits without a geolocated position.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema of their own time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('log_visit').addColumn('location_latitude', float8(db)).execute();
  await db.schema.alterTable('log_visit').addColumn('location_longitude', float8(db)).execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('log_visit').dropColumn('location_longitude').execute();
  await db.schema.alterTable('log_visit').dropColumn('location_latitude').execute();
}
