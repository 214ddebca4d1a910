// Time left for a run that reports tiles done: measured from the first tile on, so the start-up
// (decoding a 12-MP photo, measuring its noise) does not inflate it the way a rate since the start
// would ("about 19 min left" for a 4-minute run).
export interface TileMark {
  /** When the tile count was last seen at `done` for the first time (ms). */
  at: number;
  done: number;
}

/** Seconds left, or undefined until two tile counts a tile apart have been seen. */
export function tileEtaSeconds(first: TileMark, now: TileMark, total: number): number | undefined {
  const tiles = now.done - first.done;
  if (tiles <= 0 || now.at <= first.at) return undefined;
  return (((now.at - first.at) / tiles) * Math.max(0, total - now.done)) / 1000;
}
