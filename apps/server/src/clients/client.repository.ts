import { randomToken } from '../crypto/random';
import type { Db } from '../db/database';
import { type Client, clientFromRow, clientToRow } from './client';

/** A client to insert; its credentials id is generated when not given. */
export type NewClient = Omit<Client, 'credentialsId'> & { credentialsId?: string };

export function createClientRepository(db: Db) {
  return {
    async find(clientId: string): Promise<Client | undefined> {
      const row = await db
        .selectFrom('clients')
        .selectAll()
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return row && clientFromRow(row);
    },

    async list(): Promise<Client[]> {
      const rows = await db
        .selectFrom('clients')
        .selectAll()
        .orderBy('updated_at', 'desc')
        .orderBy('client_id')
        .execute();
      return rows.map(clientFromRow);
    },

    async insert(client: NewClient): Promise<void> {
      await db
        .insertInto('clients')
        .values(clientToRow({ ...client, credentialsId: client.credentialsId ?? randomToken(16) }))
        .execute();
    },

    async update(client: Client): Promise<void> {
      const { client_id, ...row } = clientToRow(client);
      await db.updateTable('clients').set(row).where('client_id', '=', client_id).execute();
    },

    async delete(clientId: string): Promise<boolean> {
      const result = await db.deleteFrom('clients').where('client_id', '=', clientId).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async touch(clientId: string, at: number): Promise<void> {
      await db.updateTable('clients').set({ last_used_at: at }).where('client_id', '=', clientId).execute();
    },
  };
}

export type ClientRepository = ReturnType<typeof createClientRepository>;
