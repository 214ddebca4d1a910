// Requests answered by id over a channel that keeps no order of its own (a worker thread, the engine
// process, the browser host's socket): fresh ids, the calls waiting on them, and the three ways a
// wait ends — its answer; its caller giving up (the late answer is then dropped); the channel's end
// (every call waiting fails with the reason). The engine client, ONNX Runtime's session thread, the
// gradient workers and the renderer's socket client all correlate through this one class. No Node
// imports: the renderer loads it too.

/** How a caller gives up waiting: the call rejects with `error()` as soon as `signal` aborts. */
export interface GiveUp {
  signal: AbortSignal;
  error: () => Error;
}

export interface CallOptions<Entry> {
  /** Kept with the call while it waits, for messages that come before its answer (its progress listeners). */
  entry?: Entry;
  giveUp?: GiveUp;
}

interface Waiting<Answer, Entry> {
  resolve: (answer: Answer) => void;
  reject: (error: unknown) => void;
  entry: Entry | undefined;
}

export class Correlator<Answer, Entry = undefined> {
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting<Answer, Entry>>();
  private closedWith: Error | undefined;

  /** A fresh id for a message whose answer nobody waits for: a reply to it finds no call and is dropped. */
  newId(): number {
    return this.nextId++;
  }

  /**
   * Sends a request under a fresh id (`send` posts it) and waits for its answer. Rejects without
   * sending once closed or already given up, and with whatever `send` throws.
   */
  call(send: (id: number) => void, options: CallOptions<Entry> = {}): Promise<Answer> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const { giveUp } = options;
    if (giveUp?.signal.aborted) return Promise.reject(giveUp.error());
    const id = this.newId();
    return new Promise<Answer>((resolve, reject) => {
      const onAbort = (): void => {
        this.reject(id, giveUp?.error());
      };
      giveUp?.signal.addEventListener('abort', onAbort, { once: true });
      const done = (): void => giveUp?.signal.removeEventListener('abort', onAbort);
      this.waiting.set(id, {
        resolve: (answer) => (done(), resolve(answer)),
        reject: (error) => (done(), reject(error)),
        entry: options.entry,
      });
      try {
        send(id);
      } catch (error) {
        this.reject(id, error);
      }
    });
  }

  /** True while call `id` waits for its answer. */
  isWaiting(id: number): boolean {
    return this.waiting.has(id);
  }

  /** What was kept with call `id`; undefined once it has ended. */
  entry(id: number): Entry | undefined {
    return this.waiting.get(id)?.entry;
  }

  /** How many calls wait. */
  get size(): number {
    return this.waiting.size;
  }

  /** The reason close() gave, once closed. */
  get closed(): Error | undefined {
    return this.closedWith;
  }

  /** Ends call `id` with its answer; false when no call waits for it (given up, or not ours): the answer is dropped. */
  resolve(id: number, answer: Answer): boolean {
    const waiting = this.take(id);
    waiting?.resolve(answer);
    return waiting !== undefined;
  }

  /** Ends call `id` with `error`; false when no call waits for it. */
  reject(id: number, error: unknown): boolean {
    const waiting = this.take(id);
    waiting?.reject(error);
    return waiting !== undefined;
  }

  /** Call `id`, no longer waiting. */
  private take(id: number): Waiting<Answer, Entry> | undefined {
    const waiting = this.waiting.get(id);
    this.waiting.delete(id);
    return waiting;
  }

  /** The channel ended but will be opened again (a restarted engine, a reconnected socket): every call waiting fails with `error`. */
  failAll(error: unknown): void {
    for (const [id, waiting] of this.waiting) {
      this.waiting.delete(id);
      waiting.reject(error);
    }
  }

  /** The channel is gone for good: every call waiting, and every later one, fails with `error` (the first reason given is kept). */
  close(error: Error): void {
    this.closedWith ??= error;
    this.failAll(this.closedWith);
  }
}
