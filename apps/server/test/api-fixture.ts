import { clientCredentialsToken } from '@matomo-oauth2/testing';
import { registerClient } from '../src/clients/client-registration';
import { hashPassword } from '../src/crypto/password';
import { type Scope, scopes } from '../src/protocol/scopes';
import * as users from '../src/users/user.repository';
import type { TestServer } from './test-server';

/** Users of every kind, on the demo's sites (1, 2, 3). */
export const kinds = ['superuser', 'siteadmin', 'writer', 'viewer', 'noaccess'] as const;
export type UserKind = (typeof kinds)[number];
export const passwordOf = (login: string) => `${login}-password`;

/**
 * Adds the users, and for each user and scope a confidential client owned by that user whose
 * client credentials tokens carry that scope and act with that user's access.
 */
export async function seedApiFixture(server: TestServer): Promise<void> {
  const { db, clock } = server;
  const now = clock();
  const access: Record<UserKind, 'view' | 'write' | 'admin' | undefined> = {
    superuser: undefined,
    siteadmin: 'admin',
    writer: 'write',
    viewer: 'view',
    noaccess: undefined,
  };
  for (const kind of kinds) {
    await users.insert(db, {
      login: kind,
      email: `${kind}@example.org`,
      password_hash: await hashPassword(passwordOf(kind)),
      superuser: kind === 'superuser' ? 1 : 0,
      created_at: now,
    });
    const level = access[kind];
    if (level) await users.setSiteAccess(db, kind, 1, level);
    for (const scope of scopes) {
      await registerClient(
        db,
        {
          clientId: clientIdFor(kind, scope),
          name: `${kind} ${scope}`,
          secret: 'fixture-secret',
          grantTypes: ['client_credentials'],
          scope,
          ownerLogin: kind,
        },
        now,
      );
    }
  }
}

export function clientIdFor(kind: UserKind, scope: Scope): string {
  return `${kind}_${scope.split(':')[1]}`;
}

/** A real client credentials token for a user kind and scope. */
export async function tokenFor(server: TestServer, kind: UserKind, scope: Scope): Promise<string> {
  return clientCredentialsToken(server.url, clientIdFor(kind, scope), 'fixture-secret');
}

export interface ApiResult {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

/**
 * Calls a method on the virtual path (`/api/…`) or Matomo's wire form (`index.php`), in JSON
 * (`format=json`, as the SDK sends it) unless `params` names a `format`: Matomo's default, XML,
 * is what a caller without `format` gets (matomo-formats.test.ts).
 */
export async function callApi(
  server: TestServer,
  method: string,
  params: Record<string, string | string[]>,
  options: {
    token?: string;
    form?: 'api' | 'index';
    verb?: 'GET' | 'POST';
    headers?: Record<string, string>;
  } = {},
): Promise<ApiResult> {
  const { form = 'api', verb = 'POST' } = options;
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries({ format: 'json', ...params })) {
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, item);
  }
  if (form === 'index') {
    search.set('module', 'API');
    search.set('method', method);
  }
  const path = form === 'api' ? `/api/${method}` : '/index.php';
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const init: RequestInit =
    verb === 'POST'
      ? {
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: search.toString(),
        }
      : { method: 'GET', headers };
  const url = verb === 'POST' ? `${server.url}${path}` : `${server.url}${path}?${search}`;
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}
