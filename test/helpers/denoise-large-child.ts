// Child process for the memory test: denoises one (huge) image file with a given model folder
// through the real denoiseFile path, then prints its peak RSS. Run with `node --import tsx`.
import { ModelCache } from '../../src-main/engine/jobs/model-cache.js';
import { denoiseFile } from '../../src-main/engine/jobs/denoise-file.js';
import { ModelRegistry } from '../../src-main/engine/models/registry.js';

const [image, shippedDir, outDir] = process.argv.slice(2) as [string, string, string];
const started = performance.now();
let tiles = 0;
const models = new ModelCache(new ModelRegistry({ shippedDir, userDir: `${shippedDir}/none` }));
const result = await denoiseFile(
  image,
  models,
  { strength: 1, outDir, pixelLimit: 150_000_000 },
  { onTiles: (done) => (tiles = done) },
);
await models.dispose();
console.log(
  JSON.stringify({
    ...result,
    tiles,
    seconds: (performance.now() - started) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
