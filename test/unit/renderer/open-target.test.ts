import { describe, expect, it } from 'vitest';
import { dropTarget } from '../../../src-renderer/lib/open-target.js';

describe('dropTarget', () => {
  it('opens a dropped folder as itself', () => {
    expect(dropTarget('/home/ana/Pictures', '')).toEqual({ folder: '/home/ana/Pictures' });
    expect(dropTarget('C:\\Users\\ana\\Pictures', '')).toEqual({ folder: 'C:\\Users\\ana\\Pictures' });
  });

  it("opens a dropped photo's folder with the photo selected, POSIX and Windows", () => {
    expect(dropTarget('/home/ana/Pictures/été 2026/plage.jpg', 'image/jpeg')).toEqual({
      folder: '/home/ana/Pictures/été 2026',
      select: '/home/ana/Pictures/été 2026/plage.jpg',
    });
    expect(dropTarget('C:\\Users\\ana\\IMG_0001.JPG', 'image/jpeg')).toEqual({
      folder: 'C:\\Users\\ana',
      select: 'C:\\Users\\ana\\IMG_0001.JPG',
    });
    expect(dropTarget('/photo.png', 'image/png')).toEqual({ folder: '/', select: '/photo.png' });
    expect(dropTarget('D:\\scan.tif', 'image/tiff')).toEqual({ folder: 'D:\\', select: 'D:\\scan.tif' });
  });
});
