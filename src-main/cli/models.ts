// `clearframe models`: the installed models, which is the default per channel count, and what runs
// them (ONNX Runtime and its provider, or the tfjs fallback), and, with --providers, which execution
// providers this machine really runs (GPU providers tried on a model, provider-probe.ts). The probe is
// asked for, not automatic: starting WebGPU loads Dawn and the Vulkan loader, whose native warnings
// ("Couldn't load Vulkan…", with C++ source paths) would otherwise end every listing.
import { parseCommand } from './command.js';
import { defaultRegistryDirs } from '../settings/model-dirs.js';
import { ModelRegistry, usableInt8Model } from '../engine/models/registry.js';
import { describeRuntime } from '../engine/models/runtime-report.js';
import { probeProviders } from '../engine/models/provider-probe.js';

export const MODELS_USAGE =
  'clearframe models [--providers] [--json]   list shipped and user models, defaults and runtime (--providers: try each GPU provider)';

export async function modelsCommand(argv: string[]): Promise<number> {
  const parsed = parseCommand(argv, MODELS_USAGE, {
    options: { json: { type: 'boolean' }, providers: { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (!parsed) return 0;
  const { values } = parsed;
  const registry = new ModelRegistry(defaultRegistryDirs());
  const { models, problems } = await registry.scan();
  const defaults: Record<string, string | undefined> = {};
  for (const channels of [1, 3] as const)
    defaults[channels === 1 ? 'grey' : 'colour'] = models.length
      ? (await registry.defaultFor(channels)).card.id
      : undefined;
  const { runtime, note: runtimeNote, skipped } = await describeRuntime(registry);
  const providers = values.providers ? await probeProviders(registry) : [];
  if (values.json) {
    console.log(
      JSON.stringify({
        dirs: registry.dirs,
        defaults,
        runtime,
        runtimeNote,
        skippedProviders: skipped ?? [],
        providers,
        models,
        problems,
      }),
    );
    return 0;
  }
  console.log(`shipped: ${registry.dirs.shippedDir}\nuser:    ${registry.dirs.userDir}`);
  if (!models.length) console.log('No models installed.');
  for (const m of models) {
    const isDefault = Object.entries(defaults)
      .filter(([, id]) => id === m.card.id)
      .map(([k]) => `default ${k}`);
    const at25 = m.card.metrics.find((x) => x.sigma === 25);
    console.log(
      `${m.card.id.padEnd(24)} ${m.card.architecture.padEnd(12)} ${m.card.channels === 1 ? 'grey  ' : 'colour'} ${m.source.padEnd(7)} ${m.hasOnnx ? 'onnx' : 'tfjs'}` +
        `${usableInt8Model(m) ? '+int8' : '     '}` +
        `${at25 ? `  ${at25.dataset} σ25 ${at25.psnr.toFixed(2)} dB` : ''}${isDefault.length ? `  (${isDefault.join(', ')})` : ''}`,
    );
  }
  for (const p of problems) console.log(`unusable: ${p.folder}: ${p.reason}`);
  if (runtime) console.log(`runtime: ${runtime}${runtimeNote ? ` (${runtimeNote})` : ''}`);
  for (const s of skipped ?? []) console.log(`skipped provider ${s}`);
  for (const p of providers)
    console.log(
      `provider ${p.id}: ${p.available ? `available${p.adapter ? ` (${p.adapter})` : ''}` : `not available (${p.reason ?? 'unknown'})`}`,
    );
  return 0;
}
