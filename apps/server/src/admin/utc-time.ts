import { html, type SafeHtml } from '../pages/html';

/** A time in ISO 8601, UTC, to the second: `2026-11-29T09:30:00Z`. */
export function isoUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** A time as the admin pages show it: ISO 8601 in UTC, machine-readable too. */
export function utcTime(ms: number): SafeHtml {
  const iso = isoUtc(ms);
  return html`<time datetime="${iso}">${iso}</time>`;
}
