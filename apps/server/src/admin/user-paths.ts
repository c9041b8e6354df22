/** A user's admin page (or one of its actions): the login is encoded, it may hold `@`, `+` or `.`. */
export function userPath(
  login: string,
  action?: 'email' | 'access' | 'superuser' | 'password' | 'delete',
): string {
  return `/admin/users/${encodeURIComponent(login)}${action ? `/${action}` : ''}`;
}
