import { createHash } from 'node:crypto';
import { html, type SafeHtml, trustedConstant } from './html';

// The only style sheet, inline: pages load nothing else, from us or from a third party.
const css = `
:root { color-scheme: light dark; --accent: #3450a3; --muted: #667085; --border: #d0d5dd; --field: #868e9c; --bg: #f6f7fb; --card: #fff; --danger: #b42318; }
@media (prefers-color-scheme: dark) { :root { --accent: #8ea6f0; --muted: #98a2b3; --border: #3a4150; --field: #687082; --bg: #111418; --card: #1b1f26; --danger: #f97066; } }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: var(--bg); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { width: min(28rem, calc(100vw - 2rem)); background: var(--card); border: 1px solid var(--border); border-radius: 12px; padding: 2rem; margin: 2rem 0; }
h1 { font-size: 1.35rem; margin: 0 0 1rem; line-height: 1.3; }
p { margin: 0 0 1rem; }
.muted { color: var(--muted); font-size: .9rem; }
.error { color: var(--danger); border: 1px solid currentColor; border-radius: 8px; padding: .6rem .8rem; }
label { display: block; font-weight: 600; margin: 0 0 .25rem; }
input[type=text], input[type=password] { width: 100%; font: inherit; padding: .55rem .7rem; border: 1px solid var(--field); border-radius: 8px; margin: 0 0 1rem; background: transparent; color: inherit; }
fieldset { border: 1px solid var(--border); border-radius: 8px; margin: 0 0 1rem; padding: .5rem .9rem; }
legend { font-weight: 600; padding: 0 .3rem; }
.scope { display: grid; grid-template-columns: auto 1fr; gap: .2rem .6rem; align-items: start; padding: .5rem 0; }
.scope label { font-weight: 600; margin: 0; }
.scope .muted { grid-column: 2; margin: 0; }
.actions { display: flex; gap: .75rem; margin-top: 1.25rem; }
button { font: inherit; font-weight: 600; border-radius: 8px; padding: .55rem 1.2rem; cursor: pointer; border: 1px solid var(--border); background: transparent; color: inherit; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.link { border: 0; padding: 0; color: var(--accent); font-weight: 400; text-decoration: underline; }
code { font-size: .9em; }
form + form { margin-top: 1rem; }
main.wide { width: min(72rem, calc(100vw - 1rem)); padding: 1.25rem 1.5rem 2rem; }
body:has(main.wide) { place-items: start center; }
nav.admin { display: flex; flex-wrap: wrap; gap: .25rem 1rem; align-items: center; border-bottom: 1px solid var(--border); padding-bottom: .75rem; margin-bottom: 1.25rem; }
nav.admin a { color: inherit; text-decoration: none; padding: .25rem 0; }
nav.admin a[aria-current=page] { color: var(--accent); font-weight: 600; border-bottom: 2px solid currentColor; }
nav.admin .who { margin-left: auto; display: flex; gap: .75rem; align-items: center; }
nav.admin form { margin: 0; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.table-wrap { overflow-x: auto; margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: left; padding: .5rem .6rem; border-bottom: 1px solid var(--border); vertical-align: top; }
th { font-weight: 600; white-space: nowrap; }
td code { word-break: break-all; }
.row-actions { display: flex; flex-wrap: wrap; gap: .4rem; }
.row-actions form { margin: 0; }
a.button, .row-actions a { display: inline-block; font-weight: 600; border-radius: 8px; padding: .3rem .8rem; border: 1px solid var(--border); color: inherit; text-decoration: none; font-size: .9rem; }
.row-actions button { padding: .3rem .8rem; font-size: .9rem; }
a.button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
.head { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; justify-content: space-between; margin-bottom: 1rem; }
.head h1 { margin: 0; }
.field { margin: 0 0 1rem; }
.field input[type=text], .field input[type=password], .field input[type=email], .field input[type=url], .field textarea, .field select { width: 100%; font: inherit; padding: .5rem .7rem; border: 1px solid var(--field); border-radius: 8px; background: transparent; color: inherit; margin: 0; }
.field textarea { min-height: 6rem; font-family: ui-monospace, monospace; font-size: .9rem; }
.field .hint { color: var(--muted); font-size: .85rem; margin: .25rem 0 0; }
.field .field-error { color: var(--danger); font-size: .9rem; margin: .3rem 0 0; font-weight: 600; }
.field [aria-invalid=true] { border-color: var(--danger); border-width: 2px; }
.choice { display: flex; gap: .5rem; align-items: center; font-weight: 400; margin: .2rem 0; }
.notice { border: 1px solid var(--accent); border-radius: 8px; padding: .6rem .8rem; margin: 0 0 1rem; }
.secret { border: 2px solid var(--accent); border-radius: 8px; padding: .8rem; margin: 0 0 1rem; }
.secret input { width: 100%; font: .95rem ui-monospace, monospace; padding: .5rem; border: 1px solid var(--field); border-radius: 6px; background: transparent; color: inherit; }
.badge { display: inline-block; border: 1px solid currentColor; border-radius: 999px; padding: 0 .5rem; font-size: .8rem; }
.badge.off { color: var(--danger); }
.pager { display: flex; gap: 1rem; align-items: center; }
.filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: end; margin-bottom: 1rem; }
.filters .field { margin: 0; min-width: 10rem; }
button.danger { color: var(--danger); border-color: var(--danger); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .75rem; }
.narrow { max-width: 40rem; }
dl.details { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .3rem 1rem; margin: 0 0 1.25rem; }
dl.details dt { font-weight: 600; }
dl.details dd { margin: 0; overflow-wrap: anywhere; }
.row-actions a.danger, a.button.danger { color: var(--danger); border-color: var(--danger); }
.actions { flex-wrap: wrap; align-items: center; }
.actions a.button { padding: .55rem 1.2rem; font-size: 1rem; }
.secret label { margin-bottom: .4rem; }
.secret .copy-row { display: flex; gap: .5rem; margin: 0 0 .75rem; }
.secret .copy-row input { flex: 1; min-width: 0; margin: 0; }
.secret p { margin: 0; }
.empty { border: 1px dashed var(--border); border-radius: 8px; padding: 1.25rem; }
.table-wrap:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
td .row-actions a { white-space: nowrap; }
.nowrap, td code.nowrap { white-space: nowrap; word-break: normal; }
td code.id { font-size: .82rem; display: inline-block; min-width: 8.5rem; }
table.clients { min-width: 64rem; }
table.clients th, table.clients td { padding: .5rem .4rem; }
table.clients code { font-size: .82rem; }
table.clients td:first-child { min-width: 7rem; }
table.clients .row-actions { min-width: 12rem; gap: .35rem; }
table.clients .row-actions a { padding: .25rem .55rem; }
@media (prefers-color-scheme: dark) { button.primary, a.button.primary { color: #111418; } }
@media (max-width: 40rem) { dl.details { grid-template-columns: minmax(0, 1fr); gap: 0; } dl.details dd { margin-bottom: .5rem; } }
section.panel { border-top: 1px solid var(--border); padding-top: 1.25rem; margin-top: 1.5rem; }
section.panel > h2 { margin-top: 0; }
td select { font: inherit; padding: .3rem .5rem; border: 1px solid var(--field); border-radius: 8px; background: transparent; color: inherit; }
table.access td:first-child { overflow-wrap: anywhere; }
table.access td:last-child { width: 1%; white-space: nowrap; }
td.audit-detail { min-width: 13rem; overflow-wrap: anywhere; }
td.audit-detail .kv { display: block; }
.filter-actions { display: flex; gap: .75rem; align-items: center; min-height: 2.6rem; }
form.audit-filters .field { flex: 1 1 12rem; }
form.audit-filters select { min-height: 2.6rem; }
table.audit td.time-cell, table.audit td.code-cell code { white-space: nowrap; word-break: normal; }
.actions > form + form { margin-top: 0; }
.actions + .muted { margin-top: 1rem; }
`;

const styleHash = createHash('sha256').update(css).digest('base64');

// The only script: a progressive "Copy" button for secrets shown once. Pages work without it.
const copyScript = `document.querySelectorAll('button[data-copy]').forEach(function (b) { b.hidden = false; b.addEventListener('click', function () { var i = document.getElementById(b.getAttribute('data-copy')); if (!i) return; navigator.clipboard.writeText(i.value).then(function () { b.textContent = 'Copied'; }, function () { i.select(); }); }); });`;
const scriptHash = createHash('sha256').update(copyScript).digest('base64');

export interface PageOptions {
  title: string;
  body: SafeHtml;
  /** Where forms on the page may lead, beyond this server (a client's redirect URI). */
  formTargets?: readonly string[];
  /** A wide page (the admin pages' tables), with the copy-button script. */
  wide?: boolean;
}

/** The security headers of every page (RFC 9700 §4.16, §4.2; RFC 6749 §10.13). */
export function pageHeaders(formTargets: readonly string[] = []): Record<string, string> {
  const formAction = ["'self'", ...formTargets].join(' ');
  return {
    'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${styleHash}'; script-src 'sha256-${scriptHash}'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    'Content-Type': 'text/html; charset=utf-8',
  };
}

export function layout({ title, body, wide = false }: PageOptions): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · Matomo</title>
<style>${trustedConstant(css)}</style>
</head>
<body>
<main${wide ? html` class="wide"` : ''}>
${body}
</main>
${wide ? html`<script>${trustedConstant(copyScript)}</script>` : ''}
</body>
</html>
`.value;
}

/** A CSP source that lets a form's redirect reach `uri` (its origin, or its scheme for app URIs). */
export function cspSourceFor(uri: string): string {
  const url = new URL(uri);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol;
}
