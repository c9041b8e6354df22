import { describe, expect, test } from 'vitest';
import { findRedirectUri, redirectUriMatches, redirectUriProblem } from './redirect-uri';

describe('redirectUriMatches: exact, except the port of a loopback IP literal', () => {
  test.each([
    ['https://app.example/cb', 'https://app.example/cb'],
    ['com.example.app:/callback', 'com.example.app:/callback'],
    ['http://localhost/callback', 'http://localhost/callback'],
    ['http://127.0.0.1/callback', 'http://127.0.0.1:1/callback'],
    ['http://127.0.0.1/callback', 'http://127.0.0.1:8080/callback'],
    ['http://127.0.0.1/callback', 'http://127.0.0.1:65535/callback'],
    ['http://127.0.0.1:3000/callback', 'http://127.0.0.1:4000/callback'],
    ['http://127.0.0.1:3000/callback', 'http://127.0.0.1/callback'],
    ['http://[::1]/callback', 'http://[::1]:51004/callback'],
    ['http://127.0.0.1/', 'http://127.0.0.1:8080'],
    ['http://127.0.0.1', 'http://127.0.0.1:8080/'],
    ['http://127.0.0.1/cb?x=1', 'http://127.0.0.1:8080/cb?x=1'],
  ])('%s accepts %s', (registered, requested) => {
    expect(redirectUriMatches(registered, requested)).toBe(true);
  });

  test.each([
    // The code and state would go to whoever owns the host that comes first.
    ['http://127.0.0.1/callback', 'https://evil.example/x?http://127.0.0.1/callback'],
    ['http://127.0.0.1/callback', 'https://evil.example/#http://127.0.0.1/callback'],
    ['http://127.0.0.1/callback', 'http://127.0.0.1/callback#http://127.0.0.1/callback'],
    ['http://127.0.0.1/callback', 'http://127.0.0.1:8080/callback#x'],
    ['http://127.0.0.1/callback', 'http://127.0.0.1:8080/callback/../x'],
    ['http://127.0.0.1/callback', 'http://127.0.0.1:8080/callbacks'],
    ['http://127.0.0.1/callback', 'http://127.0.0.1:8080/'],
    ['http://127.0.0.1/callback', 'http://127.0.0.1:8080'],
    ['http://127.0.0.1/callback', 'http://127.0.0.1:8080/callback?x=1'],
    // Another loopback host, or a name, is another redirect URI.
    ['http://127.0.0.1/callback', 'http://[::1]:8080/callback'],
    ['http://[::1]/callback', 'http://127.0.0.1:8080/callback'],
    ['http://127.0.0.1/callback', 'http://localhost:8080/callback'],
    ['http://localhost/callback', 'http://localhost:8080/callback'],
    ['http://127.0.0.1/callback', 'http://127.0.0.2:8080/callback'],
    ['http://127.0.0.1/callback', 'http://127.0.0.1.evil.example:8080/callback'],
    ['http://127.0.0.1/callback', 'https://127.0.0.1:8080/callback'],
    ['http://127.0.0.1/callback', 'http://user@127.0.0.1:8080/callback'],
    // Ports outside 1..65535, or not a port at all.
    ['http://127.0.0.1/callback', 'http://127.0.0.1:0/callback'],
    ['http://127.0.0.1/callback', 'http://127.0.0.1:00000/callback'],
    ['http://127.0.0.1/callback', 'http://127.0.0.1:65536/callback'],
    ['http://127.0.0.1/callback', 'http://127.0.0.1:99999/callback'],
    ['http://127.0.0.1/callback', 'http://127.0.0.1:123456/callback'],
    ['http://127.0.0.1/callback', 'http://127.0.0.1:/callback'],
    ['http://127.0.0.1/callback', 'http://127.0.0.1:80a/callback'],
    ['http://127.0.0.1:0/callback', 'http://127.0.0.1:8080/callback'],
    ['http://127.0.0.1:65536/callback', 'http://127.0.0.1:8080/callback'],
    // Only loopback IP literals get the port exception.
    ['https://app.example/cb', 'https://app.example:8443/cb'],
    ['https://app.example/cb', 'https://APP.example/cb'],
    ['https://app.example/cb', 'https://app.example/cb/'],
    ['https://app.example/cb', 'https://app.example/cb?x=1'],
    ['https://app.example/cb', 'https://evil.example/cb'],
    ['https://app.example/cb', 'http://127.0.0.1/cb'],
    ['https://127.0.0.1/cb', 'https://127.0.0.1:8080/cb'],
  ])('%s refuses %s', (registered, requested) => {
    expect(redirectUriMatches(registered, requested)).toBe(false);
  });
});

describe('findRedirectUri', () => {
  const registered = ['https://a.example/cb', 'http://127.0.0.1/cb'];

  test('returns the registered URI the request may use', () => {
    expect(findRedirectUri(registered, 'https://a.example/cb')).toBe('https://a.example/cb');
    expect(findRedirectUri(registered, 'http://127.0.0.1:5000/cb')).toBe('http://127.0.0.1/cb');
  });

  test('returns nothing when none matches', () => {
    expect(findRedirectUri(registered, 'https://b.example/cb')).toBeUndefined();
    expect(findRedirectUri([], 'https://a.example/cb')).toBeUndefined();
  });
});

describe('redirectUriProblem: what may be registered', () => {
  const atLength = (length: number) => {
    const start = 'https://app.example/';
    return start + 'a'.repeat(length - start.length);
  };

  test.each([
    'https://app.example/cb',
    'https://app.example/cb?next=https://other.example/x',
    'https://app-1.sub.example/oauth/callback',
    'https://localhost/cb',
    'https://intranet/cb',
    'https://192.0.2.10:8443/cb',
    'https://[2001:db8::1]/cb',
    'http://127.0.0.1/callback',
    'http://127.0.0.1:8080/callback',
    'http://[::1]/callback',
    'http://[0:0:0:0:0:0:0:1]/callback',
    'http://localhost:3000/callback',
    'com.example.app:/callback',
    'com.example.app://callback',
    'com.example-app.ios+x:/cb',
    atLength(2000),
  ])('%s is accepted', (uri) => {
    expect(redirectUriProblem(uri)).toBeUndefined();
  });

  test.each([
    ['', 'must be 1 to 2000 characters'],
    [atLength(2001), 'must be 1 to 2000 characters'],
    ['https://app.example/a b', 'must not contain whitespace'],
    [' https://app.example/cb', 'must not contain whitespace'],
    ['https://app.example/cb\n', 'must not contain whitespace'],
    ['https://app.example/cb\t', 'must not contain whitespace'],
    ['https://*.example/cb', 'must not contain wildcards'],
    ['https://app.example/*', 'must not contain wildcards'],
    ['https://a.example/cb,https://b.example/cb', 'must be a single URI'],
    ['https://a.example/https://b.example/cb', 'must be a single URI'],
    ['com.example.app:/cb,x', 'must be a single URI'],
    ['a', 'must be an absolute URI'],
    ['/relative/callback', 'must be an absolute URI'],
    ['app.example/cb', 'must be an absolute URI'],
    ['https://app.example/cb#state', 'must not contain a fragment'],
    ['https://app.example/cb#', 'must not contain a fragment'],
    ['https://user:secret@app.example/cb', 'must not contain credentials'],
    ['https://user@app.example/cb', 'must not contain credentials'],
    ['https://:secret@app.example/cb', 'must not contain credentials'],
    ['http://user:secret@127.0.0.1/cb', 'must not contain credentials'],
    ['https://app_1.example/cb', 'must name a host by DNS name or IP address'],
    ["https://app'.example/cb", 'must name a host by DNS name or IP address'],
    ['https://a..example/cb', 'must name a host by DNS name or IP address'],
    ['https://.example/cb', 'must name a host by DNS name or IP address'],
    ['https://app.example./cb', 'must name a host by DNS name or IP address'],
    ['http://app_1/cb', 'must name a host by DNS name or IP address'],
    ['http://app.example/cb', 'must use https (http only on loopback)'],
    ['http://127.0.0.2/cb', 'must use https (http only on loopback)'],
    ['http://[::2]/cb', 'must use https (http only on loopback)'],
    ['http://localhost.evil.example/cb', 'must use https (http only on loopback)'],
    ['http://127.0.0.1.evil.example/cb', 'must use https (http only on loopback)'],
    ['javascript:alert(1)', 'uses a forbidden scheme'],
    ['data:text/html;base64', 'uses a forbidden scheme'],
    ['file:///etc/passwd', 'uses a forbidden scheme'],
    ['vbscript:x', 'uses a forbidden scheme'],
    ['about:blank', 'uses a forbidden scheme'],
    ['blob:https://app.example/x', 'uses a forbidden scheme'],
    ['ftp://app.example/cb', 'uses a forbidden scheme'],
    ['ws://app.example/cb', 'uses a forbidden scheme'],
    ['wss://app.example/cb', 'uses a forbidden scheme'],
    ['myapp:/callback', 'must use https, http on loopback, or a reverse-domain private-use scheme'],
    ['xdata:/callback', 'must use https, http on loopback, or a reverse-domain private-use scheme'],
    ['com..example:/cb', 'must use https, http on loopback, or a reverse-domain private-use scheme'],
    ['com..example.app:/cb', 'must use https, http on loopback, or a reverse-domain private-use scheme'],
    ['datax:/cb', 'must use https, http on loopback, or a reverse-domain private-use scheme'],
    ['com.example.:/cb', 'must use https, http on loopback, or a reverse-domain private-use scheme'],
    ['com.example.app.data:/cb', undefined],
  ])('%s: %s', (uri, problem) => {
    expect(redirectUriProblem(uri)).toBe(problem);
  });
});
