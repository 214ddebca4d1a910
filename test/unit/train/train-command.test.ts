// The command a card records: the first start, then each different resume, in order.
import { describe, expect, it } from 'vitest';
import { withResume } from '../../../src-main/cli/train.js';

describe('withResume', () => {
  const start = 'clearframe train --data d --out r';
  const resume = 'clearframe train --resume r --epochs 50';

  it('keeps a fresh run’s own command', () => {
    expect(withResume(undefined, start)).toBe(start);
  });

  it('appends a resume with other flags once, however often it is repeated', () => {
    const once = withResume(start, resume);
    expect(once).toBe(`${start}; resumed: ${resume}`);
    expect(withResume(once, resume)).toBe(once);
    expect(withResume(once, 'clearframe train --resume r')).toBe(`${once}; resumed: clearframe train --resume r`);
  });
});
