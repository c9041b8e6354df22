// Regression: in dark mode the primary buttons of the sign-in and consent pages were white on the
// light accent (#8ea6f0), about 2.4:1; WCAG 2.1 AA (1.4.3) asks for 4.5:1. This reads the page's own
// style sheet, applies it in source order for each colour scheme, and computes the ratio.
import { describe, expect, test } from 'vitest';
import { consentPage } from './consent.page';
import { loginPage } from './login.page';

const styleOf = (page: string) => /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? '';

/** The style rules in source order, each with the media condition around it (if any). */
function rulesOf(css: string): { media?: string; selectors: string[]; declarations: Map<string, string> }[] {
  const rules: ReturnType<typeof rulesOf> = [];
  const block = /@media\s*([^{]+)\{((?:[^{}]*\{[^}]*\})*)\s*\}|([^{}@]+)\{([^}]*)\}/g;
  const add = (selectors: string, body: string, media?: string) => {
    const declarations = new Map<string, string>();
    for (const declaration of body.split(';')) {
      const colon = declaration.indexOf(':');
      if (colon > 0)
        declarations.set(declaration.slice(0, colon).trim(), declaration.slice(colon + 1).trim());
    }
    rules.push({ media, selectors: selectors.split(',').map((s) => s.trim()), declarations });
  };
  for (const [, media, inner, selectors, body] of css.matchAll(block)) {
    if (media !== undefined && inner !== undefined) {
      for (const [, nested, nestedBody] of inner.matchAll(/([^{}]+)\{([^}]*)\}/g))
        add(nested as string, nestedBody as string, media.trim());
    } else add(selectors as string, body as string);
  }
  return rules;
}

/** The value of `property` for `selector` in a colour scheme, custom properties resolved (same specificity assumed). */
function computed(css: string, selector: string, property: string, scheme: 'light' | 'dark'): string {
  const applies = (media?: string) =>
    media === undefined ||
    (media.includes(`prefers-color-scheme: ${scheme}`) && !media.includes('max-width'));
  const rules = rulesOf(css).filter((rule) => applies(rule.media));
  const valueFor = (sel: string, prop: string) => {
    let value: string | undefined;
    for (const rule of rules)
      if (rule.selectors.includes(sel) && rule.declarations.has(prop)) value = rule.declarations.get(prop);
    return value;
  };
  const value = valueFor(selector, property) ?? '';
  return value.replace(/var\((--[\w-]+)\)/g, (_, name: string) => valueFor(':root', name) ?? '');
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

const contrast = (a: string, b: string) => {
  const [dark, light] = [luminance(a), luminance(b)].sort((x, y) => x - y) as [number, number];
  return (light + 0.05) / (dark + 0.05);
};
const expand = (color: string) =>
  /^#[0-9a-f]{3}$/i.test(color) ? `#${[...color.slice(1)].map((c) => c + c).join('')}` : color;

describe('the primary buttons reach 4.5:1 (WCAG 2.1 AA) in both colour schemes', () => {
  const pages = {
    'sign-in': loginPage({ csrfToken: 't', returnTo: undefined }),
    consent: consentPage({
      clientName: 'App',
      clientId: 'app',
      redirectHost: 'app.example',
      user: { login: 'demo', email: 'demo@example.org' },
      offered: ['matomo:read'],
      identityScopes: [],
      csrfToken: 't',
      action: '/oauth2/authorize',
    }),
  };
  test.each(
    Object.keys(pages).flatMap((page) =>
      (['light', 'dark'] as const).flatMap((scheme) =>
        ['button.primary', 'a.button.primary'].map((selector) => [page, scheme, selector] as const),
      ),
    ),
  )('%s page, %s, %s', (page, scheme, selector) => {
    const css = styleOf(pages[page as keyof typeof pages]);
    expect(pages[page as keyof typeof pages]).toContain('class="primary"');
    const text = expand(computed(css, selector, 'color', scheme));
    const background = expand(computed(css, selector, 'background', scheme));
    expect(text).toMatch(/^#[0-9a-f]{6}$/i);
    expect(background).toMatch(/^#[0-9a-f]{6}$/i);
    expect(contrast(text, background)).toBeGreaterThanOrEqual(4.5);
  });

  test('the check itself: white on the dark accent fails', () => {
    expect(contrast('#ffffff', '#8ea6f0')).toBeLessThan(4.5);
    expect(contrast('#ffffff', '#3450a3')).toBeGreaterThanOrEqual(4.5);
  });
});
