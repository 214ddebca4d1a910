// A model named in a request from the renderer. The registry also opens a model by folder path
// (the CLI's `--model PATH`), so over the contract a path is held to the same rule as any other
// path: a folder inside the folders the user opened (or imported into the registry, which makes it
// an id). Anything else must be a plain model id, which the registry looks up among its models only.
import { ClearframeError } from '../../src-shared/contract-core.js';
import type { AllowedFolders } from '../access/allowed-folders.js';

const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Answers the ref to hand the engine: an id as is, a folder as its checked real path. */
export async function confineModelRef(ref: string | undefined, access: AllowedFolders): Promise<string | undefined> {
  if (ref === undefined) return undefined;
  if (MODEL_ID.test(ref) && !ref.includes('..')) return ref;
  try {
    return await access.check(ref);
  } catch (error) {
    if (error instanceof ClearframeError && error.code === 'forbidden') {
      throw new ClearframeError(
        'forbidden',
        `The model ${ref} is neither an installed model's id nor a folder inside the folders you opened; import it in Models first.`,
        'modelId',
      );
    }
    throw error;
  }
}
