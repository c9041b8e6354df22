import type { UserSummary } from '../accounts/user.service';
import { appHref } from '../pages/app-href';
import { html, type SafeHtml } from '../pages/html';
import { userPath } from './user-paths';
import { utcTime } from './utc-time';

const levels = ['view', 'write', 'admin'] as const;

/** A user's site access in a few words: "3 sites: 1 view, 2 admin". */
export function accessSummary(user: UserSummary): string {
  if (user.superuser) return 'Every site (super user)';
  if (user.access.length === 0) return 'No site';
  const counts = levels
    .map((level) => ({ level, count: user.access.filter((row) => row.access === level).length }))
    .filter(({ count }) => count > 0)
    .map(({ level, count }) => `${count} ${level}`);
  const sites = user.access.length;
  return `${sites} site${sites === 1 ? '' : 's'}: ${counts.join(', ')}`;
}

/** The user list, by login. */
export function usersListPage(users: readonly UserSummary[]): SafeHtml {
  return html`
<div class="head"><h1>Users</h1><a class="button primary" href="${appHref('/admin/users/new')}">New user</a></div>
<div class="table-wrap">
<table>
  <thead><tr><th scope="col">Login</th><th scope="col">E-mail</th><th scope="col">Super user</th><th scope="col">Site access</th><th scope="col">Created</th></tr></thead>
  <tbody>
  ${users.map(
    (user) => html`<tr>
    <th scope="row"><a href="${appHref(userPath(user.login))}">${user.login}</a></th>
    <td>${user.email}</td>
    <td>${user.superuser ? html`<span class="badge">Super user</span>` : html`<span class="muted">No</span>`}</td>
    <td>${accessSummary(user)}</td>
    <td>${utcTime(user.createdAt)}</td>
  </tr>`,
  )}
  </tbody>
</table>
</div>`;
}
