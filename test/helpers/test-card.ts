// The test card: an image of our own, rendered from SVG, so it may be committed and tests may use it
// (unlike the benchmark photos, which may not be redistributed). bench/panels.ts shows the shipped
// models on it in the README; test/helpers/samples.ts renders it at other sizes as test photos.
// Byte-identical from run to run for a given sharp/librsvg and set of fonts.

// 288×192: three panels side by side (872 px) show about 1:1 in a README, and noise does not
// compress, so a larger card would push the colour panel's PNG past half a megabyte.
export const CARD_WIDTH = 288;
export const CARD_HEIGHT = 192;
const INK = '#111';

/** ColorChecker-like patches: varied hues whose luminances also differ, so the grey card keeps them apart. */
const PATCHES = [
  '#735244',
  '#c29682',
  '#627a9d',
  '#576c43',
  '#8580b1',
  '#67bdaa',
  '#d67e2c',
  '#505ba6',
  '#c15a63',
  '#5e3c6c',
  '#9dbc40',
  '#e0a32e',
];

/** A pattern of 1 px lines every `period` px at `angle`° from upright, filling one rectangle. */
function grating(
  id: string,
  period: number,
  angle: number,
  x: number,
  y: number,
  width: number,
  height: number,
): string {
  return (
    `<pattern id="${id}" width="${period}" height="${period}" patternUnits="userSpaceOnUse" patternTransform="rotate(${angle})"><rect width="1" height="${period}" fill="${INK}"/></pattern>` +
    `<rect x="${x}" y="${y}" width="${width}" height="${height}" fill="url(#${id})"/>`
  );
}

/** A checkerboard of `cell` px squares filling one rectangle. */
function checker(id: string, cell: number, x: number, y: number, width: number, height: number): string {
  return (
    `<pattern id="${id}" width="${2 * cell}" height="${2 * cell}" patternUnits="userSpaceOnUse"><rect width="${cell}" height="${cell}" fill="${INK}"/><rect x="${cell}" y="${cell}" width="${cell}" height="${cell}" fill="${INK}"/></pattern>` +
    `<rect x="${x}" y="${y}" width="${width}" height="${height}" fill="url(#${id})"/>`
  );
}

/** A Siemens star: `spokes` black wedges on white, resolution falling towards the centre. */
function siemensStar(cx: number, cy: number, r: number, spokes: number): string {
  const point = (a: number): string => `${(cx + r * Math.cos(a)).toFixed(2)},${(cy + r * Math.sin(a)).toFixed(2)}`;
  const wedges = Array.from({ length: spokes }, (_, i) => {
    const a = (2 * Math.PI * i) / spokes;
    return `<polygon points="${cx},${cy} ${point(a)} ${point(a + Math.PI / spokes)}"/>`;
  });
  return `<circle cx="${cx}" cy="${cy}" r="${r}" fill="#fff"/><g fill="${INK}">${wedges.join('')}</g>`;
}

/**
 * The test card: text at 20/12/9/7 px on a smooth two-colour gradient; 1 px line gratings of period
 * 2–8 px upright, horizontal and at 30°/45°/−60°, and 1 px / 2 px checkers; a hue gradient fading
 * to white above and black below; twelve colour patches; a grey ramp; discs at contrasts from
 * 2.5 % to 100 % above and below a mid-grey; a Siemens star; overlapping translucent colour discs
 * and a thin slanted line. Drawn at `width`×`height` px (stretched where their ratio is not 3:2).
 */
export function testCardSvg(width = CARD_WIDTH, height = CARD_HEIGHT): string {
  const upright = [2, 3, 4, 6, 8].map((period, i) => grating(`v${period}`, period, 0, 144 + i * 28.8, 0, 28.8, 36));
  const slanted = [
    { period: 3, angle: 90 },
    { period: 4, angle: 45 },
    { period: 5, angle: 30 },
    { period: 6, angle: -60 },
  ].map(({ period, angle }, i) => grating(`s${i}`, period, angle, 144 + i * 24, 36, 24, 36));
  const checkers = [1, 2].map((cell, i) => checker(`c${cell}`, cell, 240 + i * 24, 36, 24, 36));
  const patches = PATCHES.map((colour, i) => `<rect x="${i * 24}" y="94" width="24" height="26" fill="${colour}"/>`);
  // Disc fills above and below the 128 background: contrasts 2.5, 6, 12.5, 25, 50 and 100 %.
  const grey = (v: number): string => `rgb(${v},${v},${v})`;
  const discs = [3, 8, 16, 32, 64, 127].map((step, i) => {
    const x = 13 + i * 23.6;
    return `<circle cx="${x}" cy="144" r="10" fill="${grey(128 + step)}"/><circle cx="${x}" cy="176" r="7" fill="${grey(128 - step)}"/>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${CARD_WIDTH} ${CARD_HEIGHT}" preserveAspectRatio="none">
<defs>
<linearGradient id="paper" x1="0" x2="1" y1="0" y2="1"><stop offset="0" stop-color="#f6e7cf"/><stop offset="1" stop-color="#cfe0f2"/></linearGradient>
<linearGradient id="hue" x1="0" x2="1"><stop offset="0" stop-color="#f00"/><stop offset="0.17" stop-color="#ff0"/><stop offset="0.33" stop-color="#0f0"/><stop offset="0.5" stop-color="#0ff"/><stop offset="0.67" stop-color="#00f"/><stop offset="0.83" stop-color="#f0f"/><stop offset="1" stop-color="#f00"/></linearGradient>
<linearGradient id="shade" x1="0" x2="0" y1="0" y2="1"><stop offset="0" stop-color="#fff" stop-opacity="0.85"/><stop offset="0.5" stop-color="#fff" stop-opacity="0"/><stop offset="0.5" stop-color="#000" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity="0.85"/></linearGradient>
<linearGradient id="ramp" x1="0" x2="1"><stop offset="0" stop-color="#303030"/><stop offset="1" stop-color="#e0e0e0"/></linearGradient>
</defs>
<rect width="${CARD_WIDTH}" height="${CARD_HEIGHT}" fill="${grey(128)}"/>
<rect width="144" height="72" fill="url(#paper)"/>
<g font-family="sans-serif" fill="#1a1a2a">
<text x="6" y="22" font-size="20" font-weight="bold">Clearframe</text>
<text x="6" y="38" font-size="12">Edges &amp; text 0123</text>
<text x="6" y="50" font-size="9">The quick brown fox jumps</text>
<text x="6" y="60" font-size="7">SPHINX OF BLACK QUARTZ 123</text>
<text x="6" y="69" font-size="7" fill="#8a6a4a">low-contrast 7 px text</text>
</g>
<rect x="144" width="144" height="72" fill="#f2f2f2"/>
${[...upright, ...slanted, ...checkers].join('\n')}
<rect y="72" width="${CARD_WIDTH}" height="22" fill="url(#hue)"/>
<rect y="72" width="${CARD_WIDTH}" height="22" fill="url(#shade)"/>
${patches.join('')}
<rect y="120" width="144" height="6" fill="url(#ramp)"/>
${discs.join('')}
<rect x="144" y="120" width="72" height="72" fill="#dcdcdc"/>
${siemensStar(180, 156, 33, 24)}
<rect x="216" y="120" width="72" height="72" fill="#f4f4f4"/>
<g fill-opacity="0.7"><circle cx="239" cy="146" r="16" fill="#e0202a"/><circle cx="263" cy="146" r="16" fill="#20a040"/><circle cx="251" cy="165" r="16" fill="#2040e0"/></g>
<path d="M220 188 L284 177" stroke="#000" stroke-width="1"/>
</svg>`;
}
