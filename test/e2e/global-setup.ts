// Builds the app once before the E2E run when dist/ is missing or older than the sources
// (`npm run test:e2e` has usually just built it, then this is a cheap mtime check), and makes the
// test photos the specs open (test/helpers/samples.ts) once per checkout.
import { buildIfStale } from '../../scripts/build-if-stale.mjs';
import { writeSampleFolders } from '../helpers/samples.js';

export default async function globalSetup(): Promise<void> {
  buildIfStale();
  await writeSampleFolders();
}
