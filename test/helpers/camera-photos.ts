// A folder of one camera's photos as "Your camera" reads it, made here (no shared data): noisy JPEGs
// at high ISO (cameraPair's simulated camera noise on a scene of soft shapes) and sharp low-ISO ones
// (the test card in colour), each carrying EXIF camera and ISO, plus photos without EXIF.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { cameraPair, colourPhoto } from './samples.js';

export interface CameraFolder {
  camera: { make: string; model: string };
  /** High-ISO noisy photos, ISO 3200 and 6400 alternately. */
  noisy: number;
  /** Sharp low-ISO (ISO 100) photos: what a run learns from. */
  clean: number;
  /** Photos without EXIF ("Unknown camera"). */
  withoutExif?: number;
  side?: number;
}

const exif = (camera: CameraFolder['camera'], iso: number) => ({
  IFD0: { Make: camera.make, Model: camera.model },
  IFD2: { ISOSpeedRatings: String(iso) },
});

/** Writes the photos into `dir` (made): noisy-NN.jpg, clean-NN.jpg, plain-NN.jpg. */
export async function writeCameraFolder(dir: string, spec: CameraFolder): Promise<string> {
  await mkdir(dir, { recursive: true });
  const side = spec.side ?? 256;
  const size = { width: side, height: side };
  const name = (kind: string, n: number): string => join(dir, `${kind}-${String(n).padStart(2, '0')}.jpg`);
  for (let n = 0; n < spec.noisy; n++) {
    const { noisy } = await cameraPair(n, size);
    await sharp(noisy)
      .withExif(exif(spec.camera, n % 2 ? 6400 : 3200))
      .jpeg({ quality: 92 })
      .toFile(name('noisy', n));
  }
  for (let n = 0; n < spec.clean; n++) {
    await (await colourPhoto(n, size)).jpeg({ quality: 95 }).withExif(exif(spec.camera, 100)).toFile(name('clean', n));
  }
  for (let n = 0; n < (spec.withoutExif ?? 0); n++)
    await writeFile(name('plain', n), (await cameraPair(100 + n, size)).noisy);
  return dir;
}
