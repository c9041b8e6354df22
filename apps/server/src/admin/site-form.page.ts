import { appHref } from '../pages/app-href';
import { html, type SafeHtml } from '../pages/html';
import { formError } from './form-failure';
import { csrfField, type FieldErrors, selectField, textareaField, textField } from './form-fields';
import { currencyChoices, timezoneChoices } from './site-choices';

/** What the site form holds: as stored, or as typed. */
export interface SiteFormValues {
  name: string;
  /** One URL per line. */
  urls: string;
  timezone: string;
  currency: string;
}

export interface SiteFormModel {
  /** The site being edited, as stored; undefined for a new one. */
  site?: { idsite: number; name: string } | undefined;
  values: SiteFormValues;
  errors: FieldErrors;
  csrfToken: string;
}

/** Adding or editing a website: name, URLs, time zone, currency (no password asked, as in Matomo). */
export function siteFormPage(model: SiteFormModel): SafeHtml {
  const { site, values, errors } = model;
  const action = site === undefined ? '/admin/sites' : `/admin/sites/${site.idsite}`;
  return html`
<div class="head"><h1>${site === undefined ? 'New website' : `Website ${site.name}`}</h1><a href="${appHref('/admin/sites')}">All websites</a></div>
${site === undefined ? '' : html`<p class="muted">Site id ${site.idsite}: the <code>idSite</code> of the API and of the tracker.</p>`}
${formError(errors)}
<form method="post" action="${appHref(action)}" class="narrow" novalidate>
  ${csrfField(model.csrfToken)}
  ${textField({ name: 'name', label: 'Name', value: values.name, required: true, autocomplete: 'off', errors })}
  ${textareaField({
    name: 'urls',
    label: 'URLs',
    value: values.urls,
    rows: 3,
    errors,
    hint: 'One per line, with http:// or https://. The first is the main URL.',
  })}
  ${selectField({
    name: 'timezone',
    label: 'Time zone',
    value: values.timezone,
    choices: timezoneChoices(values.timezone),
    errors,
    hint: "Reports count days in this time zone: choose the website's local one.",
  })}
  ${selectField({
    name: 'currency',
    label: 'Currency',
    value: values.currency,
    choices: currencyChoices(values.currency),
    errors,
    hint: 'For revenue in the reports (ISO 4217 code).',
  })}
  <div class="actions"><button type="submit" class="primary">${site === undefined ? 'Add website' : 'Save'}</button><a class="button" href="${appHref('/admin/sites')}">Cancel</a></div>
</form>`;
}
