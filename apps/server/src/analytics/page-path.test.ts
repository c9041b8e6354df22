import { describe, expect, test } from 'vitest';
import { folderLabel, folderParent, folderPaths, pageFolder, pageLabel } from './page-path';

describe('page paths in the page URL tree', () => {
  test.each([
    ['/', [], undefined, '/index'],
    ['/pricing', [], undefined, '/pricing'],
    ['/blog/', ['/blog/'], '/blog/', '/index'],
    ['/blog/2026/post-a', ['/blog/', '/blog/2026/'], '/blog/2026/', '/post-a'],
    ['/docs/api/', ['/docs/', '/docs/api/'], '/docs/api/', '/index'],
    ['/search?q=a/b', [], undefined, '/search?q=a/b'],
  ])('%s', (path, folders, folder, label) => {
    expect(folderPaths(path)).toEqual(folders);
    expect(pageFolder(path)).toBe(folder);
    expect(pageLabel(path)).toBe(label);
  });

  test('folders', () => {
    expect(folderParent('/blog/')).toBeUndefined();
    expect(folderParent('/blog/2026/')).toBe('/blog/');
    expect(folderLabel('/blog/2026/')).toBe('2026');
    expect(folderLabel('/blog/')).toBe('blog');
  });
});
