import { describe, expect, it } from 'vitest';
import { fieldError } from '../../../src-renderer/lib/validate.js';
import { Settings } from '../../../src-shared/schemas/settings.js';

// The contract's own field schemas, as the forms use them: messages must be sentences for people.
describe('fieldError', () => {
  it('accepts valid values', () => {
    expect(fieldError(Settings.shape.jpegQuality, 90)).toBeNull();
    expect(fieldError(Settings.shape.outputFolderPattern, 'denoised')).toBeNull();
  });

  it('says what range a number must be in', () => {
    expect(fieldError(Settings.shape.jpegQuality, 20)).toBe('Use at least 50.');
    expect(fieldError(Settings.shape.jpegQuality, 101)).toBe('Use at most 100.');
    expect(fieldError(Settings.shape.tileSize, Number.NaN)).toBe('Enter a number.');
  });

  it('calls an empty required text field required, and names a length limit', () => {
    expect(fieldError(Settings.shape.outputFolderPattern, '')).toBe('Required.');
    expect(fieldError(Settings.shape.outputFolderPattern, 'x'.repeat(300))).toBe('Use at most 256 characters.');
  });

  it('asks to choose among the options of an enum', () => {
    expect(fieldError(Settings.shape.theme, 'sepia')).toBe('Choose one of the options.');
  });
});
