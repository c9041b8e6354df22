import { sql } from 'kysely';
import { randomToken } from '../crypto/random-token';
import type { Db } from '../db/database';
import { dialectOf } from '../db/dialect';
import { dialectSql } from '../db/dialect-sql';
import type { ClientRow } from '../db/schema';
import { type Client, clientFromRow, clientToRow } from './client';

/**
 * A client to insert; its credentials id is generated when not given, and a client registered
 * without OpenID Connect settings gets none.
 */
export type NewClient = Omit<Client, 'credentialsId' | 'identityScopes' | 'postLogoutRedirectUris'> &
  Partial<Pick<Client, 'credentialsId' | 'identityScopes' | 'postLogoutRedirectUris'>>;

export async function find(db: Db, clientId: string): Promise<Client | undefined> {
  const row = await db.selectFrom('clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  return row && clientFromRow(row);
}

/** Every client, the most recently changed first. */
export async function list(db: Db): Promise<Client[]> {
  const rows = await db
    .selectFrom('clients')
    .selectAll()
    .orderBy('updated_at', 'desc')
    .orderBy(dialectSql(dialectOf(db)).binary(sql.ref('client_id')))
    .execute();
  return rows.map(clientFromRow);
}

export async function insert(db: Db, client: NewClient): Promise<void> {
  await db
    .insertInto('clients')
    .values(
      clientToRow({
        identityScopes: [],
        postLogoutRedirectUris: [],
        ...client,
        credentialsId: client.credentialsId ?? randomToken(16),
      }),
    )
    .execute();
}

export async function update(db: Db, client: Client): Promise<void> {
  const { client_id, ...row } = clientToRow(client);
  await db.updateTable('clients').set(row).where('client_id', '=', client_id).execute();
}

/** Deletes a client; its grants, tokens and codes go with it (foreign keys). */
export async function remove(db: Db, clientId: string): Promise<boolean> {
  const result = await db.deleteFrom('clients').where('client_id', '=', clientId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function touch(db: Db, clientId: string, at: number): Promise<void> {
  await db.updateTable('clients').set({ last_used_at: at }).where('client_id', '=', clientId).execute();
}

/** The rows of these clients (those that exist), in no particular order. */
export async function findRows(db: Db, clientIds: readonly string[]): Promise<ClientRow[]> {
  if (clientIds.length === 0) return [];
  return db.selectFrom('clients').selectAll().where('client_id', 'in', clientIds).execute();
}
