import { describe, expect, test } from 'vitest';
import { createTestContext } from '../../test/support/koa-context';
import type { UserRow } from '../db/schema';
import { PageError } from '../errors/page-error';
import { Params } from '../http/params';
import { adminOf, checkAdminCsrf, requireSuperuser } from './admin-guard';
import type { AdminState } from './admin-state';

const csrfToken = 'session-csrf-token-0123456789';

function session(superuser: boolean): AdminState['session'] {
  const user: UserRow = {
    login: 'ann',
    email: 'ann@example.org',
    password_hash: 'x',
    superuser: superuser ? 1 : 0,
    created_at: 0,
  };
  return { cookieValue: 'cookie', data: { login: 'ann', csrfToken, createdAt: 0, sid: 'sid' }, user };
}

async function run(
  middleware: typeof requireSuperuser,
  options: { method?: string; url?: string; session?: AdminState['session']; form?: Params },
) {
  const ctx = createTestContext<AdminState>({
    method: options.method ?? 'GET',
    url: options.url ?? '/admin/clients?page=2',
    state: { session: options.session, form: options.form },
  });
  let reached = false;
  try {
    await middleware(ctx, async () => {
      reached = true;
    });
  } catch (error) {
    if (!(error instanceof PageError)) throw error;
    return { reached, error: { status: error.status, title: error.title, message: error.message } };
  }
  return { reached, ctx };
}

describe('requireSuperuser', () => {
  test.each(['GET', 'HEAD'])(
    'a signed-out %s goes to the sign-in page, and will come back',
    async (method) => {
      const { reached, ctx } = await run(requireSuperuser, { method, url: '/admin/clients?page=2&q=a%20b' });
      expect(reached).toBe(false);
      expect(ctx?.status).toBe(303);
      expect(ctx?.response.get('Location')).toBe(
        `/login?return_to=${encodeURIComponent('/admin/clients?page=2&q=a%20b')}`,
      );
      expect(ctx?.response.get('Cache-Control')).toBe('no-store');
    },
  );

  test.each(['POST', 'PUT', 'DELETE'])(
    'a signed-out %s is refused, never replayed after sign-in',
    async (method) => {
      expect(await run(requireSuperuser, { method })).toEqual({
        reached: false,
        error: {
          status: 401,
          title: 'Please sign in',
          message: 'Your session has ended. Sign in again and retry.',
        },
      });
    },
  );

  test.each(['GET', 'POST'])('a signed-in user who is no super user gets 403 (%s)', async (method) => {
    expect(await run(requireSuperuser, { method, session: session(false) })).toEqual({
      reached: false,
      error: {
        status: 403,
        title: 'Super users only',
        message: 'These pages are for super users of this server.',
      },
    });
  });

  test('a super user goes on, with the session’s anti-CSRF token for the forms', async () => {
    const signedIn = session(true);
    const { reached, ctx } = await run(requireSuperuser, { session: signedIn });
    expect(reached).toBe(true);
    expect(ctx?.state.admin).toEqual({ user: signedIn?.user, csrfToken });
    expect(ctx && adminOf(ctx)).toEqual({ user: signedIn?.user, csrfToken });
  });

  test('adminOf before the guard is a programming error', () => {
    expect(() => adminOf(createTestContext<AdminState>())).toThrow(
      'requireSuperuser must run before an admin handler',
    );
  });
});

describe('checkAdminCsrf', () => {
  test('a form with the session’s token goes on', async () => {
    const form = new Params([['csrf_token', csrfToken]]);
    expect((await run(checkAdminCsrf, { method: 'POST', session: session(true), form })).reached).toBe(true);
  });

  test.each<[string, Params]>([
    ['no token', new Params()],
    ['another token', new Params([['csrf_token', `${csrfToken}x`]])],
  ])('a form with %s changes nothing', async (_, form) => {
    expect(await run(checkAdminCsrf, { method: 'POST', session: session(true), form })).toEqual({
      reached: false,
      error: {
        status: 403,
        title: 'This form has expired',
        message:
          'The form was not sent from this site or is too old. Go back, reload the page and try again.',
      },
    });
  });
});
