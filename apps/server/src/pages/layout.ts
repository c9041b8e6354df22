import { createHash } from 'node:crypto';
import { html, type SafeHtml, trustedConstant } from './html';

// The only style sheet, inline: pages load nothing else, from us or from a third party.
const css = `
:root { color-scheme: light dark; --accent: #3450a3; --muted: #667085; --border: #d0d5dd; --bg: #f6f7fb; --card: #fff; --danger: #b42318; }
@media (prefers-color-scheme: dark) { :root { --accent: #8ea6f0; --muted: #98a2b3; --border: #3a4150; --bg: #111418; --card: #1b1f26; --danger: #f97066; } }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: var(--bg); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { width: min(28rem, calc(100vw - 2rem)); background: var(--card); border: 1px solid var(--border); border-radius: 12px; padding: 2rem; margin: 2rem 0; }
h1 { font-size: 1.35rem; margin: 0 0 1rem; line-height: 1.3; }
p { margin: 0 0 1rem; }
.muted { color: var(--muted); font-size: .9rem; }
.error { color: var(--danger); border: 1px solid currentColor; border-radius: 8px; padding: .6rem .8rem; }
label { display: block; font-weight: 600; margin: 0 0 .25rem; }
input[type=text], input[type=password] { width: 100%; font: inherit; padding: .55rem .7rem; border: 1px solid var(--border); border-radius: 8px; margin: 0 0 1rem; background: transparent; color: inherit; }
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
`;

const styleHash = createHash('sha256').update(css).digest('base64');

export interface PageOptions {
  title: string;
  body: SafeHtml;
  /** Where forms on the page may lead, beyond this server (a client's redirect URI). */
  formTargets?: readonly string[];
}

/** The security headers of every page (RFC 9700 §4.16, §4.2; RFC 6749 §10.13). */
export function pageHeaders(formTargets: readonly string[] = []): Record<string, string> {
  const formAction = ["'self'", ...formTargets].join(' ');
  return {
    'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${styleHash}'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    'Content-Type': 'text/html; charset=utf-8',
  };
}

export function layout({ title, body }: PageOptions): string {
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
<main>
${body}
</main>
</body>
</html>
`.value;
}

/** A CSP source that lets a form's redirect reach `uri` (its origin, or its scheme for app URIs). */
export function cspSourceFor(uri: string): string {
  const url = new URL(uri);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol;
}
