import type { Kysely } from 'kysely';
import { varchar } from './portable';

// OpenID Connect: the identity scopes a client may ask for and where its sign-out may return;
// what a code and its grant need for ID tokens (the identity scopes granted, the request's nonce,
// when and in which session the user signed in).
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema of their own time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('clients')
    .addColumn('identity_scopes', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema
    .alterTable('clients')
    .addColumn('post_logout_redirect_uris', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  for (const table of ['authorization_codes', 'grants']) {
    await db.schema
      .alterTable(table)
      .addColumn('identity_scopes', varchar(db, 64), (c) => c.notNull().defaultTo(''))
      .execute();
    await db.schema.alterTable(table).addColumn('auth_time', 'bigint').execute();
    await db.schema.alterTable(table).addColumn('sid', varchar(db, 64)).execute();
  }
  await db.schema.alterTable('authorization_codes').addColumn('nonce', varchar(db, 512)).execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('authorization_codes').dropColumn('nonce').execute();
  for (const table of ['grants', 'authorization_codes']) {
    await db.schema.alterTable(table).dropColumn('sid').execute();
    await db.schema.alterTable(table).dropColumn('auth_time').execute();
    await db.schema.alterTable(table).dropColumn('identity_scopes').execute();
  }
  await db.schema.alterTable('clients').dropColumn('post_logout_redirect_uris').execute();
  await db.schema.alterTable('clients').dropColumn('identity_scopes').execute();
}
