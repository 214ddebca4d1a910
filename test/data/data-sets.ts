// The public benchmark sets the data suite (`npm run test:data`) reads from ../shared/data, with
// where each comes from: the same list as .github/actions/shared-data and the README (a unit test,
// test/unit/data-sets.test.ts, keeps the three in step). None of them is ever copied into the repo.
export interface DataSet {
  folder: string;
  repo: string;
  commit: string;
  /** Path of the files in the upstream repository. */
  path: string;
}

export const DATA_SETS: readonly DataSet[] = [
  { folder: 'set12', repo: 'cszn/DnCNN', commit: 'e93b27812d3ff523a3a79d19e5e50d233d7a8d0a', path: 'testsets/Set12' },
  { folder: 'bsd68', repo: 'cszn/DnCNN', commit: 'e93b27812d3ff523a3a79d19e5e50d233d7a8d0a', path: 'testsets/BSD68' },
  {
    folder: 'train400',
    repo: 'cszn/DnCNN',
    commit: 'e93b27812d3ff523a3a79d19e5e50d233d7a8d0a',
    path: 'TrainingCodes/DnCNN_TrainingCodes_v1.0/data/Train400',
  },
  {
    folder: 'cbsd68',
    repo: 'cszn/FFDNet',
    commit: 'e787f46df2f374ff3591186706229cb9a0591fea',
    path: 'testsets/CBSD68',
  },
  {
    folder: 'bsds-color-train',
    repo: 'BIDS/BSDS500',
    commit: 'a04b7c6c3a9f0ace74bf205c72a43d32e1c72722',
    path: 'BSDS500/data/images/{train,test}',
  },
  {
    folder: 'polyu-dev',
    repo: 'csjunxu/PolyU-Real-World-Noisy-Images-Dataset',
    commit: '488d733181fb71ce8ef58c1869f70aa21b33d535',
    path: 'CroppedImages/{Canon5D2,Canon600D}_*_{real,mean}.JPG',
  },
];
