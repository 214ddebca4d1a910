// The one request correlator (src-shared/correlator.ts) over a real MessageChannel, as the engine
// client, ONNX Runtime's thread, the gradient workers and the renderer's socket use it: answers by
// id in any order, a caller giving up at once with the late answer dropped, the channel's end
// failing every waiting call, and a closed channel refusing new calls without sending them.
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { Correlator } from '../../src-shared/correlator.js';

interface Request {
  id: number;
  n: number;
}
interface Reply {
  id: number;
  answer: number;
}

/** The far end: collects requests and answers them when told, in the order asked (answer = 10 × n). */
class FarEnd {
  readonly received: Request[] = [];
  private waiters: Array<() => void> = [];
  constructor(private readonly port: MessagePort) {
    port.on('message', (request: Request) => {
      this.received.push(request);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }
  async receivedCount(count: number): Promise<void> {
    while (this.received.length < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
  answer(...ids: number[]): void {
    for (const id of ids)
      this.port.postMessage({ id, answer: 10 * this.received.find((r) => r.id === id)!.n } satisfies Reply);
  }
}

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const channel of channels.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
});

/** A correlator over a fresh channel: replies are resolved by id; `late` lists the ids of replies no call took. */
function connect(): {
  calls: Correlator<number, string>;
  far: FarEnd;
  port: MessagePort;
  late: number[];
  replies: () => Promise<void>;
} {
  const channel = new MessageChannel();
  channels.push(channel);
  const calls = new Correlator<number, string>();
  const late: number[] = [];
  let seen = 0;
  const wakers: Array<() => void> = [];
  channel.port1.on('message', (reply: Reply) => {
    if (!calls.resolve(reply.id, reply.answer)) late.push(reply.id);
    seen++;
    for (const wake of wakers.splice(0)) wake();
  });
  const replies = async (): Promise<void> => {
    const before = seen;
    while (seen === before) await new Promise<void>((resolve) => wakers.push(resolve));
  };
  return { calls, far: new FarEnd(channel.port2), port: channel.port1, late, replies };
}

describe('Correlator', () => {
  it('answers each call with its own answer, whatever order the answers come in', async () => {
    const { calls, far, port } = connect();
    const answers = [1, 2, 3].map((n) => calls.call((id) => port.postMessage({ id, n } satisfies Request)));
    await far.receivedCount(3);
    expect(new Set(far.received.map((r) => r.id)).size).toBe(3);
    expect(calls.size).toBe(3);
    far.answer(...far.received.map((r) => r.id).reverse());
    expect(await Promise.all(answers)).toEqual([10, 20, 30]);
    expect(calls.size).toBe(0);
  });

  it('gives up at once when the caller aborts, drops the late answer, and answers the next call correctly', async () => {
    const { calls, far, port, late, replies } = connect();
    const controller = new AbortController();
    const cancelled = new Error('cancelled');
    const given = calls.call((id) => port.postMessage({ id, n: 1 } satisfies Request), {
      giveUp: { signal: controller.signal, error: () => cancelled },
    });
    await far.receivedCount(1);
    let outcome: unknown;
    given.catch((error: unknown) => (outcome = error));
    controller.abort();
    await Promise.resolve(); // microtasks only: no wait for the far end
    expect(outcome).toBe(cancelled);
    expect(calls.isWaiting(far.received[0]!.id)).toBe(false);

    const next = calls.call((id) => port.postMessage({ id, n: 2 } satisfies Request));
    await far.receivedCount(2);
    far.answer(far.received[0]!.id); // the aborted call's answer arrives first
    await replies();
    expect(late).toEqual([far.received[0]!.id]);
    far.answer(far.received[1]!.id);
    expect(await next).toBe(20);

    // A signal already aborted: rejected without sending anything.
    await expect(
      calls.call((id) => port.postMessage({ id, n: 3 } satisfies Request), {
        giveUp: { signal: AbortSignal.abort(), error: () => cancelled },
      }),
    ).rejects.toBe(cancelled);
    expect(far.received).toHaveLength(2);
  });

  it('fails every waiting call when the channel ends, and takes new calls once it is back', async () => {
    const { calls, far, port } = connect();
    const lost = new Error('the engine stopped');
    const waiting = [1, 2].map((n) => calls.call((id) => port.postMessage({ id, n } satisfies Request)));
    await far.receivedCount(2);
    calls.failAll(lost);
    for (const call of waiting) await expect(call).rejects.toBe(lost);
    expect(calls.size).toBe(0);

    const after = calls.call((id) => port.postMessage({ id, n: 4 } satisfies Request));
    await far.receivedCount(3);
    far.answer(far.received[2]!.id);
    expect(await after).toBe(40);
  });

  it('once closed, fails what waits and every later call without sending it, keeping the first reason', async () => {
    const { calls, far, port } = connect();
    const crashed = new Error('the thread crashed');
    const waiting = calls.call((id) => port.postMessage({ id, n: 1 } satisfies Request));
    await far.receivedCount(1);
    calls.close(crashed);
    calls.close(new Error('the thread exited'));
    await expect(waiting).rejects.toBe(crashed);
    expect(calls.closed).toBe(crashed);
    await expect(calls.call((id) => port.postMessage({ id, n: 2 } satisfies Request))).rejects.toBe(crashed);
    // The far end still answers the first request: nothing takes it.
    far.answer(far.received[0]!.id);
    expect(far.received).toHaveLength(1);
  });

  it('keeps an entry with a call while it waits, and forgets it with the call', async () => {
    const { calls, far, port } = connect();
    const answer = calls.call((id) => port.postMessage({ id, n: 5 } satisfies Request), { entry: 'tile listener' });
    await far.receivedCount(1);
    const id = far.received[0]!.id;
    expect(calls.entry(id)).toBe('tile listener');
    far.answer(id);
    expect(await answer).toBe(50);
    expect(calls.entry(id)).toBeUndefined();
  });

  it('rejects a call whose send throws, and leaves nothing waiting for it', async () => {
    const { calls } = connect();
    const refused = new Error('the channel is closed');
    await expect(
      calls.call(() => {
        throw refused;
      }),
    ).rejects.toBe(refused);
    expect(calls.size).toBe(0);
  });

  it('hands out distinct ids, also to messages nobody waits an answer to', () => {
    const calls = new Correlator<number>();
    const ids: number[] = [calls.newId()];
    void calls.call((id) => ids.push(id));
    ids.push(calls.newId());
    expect(new Set(ids).size).toBe(3);
  });
});
