// A small seeded PRNG whose whole state is one uint32, so a checkpoint can store its exact position
// and a resumed run draws the same patches and noise it would have drawn (mulberry32).

export class SeededRandom {
  constructor(private state: number) {
    this.state = state >>> 0;
  }

  /** The position in the stream, for checkpoints; `new SeededRandom(r.position)` continues it. */
  get position(): number {
    return this.state;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform in [a, b). */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.next();
  }

  /** Standard normal by Box-Muller (one value per call; the spare is dropped to keep state one number). */
  normal(): number {
    const u = 1 - this.next(); // (0, 1]: log stays finite
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
