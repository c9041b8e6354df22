import type { SiteRow } from '../db/schema';
import { PageError } from '../errors/page-error';
import { formOf } from '../http/form-body';
import type { AppContext, AppMiddleware } from '../http/state';
import { siteUrls } from '../sites/site.service';
import { checkNewSiteSettings, checkSiteSettings, type SiteSettingsInput } from '../sites/site-settings';
import { actorOf } from './admin-actor';
import type { AdminDeps } from './admin-deps';
import { adminOf } from './admin-guard';
import type { AdminRoute } from './admin-route';
import type { AdminState } from './admin-state';
import { type FormFailure, formFailure, found } from './form-failure';
import { doneNotice, routeParam } from './request-values';
import { redirectAfterPost, showAdminPage } from './show-admin-page';
import { type SiteFormValues, siteFormPage } from './site-form.page';
import { sitesListPage } from './sites-list.page';

type Ctx = AppContext<AdminState>;
type Handler = AppMiddleware<AdminState>;

const notices = { created: 'Website added.', updated: 'Website saved.' };
const fields = ['name', 'urls', 'timezone', 'currency'];

function valuesOf(site: SiteRow): SiteFormValues {
  return {
    name: site.name,
    urls: siteUrls(site).join('\n'),
    timezone: site.timezone,
    currency: site.currency,
  };
}

/** The form as typed: every field sent, so that an emptied field is refused rather than ignored. */
function sentValues(ctx: Ctx): SiteFormValues {
  const form = formOf(ctx);
  return {
    name: form.get('name') ?? '',
    urls: form.get('urls') ?? '',
    timezone: form.get('timezone') ?? '',
    currency: form.get('currency') ?? '',
  };
}

/** The form, as `SitesManager.addSite`/`updateSite` take their settings (checked by the same functions). */
function settingsInput(values: SiteFormValues): SiteSettingsInput {
  return {
    name: values.name,
    urls: values.urls
      .split(/\r?\n/)
      .map((url) => url.trim())
      .filter((url) => url !== ''),
    timezone: values.timezone.trim(),
    currency: values.currency.trim(),
  };
}

function siteId(ctx: Ctx): number {
  const id = routeParam(ctx, 'idsite');
  if (!/^[1-9][0-9]{0,9}$/.test(id))
    throw new PageError(404, 'Not found', `There is no website "${id.slice(0, 20)}".`);
  return Number(id);
}

/** The websites: list, add, edit, through the service (and the checks) `SitesManager.*` uses. */
export function sitePages({ sites, clock }: Pick<AdminDeps, 'sites' | 'clock'>): AdminRoute[] {
  function showForm(ctx: Ctx, values: SiteFormValues, site?: SiteRow, failure?: FormFailure): void {
    const body = siteFormPage({
      site,
      values,
      errors: failure?.errors ?? {},
      csrfToken: adminOf(ctx).csrfToken,
    });
    const title = site === undefined ? 'New website' : `Website ${site.name}`;
    const notice = failure ? undefined : doneNotice(ctx, notices);
    showAdminPage(ctx, failure?.status ?? 200, { title, section: 'sites', body, notice }, failure?.headers);
  }

  const listSites: Handler = async function listSites(ctx) {
    const body = sitesListPage(await sites.all());
    showAdminPage(ctx, 200, { title: 'Websites', section: 'sites', body, notice: doneNotice(ctx, notices) });
  };

  const newSiteForm: Handler = async function newSiteForm(ctx) {
    showForm(ctx, { name: '', urls: '', timezone: 'UTC', currency: 'USD' });
  };

  const addSite: Handler = async function addSite(ctx) {
    const values = sentValues(ctx);
    try {
      const idsite = await sites.add(checkNewSiteSettings(settingsInput(values), clock()), actorOf(ctx));
      redirectAfterPost(ctx, `/admin/sites/${idsite}?done=created`);
    } catch (error) {
      showForm(ctx, values, undefined, formFailure(error, { fields }));
    }
  };

  const editSiteForm: Handler = async function editSiteForm(ctx) {
    const site = await found(sites.get(siteId(ctx)));
    showForm(ctx, valuesOf(site), site);
  };

  const updateSite: Handler = async function updateSite(ctx) {
    const site = await found(sites.get(siteId(ctx)));
    const values = sentValues(ctx);
    try {
      await sites.update(site.idsite, checkSiteSettings(settingsInput(values)), actorOf(ctx));
      redirectAfterPost(ctx, `/admin/sites/${site.idsite}?done=updated`);
    } catch (error) {
      showForm(ctx, values, site, formFailure(error, { fields }));
    }
  };

  return [
    { method: 'GET', path: '/admin/sites', handler: listSites },
    { method: 'GET', path: '/admin/sites/new', handler: newSiteForm },
    { method: 'POST', path: '/admin/sites', handler: addSite },
    { method: 'GET', path: '/admin/sites/:idsite', handler: editSiteForm },
    { method: 'POST', path: '/admin/sites/:idsite', handler: updateSite },
  ];
}
