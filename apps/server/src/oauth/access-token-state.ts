import { grantTypesFromColumn } from '../clients/client';
import type { Db } from '../db/database';
import { type IdentityScope, sortedIdentityScopes } from '../protocol/identity-scopes';
import { atMost, type Scope } from '../protocol/scopes';
import type { VerifiedAccessToken } from '../tokens/access-token';

export type AccessTokenState =
  | { active: false }
  | { active: true; scope: Scope; identityScopes: IdentityScope[] };

/**
 * Whether a verified access token is still good, and the scope it may use now: its client
 * exists and is active, the token was not revoked, and it still descends from what issued it
 * (its grant, alive and whose current token it is; or, for client credentials, the client's
 * current credentials). The scope is capped by the client's current scope, so lowering a
 * client's scope takes effect at once (and so do identity scopes it may no longer ask for). The key that signed it must still exist: a revoked key
 * (`keys revoke`) ends its tokens at once, also in a server that has not re-read its keys yet.
 * One indexed query: the API runs this on every request.
 */
export async function accessTokenState(db: Db, claims: VerifiedAccessToken): Promise<AccessTokenState> {
  return stateOfRow(await accessTokenStateQuery(db, claims).executeTakeFirst(), claims);
}

/**
 * The query behind `accessTokenState`, for a caller that needs more in the same round trip (the
 * Bearer check joins the token's user and their sites): at most one row, none for an unknown client.
 */
export function accessTokenStateQuery(db: Db, claims: VerifiedAccessToken) {
  return (
    db
      .selectFrom('clients as c')
      // The token's grant. A client credentials token's gid is its client's credentials id, no grant's.
      .leftJoin('grants as g', (join) =>
        join.on('g.grant_id', '=', claims.gid ?? null).onRef('g.client_id', '=', 'c.client_id'),
      )
      .leftJoin('revoked_tokens as t', (join) => join.on('t.jti', '=', claims.jti))
      .leftJoin('signing_keys as k', (join) => join.on('k.kid', '=', claims.kid))
      .select([
        'c.active',
        'c.type',
        'c.grant_types',
        'c.scope',
        'c.identity_scopes',
        'c.credentials_id',
        'g.revoked_at',
        'g.access_token_jti',
        't.jti as revoked_jti',
        'k.kid as signing_kid',
      ])
      .where('c.client_id', '=', claims.client_id)
  );
}

export type AccessTokenStateRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof accessTokenStateQuery>['executeTakeFirst']>>
>;

/** The state of a verified token, from its row of `accessTokenStateQuery` (none: an unknown client). */
export function stateOfRow(
  row: AccessTokenStateRow | undefined,
  claims: VerifiedAccessToken,
): AccessTokenState {
  if (row?.active !== 1 || row.revoked_jti !== null || row.signing_kid === null) return { active: false };
  const descends =
    claims.owner === undefined
      ? // Without a grant, access_token_jti is null.
        row.revoked_at === null && row.access_token_jti === claims.jti
      : row.type === 'confidential' &&
        grantTypesFromColumn(row.grant_types).includes('client_credentials') &&
        claims.gid === row.credentials_id;
  if (!descends) return { active: false };
  const allowed = sortedIdentityScopes(JSON.parse(row.identity_scopes) as string[]);
  return {
    active: true,
    scope: atMost(claims.scope, row.scope) ? claims.scope : row.scope,
    identityScopes: claims.identityScopes.filter((scope) => allowed.includes(scope)),
  };
}
