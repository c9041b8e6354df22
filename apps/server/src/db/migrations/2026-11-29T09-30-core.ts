import type { Kysely } from 'kysely';
import { autoIncrementKey, varchar } from './portable';

// Users, sites, access, clients, and everything the authorization server issues.
// Times are milliseconds since the epoch in `bigint` columns; flags are integers (0/1).
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema of their own time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('login', varchar(db, 100), (c) => c.primaryKey())
    .addColumn('email', varchar(db, 255), (c) => c.notNull())
    .addColumn('password_hash', varchar(db, 255), (c) => c.notNull())
    .addColumn('superuser', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sites')
    .addColumn('idsite', ...autoIncrementKey(db))
    .addColumn('name', varchar(db, 90), (c) => c.notNull())
    .addColumn('main_url', varchar(db, 2048), (c) => c.notNull())
    .addColumn('urls', 'text', (c) => c.notNull())
    .addColumn('ts_created', 'bigint', (c) => c.notNull())
    .addColumn('ecommerce', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sitesearch', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('timezone', varchar(db, 64), (c) => c.notNull())
    .addColumn('currency', varchar(db, 3), (c) => c.notNull())
    .addColumn('excluded_ips', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('site_group', varchar(db, 250), (c) => c.notNull().defaultTo(''))
    .addColumn('type', varchar(db, 32), (c) => c.notNull().defaultTo('website'))
    .addColumn('creator_login', varchar(db, 100), (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('site_access')
    .addColumn('login', varchar(db, 100), (c) => c.notNull().references('users.login').onDelete('cascade'))
    .addColumn('idsite', 'integer', (c) => c.notNull().references('sites.idsite').onDelete('cascade'))
    .addColumn('access', varchar(db, 10), (c) => c.notNull())
    .addPrimaryKeyConstraint('site_access_pk', ['login', 'idsite'])
    .execute();
  await db.schema.createIndex('site_access_idsite').on('site_access').column('idsite').execute();

  await db.schema
    .createTable('clients')
    .addColumn('client_id', varchar(db, 80), (c) => c.primaryKey())
    .addColumn('name', varchar(db, 255), (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('type', varchar(db, 20), (c) => c.notNull())
    .addColumn('secret_digest', varchar(db, 64))
    .addColumn('grant_types', 'text', (c) => c.notNull())
    .addColumn('scope', varchar(db, 32), (c) => c.notNull())
    .addColumn('redirect_uris', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('owner_login', varchar(db, 100), (c) =>
      c.notNull().references('users.login').onDelete('cascade'),
    )
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .execute();
  await db.schema.createIndex('clients_owner_login').on('clients').column('owner_login').execute();

  await db.schema
    .createTable('authorization_codes')
    .addColumn('code_digest', varchar(db, 64), (c) => c.primaryKey())
    .addColumn('client_id', varchar(db, 80), (c) =>
      c.notNull().references('clients.client_id').onDelete('cascade'),
    )
    .addColumn('user_login', varchar(db, 100), (c) =>
      c.notNull().references('users.login').onDelete('cascade'),
    )
    .addColumn('redirect_uri', varchar(db, 2048), (c) => c.notNull())
    .addColumn('redirect_uri_sent', 'integer', (c) => c.notNull())
    .addColumn('scope', varchar(db, 32), (c) => c.notNull())
    .addColumn('code_challenge', varchar(db, 128))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('consumed_at', 'bigint')
    .addColumn('grant_id', varchar(db, 64))
    .execute();
  await db.schema
    .createIndex('authorization_codes_expires_at')
    .on('authorization_codes')
    .column('expires_at')
    .execute();
  await db.schema
    .createIndex('authorization_codes_client_id')
    .on('authorization_codes')
    .column('client_id')
    .execute();

  await db.schema
    .createTable('grants')
    .addColumn('grant_id', varchar(db, 64), (c) => c.primaryKey())
    .addColumn('client_id', varchar(db, 80), (c) =>
      c.notNull().references('clients.client_id').onDelete('cascade'),
    )
    .addColumn('user_login', varchar(db, 100), (c) =>
      c.notNull().references('users.login').onDelete('cascade'),
    )
    .addColumn('scope', varchar(db, 32), (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('access_token_jti', varchar(db, 64), (c) => c.notNull())
    .execute();
  await db.schema.createIndex('grants_client_id').on('grants').column('client_id').execute();
  await db.schema.createIndex('grants_user_login').on('grants').column('user_login').execute();
  await db.schema.createIndex('grants_expires_at').on('grants').column('expires_at').execute();

  await db.schema
    .createTable('refresh_tokens')
    .addColumn('token_digest', varchar(db, 64), (c) => c.primaryKey())
    .addColumn('grant_id', varchar(db, 64), (c) =>
      c.notNull().references('grants.grant_id').onDelete('cascade'),
    )
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('refresh_tokens_grant_id').on('refresh_tokens').column('grant_id').execute();
  await db.schema
    .createIndex('refresh_tokens_expires_at')
    .on('refresh_tokens')
    .column('expires_at')
    .execute();

  await db.schema
    .createTable('revoked_tokens')
    .addColumn('jti', varchar(db, 64), (c) => c.primaryKey())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('revoked_tokens_expires_at')
    .on('revoked_tokens')
    .column('expires_at')
    .execute();

  await db.schema
    .createTable('signing_keys')
    .addColumn('kid', varchar(db, 64), (c) => c.primaryKey())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('private_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('signs_from', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('session_digest', varchar(db, 64), (c) => c.primaryKey())
    .addColumn('user_login', varchar(db, 100), (c) =>
      c.notNull().references('users.login').onDelete('cascade'),
    )
    .addColumn('csrf_token', varchar(db, 64), (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_expires_at').on('sessions').column('expires_at').execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', ...autoIncrementKey(db))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('event', varchar(db, 64), (c) => c.notNull())
    .addColumn('actor', varchar(db, 100))
    .addColumn('client_id', varchar(db, 80))
    .addColumn('ip', varchar(db, 64))
    .addColumn('detail', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_created_at').on('audit_log').column('created_at').execute();
  await db.schema.createIndex('audit_log_event').on('audit_log').column('event').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'audit_log',
    'sessions',
    'signing_keys',
    'revoked_tokens',
    'refresh_tokens',
    'grants',
    'authorization_codes',
    'clients',
    'site_access',
    'sites',
    'users',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
