// A model card's command names no folder of the training machine: the run's folders become <data>,
// <val> and <run>, a starting model keeps its folder name, the home folder becomes ~ (issue 23).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { portableCommand } from '../../../src-main/engine/train/portable-command.js';

const home = '/home/ana';
const places = {
  data: '/work/shared/data/train400',
  val: '/home/ana/val',
  init: '/home/ana/models/clearframe-grey',
  out: '/home/ana/runs/grey',
};

describe('portableCommand', () => {
  it("replaces the run's folders, the starting model and the home folder", () => {
    const command =
      'clearframe train --data /work/shared/data/train400 --val /home/ana/val --init /home/ana/models/clearframe-grey --out /home/ana/runs/grey; resumed: clearframe train --resume /home/ana/runs/grey/ --epochs 20 --eval /home/ana/other';
    expect(portableCommand(command, places, home)).toBe(
      'clearframe train --data <data> --val <val> --init …/clearframe-grey --out <run>; resumed: clearframe train --resume <run>/ --epochs 20 --eval ~/other',
    );
  });

  it('replaces whole folder names only, and keeps paths inside a folder', () => {
    const command =
      'clearframe train --data=/work/shared/data/train400/birds --val /work/shared/data/train4000 --out /home/ana/runs/grey';
    expect(portableCommand(command, places, home)).toBe(
      'clearframe train --data=<data>/birds --val /work/shared/data/train4000 --out <run>',
    );
  });

  it("replaces train:start's JSON-escaped Windows paths", () => {
    const win = { data: 'C:\\Users\\Ana\\Photos\\set', out: 'C:\\Users\\Ana\\runs\\a' };
    const command = `train:start ${JSON.stringify({ data: win.data, out: win.out, note: 'C:\\Users\\Ana\\x' })}`;
    expect(portableCommand(command, win, 'C:\\Users\\Ana')).toBe(
      'train:start {"data":"<data>","out":"<run>","note":"~\\\\x"}',
    );
  });

  it('leaves a command without those folders as it is', () => {
    const command = 'clearframe train --data photos --out run';
    expect(
      portableCommand(command, { data: path.resolve('photos'), out: path.resolve('run') }, '/nonexistent-home'),
    ).toBe(command);
  });
});
