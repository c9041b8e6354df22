import type { Flag } from '../db/columns';
import type { Db } from '../db/database';
import { BearerError, missingToken } from '../errors/bearer-error';
import type { Params } from '../http/params';
import { type AccessTokenState, accessTokenStateQuery, stateOfRow } from '../oauth/access-token-state';
import type { TokenStateCache } from '../oauth/token-state-cache';
import { MAX_ACCESS_TOKEN_LENGTH } from '../protocol/limits';
import type { AccessLevel } from '../protocol/scopes';
import { type AccessTokenCodec, InvalidTokenError, type VerifiedAccessToken } from '../tokens/access-token';
import { type ApiCaller, createApiCaller } from '../users/api-caller';

export interface BearerAuthenticationDeps {
  db: Db;
  codec: AccessTokenCodec;
  /** Remembers, briefly, the caller a token was found to be (see its bound); none: every request checks. */
  tokenStates?: TokenStateCache<ApiCaller>;
}

/**
 * Authenticates a Matomo API request by its Bearer token (RFC 6750 §2.1), and only by it: an
 * `access_token` parameter in the URL or body is ignored, and refused next to a header, as a
 * token sent two ways. The token must verify, be neither revoked nor from a paused or deleted
 * client, and its user must exist.
 */
export async function authenticateBearer(
  { db, codec, tokenStates }: BearerAuthenticationDeps,
  authorization: string,
  params: Params,
): Promise<ApiCaller> {
  const match = /^bearer(?:\s+(.*))?$/i.exec(authorization.trim());
  if (!match) throw missingToken();
  if (params.has('access_token')) {
    throw new BearerError(
      400,
      'Send the access token in one place only: the Authorization header.',
      'invalid_request',
    );
  }
  // Stryker disable next-line StringLiteral: no token is as malformed as any text that is no token
  const token = match[1] ?? '';
  if (!/^[A-Za-z0-9\-._~+/]+=*$/.test(token) || token.length > MAX_ACCESS_TOKEN_LENGTH) {
    throw new BearerError(400, 'The Authorization header is malformed.', 'invalid_request');
  }

  const known = tokenStates?.get(token);
  if (known) return known;

  const mark = tokenStates?.mark() ?? 0;
  let claims: VerifiedAccessToken;
  try {
    claims = await codec.verify(token);
  } catch (error) {
    if (error instanceof InvalidTokenError) throw new BearerError(401, error.message, 'invalid_token');
    throw error;
  }
  const { state, user } = await callerState(db, claims);
  if (!state.active) {
    throw new BearerError(
      401,
      'The access token has been revoked, or its client is paused or deleted.',
      'invalid_token',
    );
  }
  if (!user) throw new BearerError(401, 'The user of the access token no longer exists.', 'invalid_token');
  // The scope in force: the token's, or lower if the client's scope was lowered since.
  const caller = createApiCaller({
    user,
    clientId: claims.client_id,
    scope: state.scope,
    siteAccess: user.siteAccess,
  });
  tokenStates?.set(token, caller, { mark, exp: claims.exp });
  return caller;
}

interface CallerState {
  state: AccessTokenState;
  /** None if the user no longer exists. */
  user?: { login: string; superuser: Flag; siteAccess: { idsite: number; access: AccessLevel }[] };
}

/**
 * The token's state, its user and their sites, in one round trip (the API runs it on every
 * request): one row per site the user has access to (a super user, every site, at the super user
 * level; anyone else, the sites granted to them), or a single row without a site.
 */
async function callerState(db: Db, claims: VerifiedAccessToken): Promise<CallerState> {
  const login = claims.owner ?? claims.sub;
  const rows = await accessTokenStateQuery(db, claims)
    .leftJoin('users as u', (join) => join.on('u.login', '=', login))
    .leftJoin('sites as s', (join) =>
      join.on((eb) =>
        eb.or([
          eb('u.superuser', '=', 1),
          eb.exists(
            eb
              .selectFrom('site_access as granted')
              .selectAll()
              .where('granted.login', '=', login)
              .whereRef('granted.idsite', '=', 's.idsite'),
          ),
        ]),
      ),
    )
    .leftJoin('site_access as a', (join) => join.onRef('a.idsite', '=', 's.idsite').on('a.login', '=', login))
    // In no particular order: the caller keeps them by site.
    .select(['u.superuser', 's.idsite', 'a.access'])
    .execute();
  const first = rows[0];
  const state = stateOfRow(first, claims);
  // The column is not null: null, no such user (none joined).
  if (!first || first.superuser === null) return { state };
  const superuser = first.superuser;
  // Stryker disable next-line ArrayDeclaration: the caller reads sites by number only: an entry that is no site is never seen
  const siteAccess: NonNullable<CallerState['user']>['siteAccess'] = [];
  for (const { idsite, access } of rows) {
    if (idsite === null) continue;
    if (superuser === 1) {
      siteAccess.push({ idsite, access: 'superuser' });
      continue;
    }
    // Stryker disable next-line ConditionalExpression: a site joins for anyone else only through their site_access row, so access is set; the check narrows the type
    if (access !== null) siteAccess.push({ idsite, access });
  }
  return { state, user: { login, superuser, siteAccess } };
}
