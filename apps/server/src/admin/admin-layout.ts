import { appHref } from '../pages/app-href';
import { html, type SafeHtml } from '../pages/html';
import { layout } from '../pages/layout';

export type AdminSection = 'clients' | 'users' | 'sites' | 'audit';

const sections: { id: AdminSection; label: string; href: string }[] = [
  { id: 'clients', label: 'Applications', href: '/admin/clients' },
  { id: 'users', label: 'Users', href: '/admin/users' },
  { id: 'sites', label: 'Websites', href: '/admin/sites' },
  { id: 'audit', label: 'Audit log', href: '/admin/audit' },
];

export interface AdminPageModel {
  title: string;
  section: AdminSection;
  /** The signed-in super user. */
  login: string;
  csrfToken: string;
  body: SafeHtml;
  /** A one-line confirmation of what was just done ("Client paused."). */
  notice?: string | undefined;
}

/** Every admin page: the navigation between sections, who is signed in, sign out. */
export function adminPage(model: AdminPageModel): string {
  const body = html`
<nav class="admin" aria-label="Administration">
  <strong>Matomo OAuth 2.0</strong>
  ${sections.map(
    (section) =>
      html`<a href="${appHref(section.href)}"${section.id === model.section ? html` aria-current="page"` : ''}>${section.label}</a>`,
  )}
  <span class="who"><span class="muted">${model.login}</span>
    <form method="post" action="${appHref('/logout')}"><input type="hidden" name="csrf_token" value="${model.csrfToken}"><button type="submit" class="link">Sign out</button></form>
  </span>
</nav>
${model.notice ? html`<p class="notice" role="status">${model.notice}</p>` : ''}
${model.body}`;
  return layout({ title: `${model.title} · Admin`, body, wide: true });
}
