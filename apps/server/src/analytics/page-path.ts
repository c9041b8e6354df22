/**
 * How a page path sits in Matomo's page URL tree: `/blog/2026/post` is the page `/post` in the
 * folder `2026` of the folder `blog`; `/blog/` is the folder's own page, `/index`; `/` is the
 * top-level `/index`. Folders are stored as their path with a trailing slash (`/blog/2026/`).
 */

/** The folders above a page, outermost first: `/blog/2026/post` → `/blog/`, `/blog/2026/`. */
export function folderPaths(pagePath: string): string[] {
  const segments = pathOf(pagePath).split('/').slice(1, -1);
  return segments.map((_, index) => `/${segments.slice(0, index + 1).join('/')}/`);
}

/** The folder that holds a page (`/blog/` holds both `/blog/post` and `/blog/`), or undefined at the top level. */
export function pageFolder(pagePath: string): string | undefined {
  const folders = folderPaths(pagePath);
  return folders[folders.length - 1];
}

/** The folder that holds a folder, or undefined at the top level. */
export function folderParent(folderPath: string): string | undefined {
  const folders = folderPaths(folderPath);
  // A folder's own path lists the folder itself last.
  return folders[folders.length - 2];
}

/** A page's row label: `/post`, or `/index` for a folder's own page and the home page. */
export function pageLabel(pagePath: string): string {
  const path = pathOf(pagePath);
  const last = path.slice(path.lastIndexOf('/') + 1);
  const query = pagePath.slice(path.length);
  return `/${last === '' ? 'index' : last}${query}`;
}

/** A folder's row label: its own name (`2026` for `/blog/2026/`). */
export function folderLabel(folderPath: string): string {
  const segments = folderPath.split('/').filter((segment) => segment !== '');
  return segments[segments.length - 1] ?? '';
}

function pathOf(pagePath: string): string {
  const query = pagePath.indexOf('?');
  return query === -1 ? pagePath : pagePath.slice(0, query);
}
