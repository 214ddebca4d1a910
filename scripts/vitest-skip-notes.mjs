// A vitest reporter that writes, per test file, the tests that were skipped and the reason each
// gave (`ctx.skip(reason)`; none for `it.skip`), to the JSON file named by CLEARFRAME_SKIP_NOTES:
// vitest's own JSON report keeps no skip reasons, and scripts/test.mjs prints them in its summary.
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';

export default class SkipNotes {
  onTestRunEnd(testModules) {
    const out = process.env.CLEARFRAME_SKIP_NOTES;
    if (!out) return;
    const files = {};
    for (const module of testModules) {
      const skipped = [];
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === 'skipped')
          skipped.push({ name: test.fullName, ...(result.note ? { note: result.note } : {}) });
      }
      if (skipped.length > 0) files[relative(process.cwd(), module.moduleId).replaceAll('\\', '/')] = skipped;
    }
    writeFileSync(out, `${JSON.stringify(files, null, 2)}\n`);
  }
}
