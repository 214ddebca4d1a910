// Everything the denoise and models api handlers need, built once per host from its data folder:
// the registry (read in the main process: listing is cheap), the engine process and the job queue.
import { join } from 'node:path';
import { shippedModelsDir } from '../resources.js';
import { JobQueue } from './job-queue.js';
import { ModelRegistry } from '../engine/models/registry.js';
import { EngineClient, forkEngine, type TransportFactory } from './engine-client.js';

export interface EngineServices {
  registry: ModelRegistry;
  client: EngineClient;
  jobs: JobQueue;
}

/** User models live in <dataDir>/models; shipped ones in assets/models (see resources.ts). */
export function createEngineServices(
  dataDir: string,
  options: { shippedDir?: string; makeTransport?: TransportFactory } = {},
): EngineServices {
  const dirs = { shippedDir: options.shippedDir ?? shippedModelsDir(), userDir: join(dataDir, 'models') };
  const client = new EngineClient(dirs, options.makeTransport ?? forkEngine);
  return { registry: new ModelRegistry(dirs), client, jobs: new JobQueue(client) };
}
