/**
 * A minimal browser for tests: keeps cookies, never follows redirects (tests look at each
 * Location), and reads forms out of HTML pages.
 */
export function createAgent(baseUrl: string) {
  const cookies = new Map<string, string>();

  async function request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (cookies.size > 0)
      headers.set('Cookie', [...cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(new URL(path, baseUrl), { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
      if (expired || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    return response;
  }

  return {
    cookies,
    get: (path: string, headers?: Record<string, string>) => request(path, { headers }),
    postForm: (path: string, form: Record<string, string>, headers?: Record<string, string>) =>
      request(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(form).toString(),
      }),
  };
}

export type Agent = ReturnType<typeof createAgent>;

/** The hidden inputs and the action of the first form in `html` that has `selector` in it. */
export function readForm(html: string, containing = ''): { action: string; fields: Record<string, string> } {
  const forms = [...html.matchAll(/<form\b[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)];
  const form = forms.find((match) => (match[2] ?? '').includes(containing));
  if (!form) throw new Error(`No form containing ${containing}`);
  const fields: Record<string, string> = {};
  for (const input of (form[2] ?? '').matchAll(/<input\b[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1];
    if (name !== undefined) fields[name] = decodeEntities(value ?? '');
  }
  return { action: decodeEntities(form[1] ?? ''), fields };
}

/** Undoes the escaping of the pages' `html` template (text and attribute values). */
export function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The radio buttons (value, checked) of a consent page. */
export function scopeChoices(html: string): { value: string; checked: boolean }[] {
  return [...html.matchAll(/<input type="radio"[^>]*>/g)].map((match) => ({
    value: /value="([^"]*)"/.exec(match[0])?.[1] ?? '',
    checked: /\bchecked\b/.test(match[0]),
  }));
}
