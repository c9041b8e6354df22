import type { Actor } from '../audit/actor';
import type { Client } from '../clients/client';
import { clientSecretMatches } from '../clients/client-secret';
import { ConflictError, NotFoundError, TooManyAttemptsError, ValidationError } from '../errors/domain-error';
import { PageError } from '../errors/page-error';
import { formOf, queryParams } from '../http/form-body';
import type { AppContext, AppMiddleware } from '../http/state';
import type { SafeHtml } from '../pages/html';
import { sendPage } from '../pages/page-response';
import type { AdminDeps } from './admin-deps';
import { adminOf } from './admin-guard';
import { adminPage } from './admin-layout';
import type { AdminRoute } from './admin-route';
import type { AdminState } from './admin-state';
import { type ClientAction, confirmationBody, confirmationOf } from './client-confirm.page';
import { clientDetailBody } from './client-detail.page';
import { clientPath } from './client-display';
import {
  type ClientFormValues,
  checkClientForm,
  clientValues,
  newClientValues,
  postedValues,
} from './client-form';
import { newClientBody } from './client-form.page';
import { clientListBody } from './client-list.page';
import type { FieldErrors } from './form-fields';

type Context = AppContext<AdminState>;
type Handler = AppMiddleware<AdminState>;

/** What `?done=` after an action says on the page it leads to (never a secret: it is in the URL). */
const notices: Readonly<Record<string, string>> = {
  created: 'Application created.',
  updated: 'Application updated.',
  rotated: 'New secret generated: the previous one no longer works.',
  paused: 'Application paused: its tokens no longer work.',
  resumed: 'Application resumed.',
  deleted: 'Application deleted.',
};

function noticeOf(ctx: Context): string | undefined {
  const done = queryParams(ctx).get('done');
  return done !== undefined && Object.hasOwn(notices, done) ? notices[done] : undefined;
}

function render(ctx: Context, status: number, title: string, body: SafeHtml, notice?: string): void {
  const { user, csrfToken } = adminOf(ctx);
  sendPage(ctx, status, adminPage({ title, section: 'clients', login: user.login, csrfToken, body, notice }));
}

function redirect(ctx: Context, location: string): void {
  ctx.status = 303;
  ctx.redirect(location);
}

function actorOf(ctx: Context): Actor {
  return { login: adminOf(ctx).user.login, ip: ctx.ip };
}

function clientIdOf(ctx: Context): string {
  return (ctx.params as Record<string, string>).clientId ?? '';
}

/** The service's refusals, as pages: a client that does not exist, an action its state forbids. */
function withDomainErrors(handler: Handler): Handler {
  return async function domainErrorsAsPages(ctx, next) {
    try {
      await handler(ctx, next);
    } catch (error) {
      if (error instanceof NotFoundError)
        throw new PageError(
          404,
          'Application not found',
          'No application has this client ID; it may have been deleted.',
        );
      if (error instanceof ConflictError) throw new PageError(409, 'This cannot be done', error.message);
      throw error;
    }
  };
}

interface PasswordProblem {
  message: string;
  /** Set when refused for too many wrong passwords: seconds to wait. */
  retryAfter?: number;
}

/** A refused form: 400, or 429 with Retry-After when wrong passwords are throttled. */
function refusalStatus(ctx: Context, password: PasswordProblem | undefined): number {
  if (password?.retryAfter === undefined) return 400;
  ctx.set('Retry-After', String(password.retryAfter));
  return 429;
}

function passwordErrors(password: PasswordProblem | undefined): FieldErrors {
  return password ? { passwordConfirmation: password.message } : {};
}

/** The client list, the create and edit forms, pause/resume, rotate secret, delete. */
export function clientPages(deps: AdminDeps): AdminRoute[] {
  const { clients, confirmPassword, secretFlash, issuer } = deps;

  /** Checks the password typed to confirm a change; the problem to show beside it, if any. */
  async function passwordProblem(ctx: Context): Promise<PasswordProblem | undefined> {
    const password = formOf(ctx).get('passwordConfirmation');
    if (password === undefined) return { message: 'Please type your password to confirm this change.' };
    try {
      await confirmPassword(adminOf(ctx).user.login, password, ctx.ip);
      return undefined;
    } catch (error) {
      if (error instanceof ValidationError) return { message: error.message };
      if (error instanceof TooManyAttemptsError)
        return { message: error.message, retryAfter: error.retryAfter };
      throw error;
    }
  }

  function renderNew(ctx: Context, status: number, values: ClientFormValues, errors: FieldErrors): void {
    const form = {
      action: '/admin/clients',
      csrfToken: adminOf(ctx).csrfToken,
      values,
      errors,
      submitLabel: 'Create application',
    };
    render(ctx, status, 'New application', newClientBody(form));
  }

  function renderClient(
    ctx: Context,
    status: number,
    page: { client: Client; secret?: string; values: ClientFormValues; errors: FieldErrors; notice?: string },
  ): void {
    const { client, values, errors } = page;
    const form = {
      action: clientPath(client.clientId),
      csrfToken: adminOf(ctx).csrfToken,
      values,
      errors,
      client,
      submitLabel: 'Save changes',
    };
    render(ctx, status, client.name, clientDetailBody({ client, secret: page.secret, form }), page.notice);
  }

  const listClients: Handler = async function listClients(ctx) {
    const newestFirst = (await clients.list()).sort(
      (a, b) => b.createdAt - a.createdAt || a.clientId.localeCompare(b.clientId),
    );
    render(ctx, 200, 'Applications', clientListBody({ clients: newestFirst, issuer }), noticeOf(ctx));
  };

  const showNewClient: Handler = async function showNewClient(ctx) {
    renderNew(ctx, 200, newClientValues, {});
  };

  const createClient: Handler = async function createClient(ctx) {
    const checked = checkClientForm(formOf(ctx));
    const password = await passwordProblem(ctx);
    if (!checked.ok || password) {
      const errors = { ...(checked.ok ? {} : checked.errors), ...passwordErrors(password) };
      renderNew(ctx, refusalStatus(ctx, password), postedValues(formOf(ctx)), errors);
      return;
    }
    const { client, secret } = await clients.create(checked.settings, actorOf(ctx));
    if (secret !== null) secretFlash.put(ctx, client.clientId, secret);
    redirect(ctx, `${clientPath(client.clientId)}?done=created`);
  };

  const showClient: Handler = async function showClient(ctx) {
    const client = await clients.get(clientIdOf(ctx));
    const flashed = secretFlash.take(ctx, client.clientId);
    // Shown only while it is still the client's secret (not rotated since by someone else).
    const secret =
      flashed !== undefined &&
      client.secretDigest !== null &&
      clientSecretMatches(flashed, client.secretDigest)
        ? flashed
        : undefined;
    const notice = noticeOf(ctx);
    renderClient(ctx, 200, {
      client,
      values: clientValues(client),
      errors: {},
      notice,
      ...(secret && { secret }),
    });
  };

  const updateClient: Handler = async function updateClient(ctx) {
    const current = await clients.get(clientIdOf(ctx));
    const checked = checkClientForm(formOf(ctx));
    const password = await passwordProblem(ctx);
    if (!checked.ok || password) {
      const errors = { ...(checked.ok ? {} : checked.errors), ...passwordErrors(password) };
      const values = postedValues(formOf(ctx));
      renderClient(ctx, refusalStatus(ctx, password), { client: current, values, errors });
      return;
    }
    const { client, secret } = await clients.update(current.clientId, checked.settings, actorOf(ctx));
    if (secret !== null) secretFlash.put(ctx, client.clientId, secret);
    redirect(ctx, `${clientPath(client.clientId)}?done=updated`);
  };

  /** What each confirmed action does, and where the browser goes next. */
  const perform: Record<ClientAction, (ctx: Context, client: Client) => Promise<string>> = {
    'rotate-secret': async (ctx, client) => {
      const { secret } = await clients.rotateSecret(client.clientId, actorOf(ctx));
      secretFlash.put(ctx, client.clientId, secret);
      return `${clientPath(client.clientId)}?done=rotated`;
    },
    pause: async (ctx, client) => {
      await clients.setActive(client.clientId, false, actorOf(ctx));
      return '/admin/clients?done=paused';
    },
    resume: async (ctx, client) => {
      await clients.setActive(client.clientId, true, actorOf(ctx));
      return '/admin/clients?done=resumed';
    },
    delete: async (ctx, client) => {
      await clients.delete(client.clientId, actorOf(ctx));
      return '/admin/clients?done=deleted';
    },
  };

  /** A client that the action applies to: a public client has no secret to rotate. */
  async function clientFor(ctx: Context, action: ClientAction): Promise<Client> {
    const client = await clients.get(clientIdOf(ctx));
    if (action === 'rotate-secret' && client.type !== 'confidential')
      throw new ConflictError('A public client has no secret to rotate.');
    return client;
  }

  function confirmationRoutes(action: ClientAction): AdminRoute[] {
    const path = `/admin/clients/:clientId/${action}`;
    const ask: Handler = async function askConfirmation(ctx) {
      const client = await clientFor(ctx, action);
      const body = confirmationBody({ action, client, csrfToken: adminOf(ctx).csrfToken, errors: {} });
      render(ctx, 200, confirmationOf(action, client).question, body);
    };
    const confirmed: Handler = async function performConfirmed(ctx) {
      const client = await clientFor(ctx, action);
      if (confirmationOf(action, client).password) {
        const password = await passwordProblem(ctx);
        if (password) {
          const status = refusalStatus(ctx, password);
          const errors = passwordErrors(password);
          const body = confirmationBody({ action, client, csrfToken: adminOf(ctx).csrfToken, errors });
          render(ctx, status, confirmationOf(action, client).question, body);
          return;
        }
      }
      redirect(ctx, await perform[action](ctx, client));
    };
    return [
      { method: 'GET', path, handler: withDomainErrors(ask) },
      { method: 'POST', path, handler: withDomainErrors(confirmed) },
    ];
  }

  return [
    { method: 'GET', path: '/admin/clients', handler: listClients },
    // Before `/admin/clients/:clientId`, which would match `new` too.
    { method: 'GET', path: '/admin/clients/new', handler: showNewClient },
    { method: 'POST', path: '/admin/clients', handler: withDomainErrors(createClient) },
    { method: 'GET', path: '/admin/clients/:clientId', handler: withDomainErrors(showClient) },
    { method: 'POST', path: '/admin/clients/:clientId', handler: withDomainErrors(updateClient) },
    ...(['rotate-secret', 'pause', 'resume', 'delete'] as const).flatMap(confirmationRoutes),
  ];
}
