// Which image channels feed which network inputs. A 3-channel model runs on RGB as is. A grey model
// on a colour photo runs once per R, G and B plane — on RGB rather than on luma (YCbCr) on purpose:
// chroma noise (the blotchy colour speckle of high-ISO photos) lives in Cb/Cr and would survive a
// luma-only pass. A colour model on a grey image sees the grey plane three times; its three outputs
// are averaged back into one.

export interface ChannelGroup {
  /** Image channel for each network input channel. */
  sources: number[];
  /** Image channel for each network output channel; 'mean' folds all outputs into sources[0]. */
  targets: number[] | 'mean';
}

export function planChannelGroups(modelChannels: 1 | 3, imageColourChannels: number): ChannelGroup[] {
  if (modelChannels === imageColourChannels) {
    const all = Array.from({ length: modelChannels }, (_, i) => i);
    return [{ sources: all, targets: all }];
  }
  if (modelChannels === 1)
    return Array.from({ length: imageColourChannels }, (_, i) => ({ sources: [i], targets: [i] }));
  if (imageColourChannels === 1) return [{ sources: [0, 0, 0], targets: 'mean' }];
  throw new Error(
    `A ${modelChannels}-channel model cannot process an image with ${imageColourChannels} colour channels`,
  );
}
