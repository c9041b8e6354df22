import { describe, expect, test } from 'vitest';
import { safeReturnTo } from './return-to';

describe('safeReturnTo', () => {
  test.each([
    '/oauth2/authorize?response_type=code&client_id=a',
    '/index.php?module=OAuth2&action=authorize&client_id=a',
    '/admin/clients',
    '/account',
  ])('keeps %s', (value) => {
    expect(safeReturnTo(value)).toBe(value);
  });

  test.each([
    'https://evil.example/oauth2/authorize',
    '//evil.example/oauth2/authorize',
    '/\\evil.example/oauth2/authorize',
    '/\t/evil.example',
    'javascript:alert(1)',
    '/login',
    '/index.php?module=API&method=X',
    '/oauth2/token',
    '/oauth2/authorize/../token',
    '/account/revoke',
    '//account',
    '',
    undefined,
  ])('drops %s', (value) => {
    expect(safeReturnTo(value)).toBeUndefined();
  });
});
