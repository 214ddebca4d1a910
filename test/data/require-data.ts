// The data suite's global setup: every benchmark set its tests read must be beside the clone, in
// ../shared/data. A missing set stops the run before any test, naming the sets and where they come
// from, instead of each file failing (or skipping) on its own.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from '../helpers/images.js';
import { DATA_SETS } from './data-sets.js';

export default function setup(): void {
  const missing = DATA_SETS.filter(
    ({ folder }) => !existsSync(join(dataDir, folder)) || readdirSync(join(dataDir, folder)).length === 0,
  );
  if (missing.length === 0) return;
  throw new Error(
    `the data suite reads the public benchmark sets from ${dataDir}, and ${missing.map((s) => s.folder).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing.\n` +
      'Fetch them as .github/actions/shared-data does (pinned upstream commits):\n' +
      missing.map((s) => `  ${s.folder}: github.com/${s.repo} @ ${s.commit.slice(0, 12)}, ${s.path}`).join('\n'),
  );
}
