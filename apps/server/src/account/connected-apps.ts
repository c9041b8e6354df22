import type { Actor } from '../audit/actor';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../config/clock';
import type { Db } from '../db/database';
import {
  type IdentityScope,
  identityScopesFromColumn,
  sortedIdentityScopes,
} from '../protocol/identity-scopes';
import { atMost, type Scope } from '../protocol/scopes';
import * as grants from '../tokens/grant.repository';

/** An application a user has authorized: one per client, over all of the user's live grants to it. */
export interface ConnectedApp {
  clientId: string;
  name: string;
  /** The highest scope among the grants. */
  scope: Scope;
  /** Every OpenID Connect scope of the grants: what the application may know about the user. */
  identityScopes: IdentityScope[];
  /** When the earliest grant was made. */
  firstGrantedAt: number;
  /** The latest refresh (a new refresh token), or the latest grant when none was refreshed. */
  lastUsedAt: number;
}

/** One row per client, by name. */
export function groupByClient(rows: readonly grants.LiveGrantOfUser[]): ConnectedApp[] {
  const byClient = new Map<string, ConnectedApp>();
  for (const row of rows) {
    const usedAt = Math.max(row.created_at, row.last_refresh_token_at ?? row.created_at);
    const app = byClient.get(row.client_id);
    if (!app) {
      byClient.set(row.client_id, {
        clientId: row.client_id,
        name: row.client_name,
        scope: row.scope,
        identityScopes: identityScopesFromColumn(row.identity_scopes),
        firstGrantedAt: row.created_at,
        lastUsedAt: usedAt,
      });
      continue;
    }
    if (!atMost(row.scope, app.scope)) app.scope = row.scope;
    app.identityScopes = sortedIdentityScopes([
      ...app.identityScopes,
      ...identityScopesFromColumn(row.identity_scopes),
    ]);
    app.firstGrantedAt = Math.min(app.firstGrantedAt, row.created_at);
    app.lastUsedAt = Math.max(app.lastUsedAt, usedAt);
  }
  return [...byClient.values()].sort(
    (a, b) => a.name.localeCompare(b.name) || a.clientId.localeCompare(b.clientId),
  );
}

/**
 * The applications a user has authorized, and the user's way to end one: revoking a client
 * revokes all of the user's grants to it, so its refresh tokens fail at once and its access
 * tokens too (the API checks the grant on every call), and a remembered consent goes with them.
 */
export function createConnectedApps({ db, clock, audit }: { db: Db; clock: Clock; audit: AuditLog }) {
  return {
    async list(login: string): Promise<ConnectedApp[]> {
      return groupByClient(await grants.listLiveOfUser(db, login, clock()));
    },

    /** Revokes the user's grants to the client; false when there was none (nothing is recorded). */
    async revoke(actor: Actor, clientId: string): Promise<boolean> {
      const revoked = await grants.revokeAllOfUserForClient(db, actor.login, clientId, clock());
      if (revoked === 0) return false;
      audit.record('grant.revoked', {
        actor: actor.login,
        clientId,
        ip: actor.ip,
        detail: { reason: 'revoked by the user on /account', grants: revoked },
      });
      return true;
    },
  };
}

export type ConnectedApps = ReturnType<typeof createConnectedApps>;
