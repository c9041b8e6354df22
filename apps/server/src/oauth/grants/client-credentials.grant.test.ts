import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { claimsOf, type GrantFixture, openGrantFixture } from '../../../test/support/grant-fixture';
import { OAuthError } from '../../errors/oauth-error';
import { Params } from '../../http/params';
import { createClientCredentialsGrant } from './client-credentials.grant';
import type { Grant } from './grant';

let fixture: GrantFixture;
let grant: Grant;

beforeAll(async () => {
  fixture = await openGrantFixture();
  grant = createClientCredentialsGrant({ codec: fixture.codec, audit: fixture.audit });
});
afterAll(() => fixture.close());

async function refusal(clientId: string, form: [string, string][]) {
  try {
    await grant(await fixture.client(clientId), new Params(form), { ip: '192.0.2.1' });
  } catch (error) {
    if (error instanceof OAuthError)
      return { error: error.error, status: error.status, description: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the client credentials grant', () => {
  test.each<[string, [string, string][]]>([
    ['no scope: the client’s', []],
    ['exactly the client’s scope', [['scope', 'matomo:write']]],
  ])('%s', async (_, form) => {
    const machine = await fixture.client('machine');
    const response = await grant(machine, new Params(form), { ip: '192.0.2.9' });
    expect(response).toEqual({
      token_type: 'Bearer',
      expires_in: 3600,
      access_token: expect.any(String),
      scope: 'matomo:write',
    });
    // The owner's access, through this client's current credentials; no grant, no refresh token.
    expect(claimsOf(response.access_token)).toMatchObject({
      sub: 'machine',
      client_id: 'machine',
      scope: 'matomo:write',
      owner: 'owner',
      gid: machine.credentialsId,
    });
  });

  test('the token is in the audit log, for the owner', async () => {
    const { access_token } = await grant(await fixture.client('machine'), new Params(), {
      ip: '198.51.100.4',
    });
    const entries = await fixture.events('token.issued');
    expect(entries.at(-1)).toEqual({
      actor: 'owner',
      client_id: 'machine',
      ip: '198.51.100.4',
      detail: { grant_type: 'client_credentials', scope: 'matomo:write', jti: claimsOf(access_token).jti },
    });
  });

  test('a public client: unauthorized_client', async () => {
    expect(await refusal('public_cc', [])).toEqual({
      error: 'unauthorized_client',
      status: 400,
      description: 'Only confidential clients may use client_credentials',
    });
  });

  test.each<[string, string]>([
    ['matomo:read', "client_credentials tokens carry exactly the client's scope (matomo:write)"],
    ['matomo:admin', "client_credentials tokens carry exactly the client's scope (matomo:write)"],
    ['matomo:read matomo:write', 'Only one scope may be requested'],
  ])('scope=%s: invalid_scope', async (scope, description) => {
    expect(await refusal('machine', [['scope', scope]])).toEqual({
      error: 'invalid_scope',
      status: 400,
      description,
    });
  });
});
