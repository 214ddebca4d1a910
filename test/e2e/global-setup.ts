// Builds the app once before the E2E run when dist/ is missing or older than the sources
// (`npm run test:e2e` has usually just built it, then this is a cheap mtime check).
import { buildIfStale } from '../../scripts/build-if-stale.mjs';

export default function globalSetup(): void {
  buildIfStale();
}
