import { createTestClock } from '@matomo-oauth2/testing';
import { decodeJwt } from 'jose';
import { type AuditLog, createAuditLog } from '../../src/audit/audit-log';
import * as clients from '../../src/clients/client.repository';
import { registerClient } from '../../src/clients/client-registration';
import type { Db } from '../../src/db/database';
import { createLogger } from '../../src/logging/logger';
import { createRevokeGrant } from '../../src/oauth/grants/revoke-grant';
import { type AccessTokenCodec, createAccessTokenCodec } from '../../src/tokens/access-token';
import { createIdTokenCodec } from '../../src/tokens/id-token';
import { openSigningKeyStore } from '../../src/tokens/signing-keys';
import { openTestDatabase } from './test-database';

export const HOUR = 3_600_000;

/**
 * What the grants of the token endpoint work with, for their unit tests: a real database with
 * clients of each kind, signing keys, the audit log, and grant revocation as the server wires it.
 * Clients: `web` (confidential, authorization code and refresh token, up to matomo:admin),
 * `native` (public, authorization code only, matomo:write), `machine` (confidential, client
 * credentials, matomo:write), `public_cc` (public with client credentials, as no form allows).
 */
export async function openGrantFixture() {
  const { db, close } = await openTestDatabase();
  const clock = createTestClock(1_800_000_000_000);
  const keys = await openSigningKeyStore({
    db,
    masterSecret: Buffer.alloc(32, 3),
    clock,
    accessTokenTtlMs: HOUR,
  });
  const codec: AccessTokenCodec = createAccessTokenCodec({
    keys,
    clock,
    issuer: 'https://as.example',
    audience: 'https://as.example',
    ttlSeconds: 3600,
  });
  const idTokens = createIdTokenCodec({ keys, clock, issuer: 'https://as.example', ttlSeconds: 3600 });
  const audit: AuditLog = createAuditLog({ db, clock, logger: createLogger({ level: 'silent' }) });
  const revokeGrant = createRevokeGrant({ db, clock, audit });
  const redirectUris = ['https://app.example/cb'];
  const common = { ownerLogin: 'owner', redirectUris };
  await registerClient(
    db,
    {
      ...common,
      clientId: 'web',
      name: 'Web',
      secret: 's',
      grantTypes: ['authorization_code', 'refresh_token'],
      scope: 'matomo:admin',
    },
    0,
  );
  await registerClient(
    db,
    {
      ...common,
      clientId: 'native',
      name: 'Native',
      grantTypes: ['authorization_code'],
      scope: 'matomo:write',
    },
    0,
  );
  await registerClient(
    db,
    {
      ...common,
      clientId: 'machine',
      name: 'Machine',
      secret: 's',
      grantTypes: ['client_credentials'],
      scope: 'matomo:write',
    },
    0,
  );
  await clients.insert(db, {
    clientId: 'public_cc',
    name: 'Public with client credentials',
    description: '',
    type: 'public',
    secretDigest: null,
    grantTypes: ['client_credentials'],
    scope: 'matomo:read',
    redirectUris: [],
    active: true,
    ownerLogin: 'owner',
    createdAt: 0,
    updatedAt: 0,
    lastUsedAt: null,
  });

  return {
    db,
    clock,
    codec,
    idTokens,
    audit,
    revokeGrant,
    async client(clientId: string) {
      const client = await clients.find(db, clientId);
      if (!client) throw new Error(`no client ${clientId}`);
      return client;
    },
    /** The audit log's entries of `event`, details parsed. */
    async events(event: string) {
      await audit.committed();
      const rows = await db
        .selectFrom('audit_log')
        .select(['actor', 'client_id', 'ip', 'detail'])
        .where('event', '=', event)
        .orderBy('id')
        .execute();
      return rows.map((row) => ({ ...row, detail: JSON.parse(row.detail) as Record<string, unknown> }));
    },
    async close() {
      await audit.close();
      await close();
    },
  };
}

export type GrantFixture = Awaited<ReturnType<typeof openGrantFixture>>;

/** The claims of an access token (unverified: the grant signed it a line ago). */
export const claimsOf = (token: string) => decodeJwt(token);

export type { Db };
