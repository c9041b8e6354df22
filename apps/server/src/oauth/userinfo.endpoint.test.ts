import compose from 'koa-compose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type GrantFixture, openGrantFixture } from '../../test/support/grant-fixture';
import { createTestContext } from '../../test/support/koa-context';
import { registerClient } from '../clients/client-registration';
import { Params } from '../http/params';
import type { AppMiddleware } from '../http/state';
import type { GrantType } from '../protocol/grant-types';
import type { IdentityScope } from '../protocol/identity-scopes';
import { MAX_ACCESS_TOKEN_LENGTH } from '../protocol/limits';
import { createAccessTokenCodec } from '../tokens/access-token';
import * as grants from '../tokens/grant.repository';
import { openSigningKeyStore, type SigningKeyStore } from '../tokens/signing-keys';
import { userinfoEndpoint } from './userinfo.endpoint';

let fixture: GrantFixture;
let endpoint: ReturnType<typeof userinfoEndpoint>;

beforeAll(async () => {
  fixture = await openGrantFixture();
  endpoint = userinfoEndpoint({ db: fixture.db, codec: fixture.codec });
  const signIn = {
    ownerLogin: 'owner',
    grantTypes: ['authorization_code', 'refresh_token'] as GrantType[],
  };
  await registerClient(
    fixture.db,
    {
      ...signIn,
      clientId: 'rp',
      name: 'RP',
      secret: 's',
      scope: 'matomo:read',
      identityScopes: ['openid', 'profile', 'email'],
    },
    0,
  );
  await registerClient(
    fixture.db,
    {
      ...signIn,
      clientId: 'rp_lowered',
      name: 'RP lowered',
      secret: 's',
      scope: 'matomo:read',
      identityScopes: ['openid'],
    },
    0,
  );
  await registerClient(
    fixture.db,
    {
      clientId: 'machine_oidc',
      name: 'Machine',
      secret: 's',
      ownerLogin: 'owner',
      grantTypes: ['client_credentials'],
      scope: 'matomo:read',
      identityScopes: ['openid'],
    },
    0,
  );
});
afterAll(() => fixture.close());

let grants_ = 0;
/** A live access token of `clientId` for `login`, from a new grant, with these identity scopes. */
async function tokenFor(
  identityScopes: IdentityScope[],
  { clientId = 'rp', login = 'owner', sub = login }: { clientId?: string; login?: string; sub?: string } = {},
) {
  const grantId = `g${++grants_}`;
  const jti = fixture.codec.newJti();
  await grants.insert(fixture.db, {
    grant_id: grantId,
    client_id: clientId,
    user_login: login,
    scope: 'matomo:read',
    created_at: 0,
    expires_at: Number.MAX_SAFE_INTEGER,
    revoked_at: null,
    access_token_jti: jti,
  });
  const { token } = await fixture.codec.sign({
    sub,
    clientId,
    scope: 'matomo:read',
    identityScopes,
    grantId,
    jti,
  });
  return { token, grantId };
}

interface Call {
  method?: 'GET' | 'POST';
  url?: string;
  headers?: Record<string, string>;
  /** The form body, as readForm leaves it. */
  form?: [string, string][];
  /** Whether the body was a form (false: another content type). */
  hasForm?: boolean;
  chain?: AppMiddleware[];
}

/** A request through the endpoint's GET or POST chain; the response as a client reads it. */
async function call({ method = 'GET', url = '/oauth2/userinfo', headers = {}, form, hasForm, chain }: Call) {
  const ctx = createTestContext({
    method,
    url,
    headers,
    state: form === undefined ? {} : { form: new Params(form), hasForm: hasForm ?? true },
  });
  const errors: unknown[] = [];
  ctx.app.on('error', (error) => errors.push(error));
  await compose(chain ?? (method === 'GET' ? endpoint.get : endpoint.post))(ctx);
  return {
    status: ctx.status,
    body: ctx.body as Record<string, unknown>,
    challenge: ctx.response.get('WWW-Authenticate'),
    cacheControl: ctx.response.get('Cache-Control'),
    pragma: ctx.response.get('Pragma'),
    cors: ctx.response.get('Access-Control-Allow-Origin'),
    errors,
  };
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('the claims of a valid token (OpenID Connect Core §5.3.2)', () => {
  test.each<[IdentityScope[], Record<string, unknown>]>([
    [['openid'], { sub: 'owner' }],
    [['openid', 'profile'], { sub: 'owner', preferred_username: 'owner', name: 'owner' }],
    [['openid', 'email'], { sub: 'owner', email: 'owner@example.org', email_verified: false }],
    [
      ['openid', 'profile', 'email'],
      {
        sub: 'owner',
        preferred_username: 'owner',
        name: 'owner',
        email: 'owner@example.org',
        email_verified: false,
      },
    ],
  ])('scope %j: %j, never cached', async (identity, claims) => {
    const { token } = await tokenFor(identity);
    expect(await call({ headers: bearer(token) })).toMatchObject({
      status: 200,
      body: claims,
      cacheControl: 'no-store',
      pragma: 'no-cache',
    });
    expect(Object.keys((await call({ headers: bearer(token) })).body).sort()).toEqual(
      Object.keys(claims).sort(),
    );
  });

  test('identity scopes the client may no longer ask for are not answered', async () => {
    const { token } = await tokenFor(['openid', 'profile', 'email'], { clientId: 'rp_lowered' });
    expect((await call({ headers: bearer(token) })).body).toEqual({ sub: 'owner' });
  });

  test.each<[string, Call]>([
    ['lower-case scheme, extra spaces around', { headers: { Authorization: '  bearer   TOKEN  ' } }],
    ['upper-case scheme', { headers: { Authorization: 'BEARER TOKEN' } }],
    ['a tab after the scheme', { headers: { Authorization: 'Bearer\tTOKEN' } }],
    ['POST, in the header', { method: 'POST', headers: { Authorization: 'Bearer TOKEN' }, form: [] }],
    ['POST, in the form body', { method: 'POST', form: [['access_token', 'TOKEN']] }],
  ])('the token is read: %s', async (_, request) => {
    const { token } = await tokenFor(['openid']);
    const replace = (text: string) => text.replace('TOKEN', token);
    const headers = Object.fromEntries(
      Object.entries(request.headers ?? {}).map(([name, value]) => [name, replace(value)]),
    );
    const form = request.form?.map(([name, value]): [string, string] => [name, replace(value)]);
    expect(await call({ ...request, headers, ...(form === undefined ? {} : { form }) })).toMatchObject({
      status: 200,
      body: { sub: 'owner' },
    });
  });

  test('a browser app may read the answer (CORS)', async () => {
    const { token } = await tokenFor(['openid']);
    expect(await call({ headers: { ...bearer(token), Origin: 'https://app.example' } })).toMatchObject({
      status: 200,
      cors: '*',
    });
    expect(
      await call({
        method: 'POST',
        headers: { Origin: 'https://app.example' },
        form: [['access_token', token]],
      }),
    ).toMatchObject({ status: 200, cors: '*' });
  });
});

describe('RFC 6750 §3 errors', () => {
  const realm = 'Bearer realm="matomo-oauth2"';

  test.each<[string, Call]>([
    ['no Authorization header', {}],
    ['another scheme', { headers: { Authorization: 'Basic b3duZXI6cHc=' } }],
    ['the scheme run into the token', { headers: { Authorization: 'Bearerabc' } }],
    ['the scheme inside another word', { headers: { Authorization: 'xBearer abc' } }],
    // A form on a GET (which reads no body), or a POST body that is not a form, carries no token.
    ['a GET with a body', { form: [['access_token', 'abc']] }],
    ['a POST body that is no form', { method: 'POST', form: [['access_token', 'abc']], hasForm: false }],
    ['an empty POST', { method: 'POST', form: [] }],
  ])('%s: 401 with a bare challenge', async (_, request) => {
    expect(await call(request)).toMatchObject({
      status: 401,
      challenge: realm,
      body: {
        error: 'invalid_token',
        error_description: 'An access token is required: send it as Authorization: Bearer <token>',
      },
      cacheControl: 'no-store',
    });
  });

  test.each<[string, Call, string]>([
    [
      'a token in the URL',
      { url: '/oauth2/userinfo?access_token=abc' },
      'An access token in the URL is refused: send it in the Authorization header',
    ],
    [
      'an empty token in the URL, with a good header',
      { url: '/oauth2/userinfo?access_token=', headers: bearer('abc') },
      'An access token in the URL is refused: send it in the Authorization header',
    ],
    [
      'a token in the header and the form',
      { method: 'POST', headers: bearer('abc'), form: [['access_token', 'abc']] },
      'Send the access token in one place only',
    ],
    [
      'a header of another scheme and a token in the form',
      { method: 'POST', headers: { Authorization: 'Basic abc' }, form: [['access_token', 'abc']] },
      'Send the access token in one place only',
    ],
    ['the scheme alone', { headers: { Authorization: 'Bearer' } }, 'The access token is malformed'],
    ['the scheme and spaces', { headers: { Authorization: 'Bearer   ' } }, 'The access token is malformed'],
    ['two words', { headers: bearer('abc def') }, 'The access token is malformed'],
    ['a character no token has', { headers: bearer('abc!def') }, 'The access token is malformed'],
    ['padding in the middle', { headers: bearer('abc=def') }, 'The access token is malformed'],
    ['padding alone', { headers: bearer('==') }, 'The access token is malformed'],
    ['a comma', { headers: bearer('abc,def') }, 'The access token is malformed'],
    [
      'one character too long',
      { headers: bearer('a'.repeat(MAX_ACCESS_TOKEN_LENGTH + 1)) },
      'The access token is malformed',
    ],
    [
      'a malformed token in the form',
      { method: 'POST', form: [['access_token', 'a b']] },
      'The access token is malformed',
    ],
  ])('%s: 400 invalid_request', async (_, request, description) => {
    expect(await call(request)).toMatchObject({
      status: 400,
      challenge: `${realm}, error="invalid_request"`,
      body: { error: 'invalid_request', error_description: description },
      cacheControl: 'no-store',
      pragma: 'no-cache',
    });
  });

  test.each([['abc.def'], ['a-b_c.d~e+f/g'], ['AZaz09=='], ['abc='], ['a'.repeat(MAX_ACCESS_TOKEN_LENGTH)]])(
    '%s, of the token68 syntax, is read and refused as a token: 401 invalid_token',
    async (text) => {
      expect(await call({ headers: bearer(text) })).toMatchObject({
        status: 401,
        challenge: `${realm}, error="invalid_token"`,
        body: { error: 'invalid_token', error_description: 'The access token is malformed' },
      });
    },
  );

  test('an expired token: 401 invalid_token, with why', async () => {
    const { token } = await tokenFor(['openid']);
    fixture.clock.advance(3_600_000);
    try {
      expect(await call({ headers: bearer(token) })).toMatchObject({
        status: 401,
        challenge: `${realm}, error="invalid_token"`,
        body: { error: 'invalid_token', error_description: 'The access token has expired' },
      });
    } finally {
      fixture.clock.advance(-3_600_000);
    }
  });

  test('a revoked token: 401 invalid_token', async () => {
    const { token, grantId } = await tokenFor(['openid']);
    await grants.revoke(fixture.db, grantId, 1);
    expect(await call({ headers: bearer(token) })).toMatchObject({
      status: 401,
      challenge: `${realm}, error="invalid_token"`,
      body: {
        error: 'invalid_token',
        error_description: 'The access token has been revoked, or its client is paused or deleted',
      },
    });
  });

  test('a token whose user is unknown: 401 invalid_token', async () => {
    const { token } = await tokenFor(['openid'], { sub: 'ghost' });
    expect(await call({ headers: bearer(token) })).toMatchObject({
      status: 401,
      challenge: `${realm}, error="invalid_token"`,
      body: { error: 'invalid_token', error_description: 'The user of the access token no longer exists' },
    });
  });

  test.each<[string, () => Promise<string>]>([
    ['a token without openid', async () => (await tokenFor([])).token],
    ['a token with profile only', async () => (await tokenFor(['profile'])).token],
    [
      'a token whose client may no longer ask for openid',
      async () => {
        const { token } = await tokenFor(['openid'], { clientId: 'web' });
        return token;
      },
    ],
    [
      // No user's: the login of its client's owner is whose access it uses, not who signs in.
      'a client credentials token, even with openid',
      async () => {
        const client = await fixture.client('machine_oidc');
        const { token } = await fixture.codec.sign({
          sub: 'machine_oidc',
          clientId: 'machine_oidc',
          scope: 'matomo:read',
          identityScopes: ['openid'],
          owner: 'owner',
          grantId: client.credentialsId,
        });
        return token;
      },
    ],
  ])('%s: 403 insufficient_scope', async (_, make) => {
    expect(await call({ headers: bearer(await make()) })).toMatchObject({
      status: 403,
      challenge: `${realm}, error="insufficient_scope", scope="openid"`,
      body: {
        error: 'insufficient_scope',
        error_description: 'The access token was not granted the openid scope',
      },
    });
  });

  test('a failure that is not the token’s is a 500 that reveals nothing, and is logged', async () => {
    // The fixture's keys (its database, its master secret), failing as a broken store would.
    const keys = await openSigningKeyStore({
      db: fixture.db,
      masterSecret: Buffer.alloc(32, 3),
      clock: fixture.clock,
      accessTokenTtlMs: 3_600_000,
    });
    const broken: SigningKeyStore = {
      ...keys,
      verificationKey: () => {
        throw new TypeError('the key store failed');
      },
    };
    const codec = createAccessTokenCodec({
      keys: broken,
      clock: fixture.clock,
      issuer: 'https://as.example',
      audience: 'https://as.example',
      ttlSeconds: 3600,
    });
    const { token } = await tokenFor(['openid']);
    const result = await call({
      headers: bearer(token),
      chain: userinfoEndpoint({ db: fixture.db, codec }).get,
    });
    expect(result).toMatchObject({ status: 500, body: { error: 'server_error' } });
    expect(result.errors).toEqual([expect.objectContaining({ message: 'the key store failed' })]);
  });
});
