import type { Client } from '../clients/client';
import type { ClientWithSecret } from '../clients/client.service';
import { clientSecretMatches } from '../clients/client-secret';
import type { ClientSettings } from '../clients/client-settings';
import { PageError } from '../errors/page-error';
import { formOf } from '../http/form-body';
import type { AppContext, AppMiddleware } from '../http/state';
import { actorOf } from './admin-actor';
import type { AdminDeps } from './admin-deps';
import { adminOf } from './admin-guard';
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
import { type FormFailure, formFailure, found } from './form-failure';
import { createOperatorConfirmation, passwordMissing } from './operator-password';
import { doneNotice, routeParam } from './request-values';
import { redirectAfterPost, showAdminPage } from './show-admin-page';

type Ctx = AppContext<AdminState>;
type Handler = AppMiddleware<AdminState>;

/** What `?done=` after an action says on the page it leads to (never a secret: it is in the URL). */
const notices = {
  created: 'Application created.',
  updated: 'Application updated.',
  rotated: 'New secret generated: the previous one no longer works.',
  paused: 'Application paused: its tokens no longer work.',
  resumed: 'Application resumed.',
  deleted: 'Application deleted.',
};

const notFound = {
  title: 'Application not found',
  message: 'No application has this client ID; it may have been deleted.',
};

/** The settings form's fields: a refusal about anything else is shown above the form. */
const settingsFields = [
  'name',
  'type',
  'grantTypes',
  'scope',
  'identityScopes',
  'redirectUris',
  'postLogoutRedirectUris',
  'description',
  'passwordConfirmation',
];

/** The client list, the create and edit forms, pause/resume, rotate secret, delete. */
export function clientPages(
  deps: Pick<AdminDeps, 'clients' | 'confirmPassword' | 'secretFlash' | 'issuer'>,
): AdminRoute[] {
  const { clients, secretFlash, issuer } = deps;
  const confirmPassword = createOperatorConfirmation(deps.confirmPassword);

  const clientOf = (ctx: Ctx) => found(clients.get(routeParam(ctx, 'clientId')), notFound);

  function showNew(ctx: Ctx, values: ClientFormValues, failure?: FormFailure): void {
    const form = {
      action: '/admin/clients',
      csrfToken: adminOf(ctx).csrfToken,
      values,
      errors: failure?.errors ?? {},
      submitLabel: 'Create application',
    };
    const view = { title: 'New application', section: 'clients' as const, body: newClientBody(form) };
    showAdminPage(ctx, failure?.status ?? 200, view, failure?.headers);
  }

  function showClient(
    ctx: Ctx,
    client: Client,
    page: { values: ClientFormValues; secret?: string | undefined; failure?: FormFailure },
  ): void {
    const { values, secret, failure } = page;
    const form = {
      action: clientPath(client.clientId),
      csrfToken: adminOf(ctx).csrfToken,
      values,
      errors: failure?.errors ?? {},
      client,
      submitLabel: 'Save changes',
    };
    const body = clientDetailBody({ client, secret, form });
    const notice = failure ? undefined : doneNotice(ctx, notices);
    showAdminPage(
      ctx,
      failure?.status ?? 200,
      { title: client.name, section: 'clients', body, notice },
      failure?.headers,
    );
  }

  /**
   * The create and edit forms: every problem with what was typed (a missing password among
   * them) is refused at once before the password is checked, so a typo costs no password
   * attempt; then the password, then `save`, and the page showing the result (with the new
   * secret, once).
   */
  async function saveSettings(
    ctx: Ctx,
    done: 'created' | 'updated',
    save: (settings: ClientSettings) => Promise<ClientWithSecret>,
    refused: (failure: FormFailure) => void,
  ): Promise<void> {
    const form = formOf(ctx);
    const checked = checkClientForm(form);
    const missing = passwordMissing(form);
    if (!checked.ok || Object.keys(missing).length > 0) {
      refused({ status: 400, errors: { ...(checked.ok ? {} : checked.errors), ...missing }, headers: {} });
      return;
    }
    let saved: ClientWithSecret;
    try {
      await confirmPassword(ctx);
      saved = await save(checked.settings);
    } catch (error) {
      refused(formFailure(error, { fields: settingsFields }));
      return;
    }
    const { client, secret } = saved;
    if (secret !== null) secretFlash.put(ctx, client.clientId, secret);
    redirectAfterPost(ctx, `${clientPath(client.clientId)}?done=${done}`);
  }

  const listClients: Handler = async function listClients(ctx) {
    const newestFirst = (await clients.list()).sort(
      (a, b) => b.createdAt - a.createdAt || a.clientId.localeCompare(b.clientId),
    );
    const body = clientListBody({ clients: newestFirst, issuer });
    showAdminPage(ctx, 200, {
      title: 'Applications',
      section: 'clients',
      body,
      notice: doneNotice(ctx, notices),
    });
  };

  const newClientForm: Handler = async function newClientForm(ctx) {
    showNew(ctx, newClientValues);
  };

  const createClient: Handler = async function createClient(ctx) {
    await saveSettings(
      ctx,
      'created',
      (settings) => clients.create(settings, actorOf(ctx)),
      (failure) => showNew(ctx, postedValues(formOf(ctx)), failure),
    );
  };

  const showClientPage: Handler = async function showClientPage(ctx) {
    const client = await clientOf(ctx);
    const flashed = await secretFlash.take(ctx, client.clientId);
    // Shown only while it is still the client's secret (not rotated since by someone else).
    const secret =
      flashed !== undefined &&
      client.secretDigest !== null &&
      clientSecretMatches(flashed, client.secretDigest)
        ? flashed
        : undefined;
    showClient(ctx, client, { values: clientValues(client), secret });
  };

  const updateClient: Handler = async function updateClient(ctx) {
    const current = await clientOf(ctx);
    await saveSettings(
      ctx,
      'updated',
      (settings) => found(clients.update(current.clientId, settings, actorOf(ctx)), notFound),
      (failure) => showClient(ctx, current, { values: postedValues(formOf(ctx)), failure }),
    );
  };

  /** What each confirmed action does, and where the browser goes next. */
  const perform: Record<ClientAction, (ctx: Ctx, client: Client) => Promise<string>> = {
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
  async function clientFor(ctx: Ctx, action: ClientAction): Promise<Client> {
    const client = await clientOf(ctx);
    if (action === 'rotate-secret' && client.type !== 'confidential')
      throw new PageError(409, 'This cannot be done', 'A public client has no secret to rotate.');
    return client;
  }

  function confirmationRoutes(action: ClientAction): AdminRoute[] {
    const path = `/admin/clients/:clientId/${action}`;

    function showConfirmation(ctx: Ctx, client: Client, failure?: FormFailure): void {
      const errors = failure?.errors ?? {};
      const body = confirmationBody({ action, client, csrfToken: adminOf(ctx).csrfToken, errors });
      const view = { title: confirmationOf(action, client).question, section: 'clients' as const, body };
      showAdminPage(ctx, failure?.status ?? 200, view, failure?.headers);
    }

    const askConfirmation: Handler = async function askConfirmation(ctx) {
      showConfirmation(ctx, await clientFor(ctx, action));
    };

    const performConfirmed: Handler = async function performConfirmed(ctx) {
      const client = await clientFor(ctx, action);
      let next: string;
      try {
        if (confirmationOf(action, client).password) await confirmPassword(ctx);
        next = await found(perform[action](ctx, client), notFound);
      } catch (error) {
        showConfirmation(ctx, client, formFailure(error, { fields: ['passwordConfirmation'] }));
        return;
      }
      redirectAfterPost(ctx, next);
    };

    return [
      { method: 'GET', path, handler: askConfirmation },
      { method: 'POST', path, handler: performConfirmed },
    ];
  }

  return [
    { method: 'GET', path: '/admin/clients', handler: listClients },
    // Before `/admin/clients/:clientId`, which would match `new` too.
    { method: 'GET', path: '/admin/clients/new', handler: newClientForm },
    { method: 'POST', path: '/admin/clients', handler: createClient },
    { method: 'GET', path: '/admin/clients/:clientId', handler: showClientPage },
    { method: 'POST', path: '/admin/clients/:clientId', handler: updateClient },
    ...(['rotate-secret', 'pause', 'resume', 'delete'] as const).flatMap(confirmationRoutes),
  ];
}
