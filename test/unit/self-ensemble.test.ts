// Self-ensemble (quality "max"): the 8 transforms are exact inverses, an orientation-blind network is
// unchanged by the ensemble, and one that is not gets the mean of its 8 answers.
import { describe, expect, it } from 'vitest';
import {
  DIHEDRALS,
  ensembleRun,
  inverseTransformTile,
  transformTile,
  type HwcTile,
} from '../../src-main/engine/infer/self-ensemble.js';

const tile: HwcTile = { height: 3, width: 5, channels: 2, data: Float32Array.from({ length: 30 }, (_, i) => i) };

describe('self-ensemble', () => {
  it('turns a non-square tile 8 distinct ways and back exactly', () => {
    const seen = new Set<string>();
    for (const t of DIHEDRALS) {
      const turned = transformTile(tile, t);
      expect(turned.height * turned.width).toBe(15);
      seen.add(Array.from(turned.data).join());
      const back = inverseTransformTile(turned, t);
      expect([back.height, back.width]).toEqual([3, 5]);
      expect(back.data).toEqual(tile.data);
    }
    expect(seen.size).toBe(8);
  });

  it('leaves a per-pixel network unchanged and averages one that sees orientation', async () => {
    const doubled = await ensembleRun(tile, async (t) => ({ ...t, data: t.data.map((v) => 2 * v) }));
    expect(doubled.data).toEqual(tile.data.map((v) => 2 * v));
    // Adds the row index: each orientation adds a different ramp, the mean is the average ramp.
    const rowRamp = await ensembleRun(tile, async (t) => ({
      ...t,
      data: t.data.map((v, i) => v + Math.floor(i / t.channels / t.width)),
    }));
    const excess = Array.from(rowRamp.data, (v, i) => v - tile.data[i]!);
    // Row index in the transformed tile runs over rows (0–2) or columns (0–4) forwards or backwards:
    // its mean over the 8 is (4 × 1 + 4 × 2) / 8 = 1.5 at every pixel.
    excess.forEach((e) => expect(e).toBeCloseTo(1.5, 5));
  });
});
