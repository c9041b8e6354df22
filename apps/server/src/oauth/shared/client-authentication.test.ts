import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openTestDatabase } from '../../../test/support/test-database';
import * as clients from '../../clients/client.repository';
import { registerClient } from '../../clients/client-registration';
import type { Db } from '../../db/database';
import { OAuthError } from '../../errors/oauth-error';
import { Params } from '../../http/params';
import {
  authenticateClient,
  type ClientAuthenticationInput,
  presentedCredentials,
} from './client-authentication';

const basic = (credentials: string) => `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;

function input(
  authorization: string | undefined,
  form: Record<string, string | string[]> = {},
  query: Record<string, string> = {},
): ClientAuthenticationInput {
  const entries = (record: Record<string, string | string[]>) =>
    Object.entries(record).flatMap(([name, value]) =>
      (Array.isArray(value) ? value : [value]).map((item): [string, string] => [name, item]),
    );
  return { authorization, form: new Params(entries(form)), query: new Params(entries(query)) };
}

async function failure(work: () => unknown): Promise<OAuthError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof OAuthError) return error;
    throw error;
  }
  throw new Error('expected an OAuthError');
}

const challenge = 'Basic realm="matomo-oauth2", charset="UTF-8"';

/** What an error says on the wire: code, status, whether it challenges, and its description. */
function wire(error: OAuthError) {
  return {
    error: error.error,
    status: error.status,
    challenged: error.headers['WWW-Authenticate'] === challenge,
    description: error.message,
  };
}

describe('presentedCredentials: who the request claims to be, and how it proves it', () => {
  test.each<
    [string, ClientAuthenticationInput, { clientId: string; secret: string | undefined; method: string }]
  >([
    [
      'client_id alone',
      input(undefined, { client_id: 'app' }),
      { clientId: 'app', secret: undefined, method: 'none' },
    ],
    [
      'client_id and client_secret in the body',
      input(undefined, { client_id: 'app', client_secret: 's3cret' }),
      { clientId: 'app', secret: 's3cret', method: 'client_secret_post' },
    ],
    [
      'an empty header counts as none',
      input('', { client_id: 'app' }),
      { clientId: 'app', secret: undefined, method: 'none' },
    ],
    [
      'HTTP Basic',
      input(basic('app:s3cret')),
      { clientId: 'app', secret: 's3cret', method: 'client_secret_basic' },
    ],
    [
      'HTTP Basic, any case, several spaces, trailing space',
      input(`bASIC   ${Buffer.from('app:s3cret').toString('base64')}  `),
      { clientId: 'app', secret: 's3cret', method: 'client_secret_basic' },
    ],
    [
      'HTTP Basic with a matching client_id in the body',
      input(basic('app:s3cret'), { client_id: 'app' }),
      { clientId: 'app', secret: 's3cret', method: 'client_secret_basic' },
    ],
    [
      'HTTP Basic, form-urlencoded before base64 (RFC 6749 §2.3.1)',
      input(basic('my%20app+1:a%2Bb+c+d%3Ae')),
      { clientId: 'my app 1', secret: 'a+b c d:e', method: 'client_secret_basic' },
    ],
    [
      'HTTP Basic: the secret runs to the end, colons included',
      input(basic('app:a:b')),
      { clientId: 'app', secret: 'a:b', method: 'client_secret_basic' },
    ],
    [
      'HTTP Basic: UTF-8',
      input(basic('app:pässwörd')),
      { clientId: 'app', secret: 'pässwörd', method: 'client_secret_basic' },
    ],
    [
      'HTTP Basic with a one-character id',
      input(basic('a:s')),
      { clientId: 'a', secret: 's', method: 'client_secret_basic' },
    ],
    [
      'HTTP Basic with an empty secret',
      input(basic('app:')),
      { clientId: 'app', secret: '', method: 'client_secret_basic' },
    ],
    [
      'an empty client_id in the URL is no client_id',
      input(undefined, { client_id: 'app' }, { client_id: '' }),
      { clientId: 'app', secret: undefined, method: 'none' },
    ],
  ])('%s', (_, request, expected) => {
    expect(presentedCredentials(request)).toEqual(expected);
  });

  test.each<[string, ClientAuthenticationInput, ReturnType<typeof wire>]>([
    [
      'client_id in the token endpoint’s query string',
      input(undefined, { client_secret: 's' }, { client_id: 'app' }),
      {
        error: 'invalid_request',
        status: 400,
        challenged: false,
        description: expect.stringContaining('never in the URL'),
      },
    ],
    [
      'client_secret in the query string',
      input(basic('app:s'), {}, { client_secret: 's' }),
      {
        error: 'invalid_request',
        status: 400,
        challenged: false,
        description: expect.stringContaining('never in the URL'),
      },
    ],
    [
      'client_id repeated',
      input(undefined, { client_id: ['app', 'other'] }),
      {
        error: 'invalid_request',
        status: 400,
        challenged: false,
        description: expect.stringContaining('only once'),
      },
    ],
    [
      'client_secret repeated',
      input(undefined, { client_id: 'app', client_secret: ['a', 'b'] }),
      {
        error: 'invalid_request',
        status: 400,
        challenged: false,
        description: expect.stringContaining('only once'),
      },
    ],
    [
      'another scheme in the Authorization header',
      input('Bearer abc', { client_id: 'app' }),
      {
        error: 'invalid_client',
        status: 401,
        challenged: true,
        description: expect.stringContaining('Only HTTP Basic'),
      },
    ],
    [
      'a scheme that only starts with Basic',
      input(`Basically ${Buffer.from('app:s').toString('base64')}`),
      {
        error: 'invalid_client',
        status: 401,
        challenged: true,
        description: expect.stringContaining('Only HTTP Basic'),
      },
    ],
    [
      'a scheme that only ends with Basic',
      input(`NotBasic ${Buffer.from('app:s').toString('base64')}`),
      {
        error: 'invalid_client',
        status: 401,
        challenged: true,
        description: expect.stringContaining('Only HTTP Basic'),
      },
    ],
    [
      'Basic with two credentials',
      input(`Basic ${Buffer.from('app:s').toString('base64')} ${Buffer.from('x:y').toString('base64')}`),
      {
        error: 'invalid_client',
        status: 401,
        challenged: true,
        description: expect.stringContaining('Only HTTP Basic'),
      },
    ],
    [
      'Basic with characters outside base64',
      input('Basic YXBwOnM*'),
      {
        error: 'invalid_client',
        status: 401,
        challenged: true,
        description: expect.stringContaining('malformed'),
      },
    ],
    [
      'Basic with too much padding',
      input('Basic YXBwOnM==='),
      {
        error: 'invalid_client',
        status: 401,
        challenged: true,
        description: expect.stringContaining('malformed'),
      },
    ],
    [
      'Basic with padding inside',
      input('Basic YX=BwOnM'),
      {
        error: 'invalid_client',
        status: 401,
        challenged: true,
        description: expect.stringContaining('malformed'),
      },
    ],
    [
      'Basic with nothing',
      input('Basic'),
      {
        error: 'invalid_client',
        status: 401,
        challenged: true,
        description: expect.stringContaining('malformed'),
      },
    ],
    [
      'Basic without a colon',
      input(basic('app')),
      {
        error: 'invalid_client',
        status: 401,
        challenged: true,
        description: expect.stringContaining('malformed'),
      },
    ],
    [
      'Basic with an empty client id',
      input(basic(':s3cret')),
      {
        error: 'invalid_client',
        status: 401,
        challenged: true,
        description: expect.stringContaining('malformed'),
      },
    ],
    [
      'Basic with a bad escape in the id',
      input(basic('%zz:s3cret')),
      {
        error: 'invalid_client',
        status: 401,
        challenged: true,
        description: expect.stringContaining('malformed'),
      },
    ],
    [
      'Basic with a bad escape in the secret',
      input(basic('app:%zz')),
      {
        error: 'invalid_client',
        status: 401,
        challenged: true,
        description: expect.stringContaining('malformed'),
      },
    ],
    [
      'Basic and client_secret in the body',
      input(basic('app:s'), { client_secret: 's' }),
      {
        error: 'invalid_request',
        status: 400,
        challenged: false,
        description: expect.stringContaining('not both'),
      },
    ],
    [
      'an empty Basic and client_secret in the body',
      input('Basic', { client_secret: 's' }),
      {
        error: 'invalid_request',
        status: 400,
        challenged: false,
        description: expect.stringContaining('not both'),
      },
    ],
    [
      'Basic and another client_id in the body',
      input(basic('app:s'), { client_id: 'other' }),
      {
        error: 'invalid_request',
        status: 400,
        challenged: false,
        description: expect.stringContaining('does not match'),
      },
    ],
    [
      'client_secret without client_id',
      input(undefined, { client_secret: 's' }),
      {
        error: 'invalid_request',
        status: 400,
        challenged: false,
        description: expect.stringContaining('without client_id'),
      },
    ],
    [
      'nothing at all',
      input(undefined),
      {
        error: 'invalid_client',
        status: 401,
        challenged: false,
        description: 'Client authentication is required',
      },
    ],
  ])('%s is refused', async (_, request, expected) => {
    expect(wire(await failure(() => presentedCredentials(request)))).toEqual(expected);
  });
});

describe('authenticateClient: the client exists, is active, and proves what its type requires', () => {
  let db: Db;
  let close: () => Promise<void>;
  const longId = 'l'.repeat(80);

  beforeAll(async () => {
    ({ db, close } = await openTestDatabase());
    const common = {
      grantTypes: ['authorization_code' as const],
      scope: 'matomo:read' as const,
      ownerLogin: 'owner',
    };
    await registerClient(db, { ...common, clientId: 'conf', name: 'Confidential', secret: 'conf-secret' }, 0);
    await registerClient(db, { ...common, clientId: 'pub', name: 'Public' }, 0);
    await registerClient(db, { ...common, clientId: 'paused', name: 'Paused', secret: 'paused-secret' }, 0);
    await registerClient(db, { ...common, clientId: longId, name: 'Long id', secret: 'long-secret' }, 0);
    // Longer than any id this server gives: refused before any lookup, even if such a client existed.
    await registerClient(
      db,
      { ...common, clientId: `${longId}l`, name: 'Too long', secret: 'long-secret' },
      0,
    );
    const paused = await clients.find(db, 'paused');
    if (paused) await clients.update(db, { ...paused, active: false });
    await clients.insert(db, {
      ...common,
      grantTypes: ['client_credentials'],
      clientId: 'no_digest',
      name: 'No digest',
      description: '',
      type: 'confidential',
      secretDigest: null,
      redirectUris: [],
      active: true,
      createdAt: 0,
      updatedAt: 0,
      lastUsedAt: null,
    });
  });
  afterAll(() => close());

  test.each<[string, ClientAuthenticationInput, boolean, string, string]>([
    [
      'a secret in the body',
      input(undefined, { client_id: 'conf', client_secret: 'conf-secret' }),
      false,
      'conf',
      'client_secret_post',
    ],
    ['HTTP Basic', input(basic('conf:conf-secret')), false, 'conf', 'client_secret_basic'],
    ['a public client by its id', input(undefined, { client_id: 'pub' }), true, 'pub', 'none'],
    [
      'an id of the longest length',
      input(undefined, { client_id: longId, client_secret: 'long-secret' }),
      false,
      longId,
      'client_secret_post',
    ],
  ])('%s', async (_, request, allowPublic, clientId, method) => {
    const result = await authenticateClient(request, db, { allowPublic });
    expect({ clientId: result.client.clientId, method: result.method }).toEqual({ clientId, method });
  });

  test.each<[string, ClientAuthenticationInput, boolean, ReturnType<typeof wire>]>([
    [
      'an unknown client',
      input(undefined, { client_id: 'nobody', client_secret: 'x' }),
      true,
      {
        error: 'invalid_client',
        status: 401,
        challenged: false,
        description: 'Client authentication failed',
      },
    ],
    [
      'an unknown client over HTTP Basic',
      input(basic('nobody:x')),
      true,
      { error: 'invalid_client', status: 401, challenged: true, description: 'Client authentication failed' },
    ],
    [
      'an id longer than any client’s',
      input(undefined, { client_id: `${longId}l`, client_secret: 'long-secret' }),
      true,
      {
        error: 'invalid_client',
        status: 401,
        challenged: false,
        description: 'Client authentication failed',
      },
    ],
    [
      'a paused client with its right secret',
      input(basic('paused:paused-secret')),
      true,
      {
        error: 'invalid_client',
        status: 401,
        challenged: true,
        description: expect.stringContaining('paused'),
      },
    ],
    [
      'a confidential client without its secret',
      input(undefined, { client_id: 'conf' }),
      true,
      {
        error: 'invalid_client',
        status: 401,
        challenged: false,
        description: expect.stringContaining('must send its secret'),
      },
    ],
    [
      'a wrong secret in the body',
      input(undefined, { client_id: 'conf', client_secret: 'conf-secreT' }),
      true,
      {
        error: 'invalid_client',
        status: 401,
        challenged: false,
        description: 'Client authentication failed',
      },
    ],
    [
      'a wrong secret over HTTP Basic',
      input(basic('conf:')),
      true,
      { error: 'invalid_client', status: 401, challenged: true, description: 'Client authentication failed' },
    ],
    [
      'a confidential client with no stored secret',
      input(undefined, { client_id: 'no_digest', client_secret: '' }),
      true,
      {
        error: 'invalid_client',
        status: 401,
        challenged: false,
        description: expect.stringContaining('must send its secret'),
      },
    ],
    [
      'a confidential client with no stored secret, any secret sent',
      input(basic('no_digest:x')),
      true,
      { error: 'invalid_client', status: 401, challenged: true, description: 'Client authentication failed' },
    ],
    [
      'a public client with a secret in the body',
      input(undefined, { client_id: 'pub', client_secret: 'x' }),
      true,
      {
        error: 'invalid_client',
        status: 401,
        challenged: false,
        description: expect.stringContaining('Public clients have no secret'),
      },
    ],
    [
      'a public client over HTTP Basic',
      input(basic('pub:')),
      true,
      {
        error: 'invalid_client',
        status: 401,
        challenged: true,
        description: expect.stringContaining('Public clients have no secret'),
      },
    ],
    [
      'a public client where only confidential ones may come',
      input(undefined, { client_id: 'pub' }),
      false,
      {
        error: 'invalid_client',
        status: 401,
        challenged: false,
        description: expect.stringContaining('cannot use this endpoint'),
      },
    ],
  ])('%s is refused', async (_, request, allowPublic, expected) => {
    expect(wire(await failure(() => authenticateClient(request, db, { allowPublic })))).toEqual(expected);
  });
});
