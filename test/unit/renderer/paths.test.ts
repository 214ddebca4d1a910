// The renderer's one path split (it has no node:path): POSIX and Windows paths as the OS gives them.
import { describe, expect, it } from 'vitest';
import { parentFolder, splitPath } from '../../../src-renderer/lib/paths.js';

describe('splitPath', () => {
  it('splits at the last separator of either kind', () => {
    expect(splitPath('/home/ana/été 2026/plage.jpg')).toEqual({
      parent: '/home/ana/été 2026',
      separator: '/',
      name: 'plage.jpg',
    });
    expect(splitPath('C:\\Users\\ana\\IMG_0001.JPG')).toEqual({
      parent: 'C:\\Users\\ana',
      separator: '\\',
      name: 'IMG_0001.JPG',
    });
    expect(splitPath('\\\\nas\\photos/mixed\\a.png')).toEqual({
      parent: '\\\\nas\\photos/mixed',
      separator: '\\',
      name: 'a.png',
    });
    expect(splitPath('photo.jpg')).toEqual({ parent: '', separator: '/', name: 'photo.jpg' });
  });
});

describe('parentFolder', () => {
  it('answers the folder, roots included', () => {
    expect(parentFolder('/home/ana/plage.jpg')).toBe('/home/ana');
    expect(parentFolder('/photo.png')).toBe('/');
    expect(parentFolder('D:\\scan.tif')).toBe('D:\\');
    expect(parentFolder('D:\\scans\\scan.tif')).toBe('D:\\scans');
    expect(parentFolder('photo.jpg')).toBeUndefined();
  });
});
