import { z } from 'zod';
import { PathString } from './common.js';

/** One compute backend or runtime the engine can use, and whether this machine has it. */
export const BackendInfo = z.object({
  id: z.string(), // e.g. 'onnxruntime:cpu', 'onnxruntime:dml', 'tfjs:wasm', 'tfjs:node-gpu'
  kind: z.enum(['inference', 'training']),
  available: z.boolean(),
  /** Why it is unavailable, in words a person can act on. */
  reason: z.string().optional(),
  /** The GPU adapter it runs on, when the provider can tell (e.g. 'SwiftShader (emulated on the CPU, no real GPU)'). */
  adapter: z.string().optional(),
});
export type BackendInfo = z.infer<typeof BackendInfo>;

/** What runs the default model under the current Settings → Engine choice, as the engine opened it. */
export const InferenceReport = z.object({
  /** 'onnxruntime:cpu', 'onnxruntime:cpu:int8', 'onnxruntime:webgpu', 'tfjs:wasm'…; absent when no model could be opened. */
  runtime: z.string().optional(),
  /** Why the tfjs fallback runs, or why nothing runs. */
  note: z.string().optional(),
  /** Providers tried before the one that runs and skipped, each with why ("webgpu: could not start (…)"). */
  skipped: z.array(z.string()),
});
export type InferenceReport = z.infer<typeof InferenceReport>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  arch: z.string(),
  /** 'electron' when the desktop shell hosts the engine, 'browser' for the browser host. */
  host: z.enum(['electron', 'browser']),
  versions: z.record(z.string(), z.string()),
  backends: z.array(BackendInfo),
  /** What really runs the models with the current settings; absent when the engine could not tell. */
  inference: InferenceReport.optional(),
  /** Things the user should know about this start, e.g. a damaged settings file reset to defaults. */
  warnings: z.array(z.string()),
  /** Where the user's things live: the data folder (settings, thumbnails, runs) and their models; absent without an engine. */
  folders: z.object({ data: z.string(), models: z.string() }).optional(),
  /** Clearframe's licence, then those of the libraries it ships, for About. */
  licences: z.array(z.object({ name: z.string(), version: z.string(), licence: z.string() })),
});
export type AppInfo = z.infer<typeof AppInfo>;

/** The native folder picker's answer: null when the user cancelled. Electron only. */
export const OpenFolderDialogResponse = z.object({ folder: z.string().nullable() });
export type OpenFolderDialogResponse = z.infer<typeof OpenFolderDialogResponse>;

/** A file or folder to reveal in the system's file manager (Electron only; it must lie in an opened folder). */
export const ShowInFolderRequest = z.object({ path: PathString }).strict();
export const ShowInFolderResponse = z.object({ shown: z.literal(true) });

/** Views the native menu can switch to (the renderer decides how). */
export const AppView = z.enum(['library', 'compare', 'queue', 'train', 'models', 'settings', 'about']);
export type AppView = z.infer<typeof AppView>;
