import { checkNewUser, type UserSummary } from '../accounts/user.service';
import { ValidationError } from '../errors/domain-error';
import { formOf } from '../http/form-body';
import type { AppContext, AppMiddleware } from '../http/state';
import { checkNewPassword } from '../users/password-policy';
import { actorOf } from './admin-actor';
import type { AdminDeps } from './admin-deps';
import { adminOf } from './admin-guard';
import type { AdminRoute } from './admin-route';
import type { AdminState } from './admin-state';
import { type FormFailure, formFailure, found } from './form-failure';
import type { FieldErrors } from './form-fields';
import { createOperatorConfirmation } from './operator-password';
import { doneNotice, routeParam } from './request-values';
import { redirectAfterPost, showAdminPage } from './show-admin-page';
import { type UserFormFailure, type UserFormName, userPage } from './user.page';
import { accessChanges, sentAccess } from './user-access-form';
import { userDeletePage } from './user-delete.page';
import { type NewUserValues, newUserPage } from './user-form.page';
import { userPath } from './user-paths';
import { usersListPage } from './users-list.page';

type Ctx = AppContext<AdminState>;
type Handler = AppMiddleware<AdminState>;

const notices = {
  created: 'User created. Give them access to websites below.',
  email: 'E-mail saved.',
  access: 'Access saved.',
  superuser: 'Super user status changed.',
  password: 'Password set. The user was signed out everywhere.',
  deleted: 'User deleted.',
};

/**
 * The users: list, create, and per user: e-mail, access per website, super user status, a new
 * password, delete. Everything that grants or removes access asks for the operator's password.
 */
export function userPages(
  deps: Pick<AdminDeps, 'users' | 'sites' | 'clients' | 'confirmPassword'>,
): AdminRoute[] {
  const { users, sites, clients } = deps;
  const confirmPassword = createOperatorConfirmation(deps.confirmPassword);

  const userOf = async (ctx: Ctx) => found(users.get(routeParam(ctx, 'login')));

  function showNewUser(ctx: Ctx, values: NewUserValues, failure?: FormFailure): void {
    const body = newUserPage({ csrfToken: adminOf(ctx).csrfToken, values, errors: failure?.errors ?? {} });
    const view = { title: 'New user', section: 'users' as const, body };
    showAdminPage(ctx, failure?.status ?? 200, view, failure?.headers);
  }

  async function showUser(
    ctx: Ctx,
    status: number,
    user: UserSummary,
    failed?: UserFormFailure,
    headers = {},
  ) {
    const body = userPage({
      user,
      sites: await sites.all(),
      lastSuperuser: await users.isLastSuperuser(user.login),
      csrfToken: adminOf(ctx).csrfToken,
      failed,
    });
    const notice = failed ? undefined : doneNotice(ctx, notices);
    showAdminPage(ctx, status, { title: `User ${user.login}`, section: 'users', body, notice }, headers);
  }

  async function showDelete(
    ctx: Ctx,
    status: number,
    user: UserSummary,
    errors: FieldErrors = {},
    headers = {},
  ) {
    const ownedClients = (await clients.list()).filter((client) => client.ownerLogin === user.login);
    const body = userDeletePage({
      user,
      ownedClients,
      lastSuperuser: await users.isLastSuperuser(user.login),
      csrfToken: adminOf(ctx).csrfToken,
      errors,
    });
    showAdminPage(ctx, status, { title: `Delete ${user.login}`, section: 'users', body }, headers);
  }

  /**
   * A form of the user page: `act`, then back to the page saying it is done; a refusal shows the
   * page again with the message beside the field and what was sent in that form.
   */
  function userForm(
    form: UserFormName,
    fields: readonly string[],
    act: (ctx: Ctx, user: UserSummary) => Promise<void>,
    sent: (ctx: Ctx) => Omit<UserFormFailure, 'form' | 'errors'> = () => ({}),
  ): AdminRoute {
    const handler: Handler = async (ctx) => {
      const user = await userOf(ctx);
      try {
        await act(ctx, user);
      } catch (error) {
        const { status, errors, headers } = formFailure(error, { fields, conflictField: form });
        // Shown as it is now: a refused change may have been partly made (one site of several).
        const current = await found(users.get(user.login));
        await showUser(ctx, status, current, { form, errors, ...sent(ctx) }, headers);
        return;
      }
      redirectAfterPost(ctx, `${userPath(user.login)}?done=${form}`);
    };
    return { method: 'POST', path: `/admin/users/:login/${form}`, handler };
  }

  const listUsers: Handler = async function listUsers(ctx) {
    const body = usersListPage(await users.list());
    showAdminPage(ctx, 200, { title: 'Users', section: 'users', body, notice: doneNotice(ctx, notices) });
  };

  const newUserForm: Handler = async function newUserForm(ctx) {
    showNewUser(ctx, { login: '', email: '', superuser: false });
  };

  const createUser: Handler = async function createUser(ctx) {
    const form = formOf(ctx);
    const values = {
      login: form.get('login') ?? '',
      email: form.get('email') ?? '',
      superuser: form.get('superuser') === '1',
    };
    try {
      // Bad input is refused before the password is asked for: a typo costs no password attempt.
      const input = checkNewUser({ ...values, password: form.get('password') ?? '' });
      await confirmPassword(ctx);
      const user = await users.create(input, actorOf(ctx));
      redirectAfterPost(ctx, `${userPath(user.login)}?done=created`);
    } catch (error) {
      const fields = ['login', 'email', 'password', 'passwordConfirmation'];
      showNewUser(ctx, values, formFailure(error, { fields, conflictField: 'login' }));
    }
  };

  const showUserPage: Handler = async function showUserPage(ctx) {
    await showUser(ctx, 200, await userOf(ctx));
  };

  const saveEmail = userForm(
    'email',
    ['email'],
    (ctx, user) => users.setEmail(user.login, formOf(ctx).get('email') ?? '', actorOf(ctx)),
    (ctx) => ({ email: formOf(ctx).get('email') ?? '' }),
  );

  const saveAccess = userForm(
    'access',
    ['access', 'passwordConfirmation'],
    async (ctx, user) => {
      const changes = accessChanges(formOf(ctx), user, await sites.all());
      await confirmPassword(ctx);
      for (const { idsite, access } of changes)
        await users.setSiteAccess(user.login, idsite, access, actorOf(ctx));
    },
    (ctx) => ({ access: sentAccess(formOf(ctx)) }),
  );

  const setSuperuser = userForm('superuser', ['superuser', 'passwordConfirmation'], async (ctx, user) => {
    const value = formOf(ctx).get('superuser');
    if (value !== '0' && value !== '1')
      throw new ValidationError('Choose to make a super user or not.', 'superuser');
    await confirmPassword(ctx);
    await users.setSuperuser(user.login, value === '1', actorOf(ctx));
  });

  const resetPassword = userForm('password', ['password', 'passwordConfirmation'], async (ctx, user) => {
    const password = formOf(ctx).get('password') ?? '';
    checkNewPassword(password, user.login);
    await confirmPassword(ctx);
    await users.setPassword(user.login, password, actorOf(ctx));
  });

  const confirmDelete: Handler = async function confirmDelete(ctx) {
    await showDelete(ctx, 200, await userOf(ctx));
  };

  const deleteUser: Handler = async function deleteUser(ctx) {
    const user = await userOf(ctx);
    try {
      await confirmPassword(ctx);
      await users.delete(user.login, actorOf(ctx));
    } catch (error) {
      const { status, errors, headers } = formFailure(error, { fields: ['passwordConfirmation'] });
      await showDelete(ctx, status, user, errors, headers);
      return;
    }
    redirectAfterPost(ctx, '/admin/users?done=deleted');
  };

  return [
    { method: 'GET', path: '/admin/users', handler: listUsers },
    { method: 'GET', path: '/admin/users/new', handler: newUserForm },
    { method: 'POST', path: '/admin/users', handler: createUser },
    { method: 'GET', path: '/admin/users/:login', handler: showUserPage },
    saveEmail,
    saveAccess,
    setSuperuser,
    resetPassword,
    { method: 'GET', path: '/admin/users/:login/delete', handler: confirmDelete },
    { method: 'POST', path: '/admin/users/:login/delete', handler: deleteUser },
  ];
}
