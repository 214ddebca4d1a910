// A large noisy photo made here, for tests that need a camera-sized image without the shared data:
// a drawn scene (gradients, shapes, fine lines and text, so a denoiser has edges and texture to
// keep) with seeded Gaussian noise added, written with sharp.
import sharp from 'sharp';

export interface GeneratedPhoto {
  width: number;
  height: number;
  /** Noise σ on the 0..255 scale. */
  sigma: number;
  seed?: number;
}

function scene(width: number, height: number): string {
  const shapes: string[] = [];
  for (let i = 0; i < 24; i++) {
    const x = ((i * 37) % 24) / 24;
    const y = ((i * 11) % 12) / 12;
    const hue = (i * 47) % 360;
    shapes.push(
      `<circle cx="${x * width}" cy="${y * height}" r="${(0.03 + (i % 5) * 0.015) * width}" fill="hsl(${hue} 55% 55%)" fill-opacity="0.8"/>`,
    );
    shapes.push(
      `<rect x="${(1 - x) * width}" y="${(1 - y) * height}" width="${0.08 * width}" height="${0.05 * height}" fill="hsl(${(hue + 180) % 360} 40% 35%)"/>`,
    );
  }
  const lines: string[] = [];
  for (let i = 0; i < 60; i++)
    lines.push(
      `<line x1="${(i / 60) * width}" y1="${0.55 * height}" x2="${(i / 60) * width + 0.1 * width}" y2="${0.9 * height}" stroke="#eee" stroke-width="${1 + (i % 3)}"/>`,
    );
  const text = Array.from(
    { length: 6 },
    (_, i) =>
      `<text x="${0.05 * width}" y="${(0.1 + i * 0.07) * height}" font-family="sans-serif" font-size="${0.03 * height}" fill="#111">Clearframe test photo ${i + 1}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="sky" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#9ab8d8"/><stop offset="1" stop-color="#3b4a2c"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#sky)"/>${shapes.join('')}${lines.join('')}${text.join('')}</svg>`;
}

/** Writes the photo to `file` (PNG when it is named so, else JPEG at quality 92) and returns the file. A 12-MP one takes a few seconds. */
export async function writeGeneratedPhoto(
  file: string,
  { width, height, sigma, seed = 1 }: GeneratedPhoto,
): Promise<string> {
  const { data } = await sharp(Buffer.from(scene(width, height)))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  // A 32-bit LCG and Box–Muller, two samples per pair of draws: seeded, so every run sees the same noise.
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  for (let i = 0; i < data.length; i += 2) {
    const r = sigma * Math.sqrt(-2 * Math.log(uniform()));
    const a = 2 * Math.PI * uniform();
    data[i] = Math.max(0, Math.min(255, Math.round(data[i]! + r * Math.cos(a))));
    if (i + 1 < data.length) data[i + 1] = Math.max(0, Math.min(255, Math.round(data[i + 1]! + r * Math.sin(a))));
  }
  const image = sharp(data, { raw: { width, height, channels: 3 } });
  await (file.toLowerCase().endsWith('.png') ? image.png() : image.jpeg({ quality: 92 })).toFile(file);
  return file;
}
