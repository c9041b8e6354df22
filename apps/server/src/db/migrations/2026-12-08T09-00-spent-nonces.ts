import type { Kysely } from 'kysely';
import { varchar } from './portable';

// Nonces that may be used once (the one-time showing of a client secret), kept in the database so
// that every worker process and every instance sees a nonce spent by another. A row is kept until
// `expires_at`; the housekeeping sweep deletes it after.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema of their own time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('spent_nonces')
    .addColumn('nonce', varchar(db, 64), (c) => c.primaryKey())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('spent_nonces_expires_at').on('spent_nonces').column('expires_at').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('spent_nonces').execute();
}
