import type { Kysely } from 'kysely';
import { varchar } from './portable';

// The id of a client's current credentials: client credentials tokens carry it, and a change
// that must end them (secret rotation, pause, a type or grant change) replaces it.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema of their own time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('clients')
    .addColumn('credentials_id', varchar(db, 64), (c) => c.notNull().defaultTo(''))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('clients').dropColumn('credentials_id').execute();
}
