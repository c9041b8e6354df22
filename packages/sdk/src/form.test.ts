import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { authenticateClient } from './client-auth';
import { formEncode, toForm } from './form';

describe('toForm (Matomo parameters)', () => {
  test('sends arrays PHP-style, booleans as 1/0, and leaves out undefined and null', () => {
    const form = toForm({
      idSite: 1,
      grantTypes: ['a', 'b'],
      flat: true,
      expanded: false,
      segment: undefined,
      x: null,
    });
    expect([...form]).toEqual([
      ['idSite', '1'],
      ['grantTypes[]', 'a'],
      ['grantTypes[]', 'b'],
      ['flat', '1'],
      ['expanded', '0'],
    ]);
  });

  test('an empty array sends nothing; null items are left out', () => {
    expect(toForm({ urls: [], excludedIps: ['1.2.3.4', null] }).toString()).toBe('excludedIps%5B%5D=1.2.3.4');
  });

  test('any flat record of strings survives the round trip', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }), fc.string()), (params) => {
        const parsed = new URLSearchParams(toForm(params).toString());
        expect(Object.fromEntries(parsed)).toEqual(params);
      }),
    );
  });
});

describe('client authentication (RFC 6749 §2.3.1)', () => {
  const basic = (clientId: string, clientSecret: string) => {
    const headers = new Headers();
    const body = new URLSearchParams();
    authenticateClient({ clientId, clientSecret }, headers, body);
    return { header: headers.get('authorization') ?? '', body };
  };

  test('form-urlencodes id and secret before base64 (spaces as +)', () => {
    expect(formEncode('p@ss w+rd%')).toBe('p%40ss+w%2Brd%25');
    expect(basic('a:b', 'p@ss w+rd%').header).toBe(`Basic ${btoa('a%3Ab:p%40ss+w%2Brd%25')}`);
  });

  test('a server that decodes Basic the RFC way gets back any id and secret', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (id, secret) => {
        const { header, body } = basic(id, secret);
        expect([...body]).toEqual([]); // never both methods
        const decoded = atob(header.slice('Basic '.length));
        const [encodedId = '', encodedSecret = ''] = decoded.split(':');
        const decode = (v: string) => new URLSearchParams(`v=${v}`).get('v');
        expect(decoded.split(':')).toHaveLength(2);
        expect(decode(encodedId)).toBe(id);
        expect(decode(encodedSecret)).toBe(secret);
      }),
    );
  });

  test('client_secret_post puts both in the body; a public client sends only client_id', () => {
    const headers = new Headers();
    const post = new URLSearchParams();
    authenticateClient({ clientId: 'c', clientSecret: 's', method: 'client_secret_post' }, headers, post);
    expect(headers.has('authorization')).toBe(false);
    expect(post.toString()).toBe('client_id=c&client_secret=s');
    const open = new URLSearchParams();
    authenticateClient({ clientId: 'spa' }, headers, open);
    expect(open.toString()).toBe('client_id=spa');
    expect(headers.has('authorization')).toBe(false);
  });
});
