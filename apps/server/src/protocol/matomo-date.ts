/** `YYYY-MM-DD HH:MM:SS` in UTC, as Matomo writes timestamps. */
export function matomoDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
