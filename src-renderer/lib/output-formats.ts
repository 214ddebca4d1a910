// The output-format choices as the forms show them: the list is the shared schema's (so a format
// the engine writes cannot be missing from a form), the labels are the renderer's.
import { OutputFormatChoice } from '../../src-shared/schemas/denoise.js';

export const OUTPUT_FORMAT_CHOICES = OutputFormatChoice.options;

export const OUTPUT_FORMAT_LABELS: Record<OutputFormatChoice, string> = {
  same: 'Same as original',
  jpeg: 'JPEG',
  png: 'PNG',
  tiff: 'TIFF',
  webp: 'WebP',
  avif: 'AVIF',
};
