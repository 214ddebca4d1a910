// Everything the engine-backed api handlers need, built once per host from its data folder: the
// model catalog (read in the main process: listing, importing and deleting are plain file work),
// the engine process (everything that decodes an image or runs a network) and the job queue.
import { ModelCatalog } from '../engine/contract/model-catalog.js';
import { thumbnailCacheDir, trainRunsDir } from '../settings/data-dir.js';
import { modelDirs } from '../settings/model-dirs.js';
import { FailedPhotos } from '../settings/failed-photos.js';
import { JobQueue } from './job-queue.js';
import { EngineClient, forkEngine, type TransportFactory } from './engine-client.js';

export interface EngineServices {
  /** The data folder everything below keeps its files in. */
  dataDir: string;
  registry: ModelCatalog;
  client: EngineClient;
  jobs: JobQueue;
  /** Photos whose last denoise failed, remembered across restarts for the library's badges. */
  failures: FailedPhotos;
  /** Where a training run started without an output folder goes (<dataDir>/runs). */
  runsDir: string;
}

/** User models live in <dataDir>/models, thumbnails in <dataDir>/Thumbnails; shipped models in assets/models. */
export function createEngineServices(
  dataDir: string,
  options: { shippedDir?: string; thumbnailDir?: string; makeTransport?: TransportFactory } = {},
): EngineServices {
  const dirs = modelDirs(dataDir, options.shippedDir);
  const client = new EngineClient(
    { ...dirs, thumbnailDir: options.thumbnailDir ?? thumbnailCacheDir(dataDir) },
    options.makeTransport ?? forkEngine,
  );
  return {
    dataDir,
    registry: new ModelCatalog(dirs),
    client,
    jobs: new JobQueue(client),
    failures: new FailedPhotos(dataDir),
    runsDir: trainRunsDir(dataDir),
  };
}
