// The two EXIF facts a noise profile groups photos by: the camera (Make + Model in IFD0) and the ISO
// (PhotographicSensitivity, 0x8827, in the Exif IFD). Read from the raw APP1 payload sharp's
// metadata() returns ("Exif\0\0" + a TIFF structure); anything missing or malformed reads as absent,
// since many photos (edited, exported, scanned) carry no EXIF at all. Pure.

export interface PhotoExif {
  /** "Canon EOS 80D": the model, prefixed with the make unless the model already names it. */
  camera?: string;
  iso?: number;
}

const TAG_MAKE = 0x010f;
const TAG_MODEL = 0x0110;
const TAG_EXIF_IFD = 0x8769;
const TAG_ISO = 0x8827;

interface Entry {
  tag: number;
  type: number;
  count: number;
  /** Offset of the value: inline in the entry when it fits in 4 bytes. */
  valueAt: number;
}

const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8 };

export function readPhotoExif(exif: Buffer | undefined): PhotoExif {
  try {
    return parse(exif);
  } catch {
    return {};
  }
}

function parse(exif: Buffer | undefined): PhotoExif {
  if (!exif || exif.length < 14) return {};
  const tiff = exif.subarray(exif.subarray(0, 4).toString('latin1') === 'Exif' ? 6 : 0);
  const order = tiff.subarray(0, 2).toString('latin1');
  if (order !== 'II' && order !== 'MM') return {};
  const little = order === 'II';
  const u16 = (o: number): number => (little ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number): number => (little ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  const entries = (ifd: number): Entry[] =>
    Array.from({ length: u16(ifd) }, (_, i) => {
      const at = ifd + 2 + i * 12;
      const type = u16(at + 2);
      const count = u32(at + 4);
      const inline = (TYPE_SIZE[type] ?? 1) * count <= 4;
      return { tag: u16(at), type, count, valueAt: inline ? at + 8 : u32(at + 8) };
    });
  const ascii = (e: Entry | undefined): string | undefined =>
    e?.type === 2
      ? tiff
          .subarray(e.valueAt, e.valueAt + e.count)
          .toString('latin1')
          .replace(/\0[\s\S]*$/, '')
          .trim() || undefined
      : undefined;
  const number = (e: Entry | undefined): number | undefined =>
    e?.type === 3 ? u16(e.valueAt) : e?.type === 4 ? u32(e.valueAt) : undefined;
  const ifd0 = entries(u32(4));
  const find = (list: Entry[], tag: number): Entry | undefined => list.find((e) => e.tag === tag);
  const make = ascii(find(ifd0, TAG_MAKE));
  const model = ascii(find(ifd0, TAG_MODEL));
  const exifIfd = find(ifd0, TAG_EXIF_IFD);
  const iso = exifIfd ? number(find(entries(u32(exifIfd.valueAt)), TAG_ISO)) : undefined;
  const camera =
    model && make && !model.toLowerCase().startsWith(make.split(' ')[0]!.toLowerCase())
      ? `${make.split(' ')[0]} ${model}`
      : model;
  return { ...(camera ? { camera } : {}), ...(iso ? { iso } : {}) };
}
