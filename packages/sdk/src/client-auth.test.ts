import { describe, expect, test } from 'vitest';
import { authenticateClient, type ClientAuth } from './client-auth';

const basic = (pair: string) => `Basic ${btoa(pair)}`;

/** What a request carries after authenticateClient: the Authorization header and the body fields. */
function sent(auth: ClientAuth) {
  const headers = new Headers();
  const body = new URLSearchParams({ grant_type: 'client_credentials' });
  authenticateClient(auth, headers, body);
  body.delete('grant_type');
  return { authorization: headers.get('authorization'), body: Object.fromEntries(body) };
}

describe('client authentication', () => {
  test.each<[string, ClientAuth, ReturnType<typeof sent>]>([
    [
      'a public client sends only client_id',
      { clientId: 'spa' },
      { authorization: null, body: { client_id: 'spa' } },
    ],
    [
      'method none never sends a secret, even when given one',
      { clientId: 'spa', clientSecret: 's3cret', method: 'none' },
      { authorization: null, body: { client_id: 'spa' } },
    ],
    [
      'a secret without a method means HTTP Basic, and nothing in the body',
      { clientId: 'app', clientSecret: 's3cret' },
      { authorization: basic('app:s3cret'), body: {} },
    ],
    [
      'an empty secret is still a secret (Basic)',
      { clientId: 'app', clientSecret: '' },
      { authorization: basic('app:'), body: {} },
    ],
    [
      'client_secret_basic without a secret sends an empty one',
      { clientId: 'app', method: 'client_secret_basic' },
      { authorization: basic('app:'), body: {} },
    ],
    [
      'client_secret_post puts both in the body and sends no header',
      { clientId: 'app', clientSecret: 's3cret', method: 'client_secret_post' },
      { authorization: null, body: { client_id: 'app', client_secret: 's3cret' } },
    ],
    [
      'client_secret_post without a secret sends an empty one',
      { clientId: 'app', method: 'client_secret_post' },
      { authorization: null, body: { client_id: 'app', client_secret: '' } },
    ],
    [
      // RFC 6749 §2.3.1: form-urlencode each part first, so a ':' in the id cannot shift the split
      'Basic form-urlencodes id and secret before joining them',
      { clientId: 'a:b c', clientSecret: 'p@ss w+rd%:é' },
      { authorization: basic('a%3Ab+c:p%40ss+w%2Brd%25%3A%C3%A9'), body: {} },
    ],
  ])('%s', (_, auth, expected) => {
    expect(sent(auth)).toEqual(expected);
  });
});
