import { describe, expect, it } from 'vitest';
import { candidateProviders } from '../../src-main/engine/infer/runtime.js';

describe('candidateProviders', () => {
  it('tries DirectML on Windows, CUDA only where its provider library is installed, CPU last', () => {
    expect(candidateProviders('win32', ['cpu', 'dml', 'cuda'], true)).toEqual(['dml', 'cuda', 'cpu']);
    expect(candidateProviders('linux', ['cpu', 'cuda'], true)).toEqual(['cuda', 'cpu']);
    expect(candidateProviders('linux', ['cpu', 'cuda'], false)).toEqual(['cpu']);
    expect(candidateProviders('darwin', ['cpu', 'coreml'], true)).toEqual(['cpu']);
  });
});
