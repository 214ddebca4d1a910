// Reads back what an output's EXIF block holds, without trusting the writer: IFD0's tag ids and
// ASCII values, and the tag ids of the GPS IFD it points to. sharp's metadata().exif is the raw
// APP1 payload ("Exif\0\0" + a TIFF structure).

export interface ExifSummary {
  ifd0: Map<number, string | undefined>;
  gpsTags: number[];
}

export const TAG_ARTIST = 0x013b;
export const TAG_GPS_IFD = 0x8825;

export function readExif(exif: Buffer | undefined): ExifSummary {
  const ifd0 = new Map<number, string | undefined>();
  if (!exif || exif.length < 14) return { ifd0, gpsTags: [] };
  const tiff = exif.subarray(exif.subarray(0, 4).toString('latin1') === 'Exif' ? 6 : 0);
  const little = tiff.subarray(0, 2).toString('latin1') === 'II';
  const u16 = (o: number): number => (little ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number): number => (little ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  const entries = (ifd: number): Array<{ tag: number; type: number; count: number; valueAt: number }> => {
    const n = u16(ifd);
    return Array.from({ length: n }, (_, i) => {
      const at = ifd + 2 + i * 12;
      const type = u16(at + 2);
      const count = u32(at + 4);
      const inline = type === 2 ? count <= 4 : true;
      return { tag: u16(at), type, count, valueAt: inline ? at + 8 : u32(at + 8) };
    });
  };
  let gpsTags: number[] = [];
  for (const entry of entries(u32(4))) {
    const ascii =
      entry.type === 2
        ? tiff
            .subarray(entry.valueAt, entry.valueAt + entry.count)
            .toString('latin1')
            .replace(/\0+$/, '')
        : undefined;
    ifd0.set(entry.tag, ascii);
    if (entry.tag === TAG_GPS_IFD) gpsTags = entries(u32(entry.valueAt)).map((e) => e.tag);
  }
  return { ifd0, gpsTags };
}
