// Lazy thumbnails: a few requests at a time (the engine process decodes full images to make them), newest
// first so fast scrolling loads what is on screen now, and a bounded cache of data URLs.
import { invoke } from './api.js';

const CONCURRENCY = 4;
const CACHE_LIMIT = 800;

interface Task {
  key: string;
  path: string;
  size: number;
  /** The data URL, or null with the engine's reason when no thumbnail can be made. */
  resolve(url: string | null, why?: string): void;
  cancelled: boolean;
}

const cache = new Map<string, string>();
const waiting: Task[] = [];
let running = 0;

function remember(key: string, url: string): void {
  cache.delete(key);
  cache.set(key, url);
  if (cache.size > CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
}

function pump(): void {
  while (running < CONCURRENCY && waiting.length > 0) {
    const task = waiting.pop()!;
    if (task.cancelled) continue;
    running++;
    void invoke('library:thumbnail', { path: task.path, size: task.size })
      .then((result) => {
        if (result.ok) {
          const url = `data:${result.value.mime};base64,${result.value.data}`;
          remember(task.key, url);
          task.resolve(url);
        } else task.resolve(null, result.error.message);
      })
      .finally(() => {
        running--;
        pump();
      });
  }
}

export function cachedThumbnail(path: string, size: number): string | undefined {
  return cache.get(`${size}:${path}`);
}

/** Asks for a thumbnail; the returned cancel drops it from the queue if it has not started. */
export function loadThumbnail(path: string, size: number, done: Task['resolve']): () => void {
  const key = `${size}:${path}`;
  const hit = cache.get(key);
  if (hit) {
    done(hit);
    return () => {};
  }
  const task: Task = { key, path, size, resolve: done, cancelled: false };
  waiting.push(task);
  pump();
  return () => {
    task.cancelled = true;
    task.resolve = () => {};
  };
}

/** Drops cached thumbnails (e.g. after a file was denoised in place of its preview). */
export function forgetThumbnails(): void {
  cache.clear();
}
