// 20 WebSocket clients hammering the read-only channels of the browser host (issue #9, load):
// app:info, settings:get and library:thumbnail for a bounded time. No request may fail; the
// latency percentiles go into the figures table. The host runs in its own process, as in use.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeGreyPhotos } from '../helpers/samples.js';
import { removeTempDirs, tempDir } from './support/env.js';
import { FigureRecorder } from './support/figures.js';
import { openSocket, SocketClient } from './support/host-client.js';
import { spawnHost, type HostProcess } from './support/host-process.js';

const CLIENTS = Number(process.env.CLEARFRAME_WS_CLIENTS ?? 20);
const SECONDS = Number(process.env.CLEARFRAME_WS_SECONDS ?? 10);
/** Hard cap on requests per client, so a very fast machine still ends in bounded work. */
const MAX_PER_CLIENT = 5_000;
const figures = new FigureRecorder('load-ws');

let host: HostProcess;
let images: string[] = [];
let origin: string;

beforeAll(async () => {
  const root = await tempDir('load-ws');
  const photos = join(root, 'photos');
  const rendererDir = join(root, 'renderer');
  await mkdir(photos);
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Clearframe</title>');
  await writeGreyPhotos(photos, ['01', '02', '03', '04', '05', '06', '07', '08']);
  images = (await readdir(photos)).map((n) => join(photos, n));
  host = await spawnHost(join(root, 'data'), rendererDir);
  origin = `http://127.0.0.1:${host.port}`;
});

afterAll(async () => {
  await host?.stop();
  await removeTempDirs();
});

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

describe(`${CLIENTS} WebSocket clients for ${SECONDS} s`, () => {
  it('answers every read-only request without an error', async () => {
    const clients: SocketClient[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const socket = await openSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { Origin: origin });
      if (typeof socket === 'number') throw new Error(`client ${i} was refused: ${socket}`);
      clients.push(new SocketClient(socket));
    }
    // The folder is opened once; every client then reads from it.
    const opened = await clients[0]!.call('library:open', { folder: join(images[0]!, '..') });
    expect(opened.ok).toBe(true);

    const latencies: number[] = [];
    const byChannel = new Map<string, number[]>();
    const errors: string[] = [];
    const deadline = Date.now() + SECONDS * 1000;
    const started = performance.now();
    await Promise.all(
      clients.map(async (client, c) => {
        for (let n = 0; n < MAX_PER_CLIENT && Date.now() < deadline; n++) {
          const pick = (c + n) % 3;
          const [channel, request]: [string, unknown] =
            pick === 0
              ? ['app:info', {}]
              : pick === 1
                ? ['settings:get', {}]
                : ['library:thumbnail', { path: images[(c * 7 + n) % images.length], size: [64, 128, 256][n % 3] }];
          const t0 = performance.now();
          const result = await client.call(channel, request, 30_000);
          const ms = performance.now() - t0;
          latencies.push(ms);
          (byChannel.get(channel) ?? byChannel.set(channel, []).get(channel)!).push(ms);
          if (!result.ok) errors.push(`${channel}: ${result.error.code} ${result.error.message}`);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    figures.measure('ws load: host RSS after (MiB)', await host.rssMiB());
    expect(host.child.exitCode).toBeNull();
    for (const client of clients) client.close();

    latencies.sort((a, b) => a - b);
    figures.measure('ws load: clients', CLIENTS);
    figures.measure('ws load: requests', latencies.length);
    figures.measure('ws load: errors', errors.length);
    figures.measure('ws load: requests/s', latencies.length / seconds);
    figures.measure('ws load: p50 latency (ms)', percentile(latencies, 50));
    figures.measure('ws load: p99 latency (ms)', percentile(latencies, 99));
    figures.measure('ws load: max latency (ms)', latencies.at(-1) ?? Number.NaN);
    for (const [channel, values] of byChannel) {
      values.sort((a, b) => a - b);
      figures.measure(`ws load: p99 latency ${channel} (ms)`, percentile(values, 99));
    }
    expect(errors.slice(0, 5)).toEqual([]);
    expect(latencies.length).toBeGreaterThan(CLIENTS * 3);
    // Latency is a figure for the report, not an assertion: on 2 shared cores under load app:info's p99
    // measured 4.4-8.3 s with no error (issue 27: wall-clock bounds stay out of the default suite).
    expect(clients.every((client) => client.unmatched.length === 0)).toBe(true);
  });
});
