/**
 * A minimal browser for the sign-in flow: keeps its cookies, never follows redirects (each step
 * reads its Location), reads the hidden fields of a form.
 */
export function createBrowser(baseUrl: string) {
  const cookies = new Map<string, string>();

  async function request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (cookies.size > 0)
      headers.set('cookie', [...cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(new URL(path, baseUrl), {
      ...init,
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    });
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';', 1)[0] ?? '';
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (value === '' || /;\s*max-age=0\s*(;|$)/i.test(line)) cookies.delete(name);
      else cookies.set(name, value);
    }
    return response;
  }

  return {
    get: (path: string) => request(path),
    postForm: (path: string, form: Record<string, string>) =>
      request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      }),
  };
}

const entities: Record<string, string> = {
  '&quot;': '"',
  '&#39;': "'",
  '&lt;': '<',
  '&gt;': '>',
  '&amp;': '&',
};
const decode = (text: string) =>
  text.replace(/&(?:quot|#39|lt|gt|amp);/g, (entity) => entities[entity] ?? entity);

/** The action and hidden fields of the first form of `html` that has `containing` in it. */
export function readForm(
  html: string,
  containing: string,
): { action: string; fields: Record<string, string> } {
  const forms = [...html.matchAll(/<form\b[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)];
  const form = forms.find((match) => (match[2] ?? '').includes(containing));
  if (!form) throw new Error(`no form with ${containing} in the page`);
  const fields: Record<string, string> = {};
  for (const input of (form[2] ?? '').matchAll(/<input\b[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    if (name !== undefined) fields[name] = decode(/value="([^"]*)"/.exec(input[0])?.[1] ?? '');
  }
  return { action: decode(form[1] ?? ''), fields };
}

/** The value of the checked radio button named `name`, if any. */
export function checkedRadio(html: string, name: string): string | undefined {
  for (const input of html.matchAll(/<input\b[^>]*type="radio"[^>]*>/g)) {
    if (input[0].includes(`name="${name}"`) && /\bchecked\b/.test(input[0]))
      return decode(/value="([^"]*)"/.exec(input[0])?.[1] ?? '');
  }
  return undefined;
}
