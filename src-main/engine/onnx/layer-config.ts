// Typed readers of tfjs-layers configs. `layer.getConfig()` answers an untyped dictionary; the
// exporter, the training graph and the tfjs trainer read a few fields of it, each checked here once
// (a missing or mistyped field fails with the layer's name) instead of cast at every use.
import type * as tfl from '@tensorflow/tfjs-layers';

type Layer = tfl.layers.Layer;

export class LayerConfigError extends Error {}

type Dict = Record<string, unknown>;

function configOf(layer: Layer): Dict {
  return layer.getConfig() as Dict;
}

function bad(layer: Layer, key: string, expected: string, value: unknown): never {
  throw new LayerConfigError(
    `layer "${layer.name}" (${layer.getClassName()}): config "${key}" should be ${expected}, is ${JSON.stringify(value)}`,
  );
}

function numberField(layer: Layer, cfg: Dict, key: string): number {
  const value = cfg[key];
  return typeof value === 'number' ? value : bad(layer, key, 'a number', value);
}

function stringField(layer: Layer, cfg: Dict, key: string): string {
  const value = cfg[key];
  return typeof value === 'string' ? value : bad(layer, key, 'a string', value);
}

function booleanField(layer: Layer, cfg: Dict, key: string): boolean {
  const value = cfg[key];
  return typeof value === 'boolean' ? value : bad(layer, key, 'true or false', value);
}

/** A 2-D size given as one number or a pair ([1, 1] when absent and `absent` allows it). */
function pairField(layer: Layer, cfg: Dict, key: string, absent?: [number, number]): [number, number] {
  const value = cfg[key];
  if ((value === undefined || value === null) && absent) return absent;
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number'))
    return [value[0] as number, value[1] as number];
  return bad(layer, key, 'a number or a pair of numbers', value);
}

export interface ConvConfig {
  filters: number;
  kernelSize: [number, number];
  strides: [number, number];
  padding: 'same' | 'valid' | 'causal';
  dilationRate: [number, number];
  activation: string;
  useBias: boolean;
  /** Absent means channelsLast. */
  dataFormat?: string;
}

/** Conv2D's and Conv2DTranspose's config. */
export function convConfig(layer: Layer): ConvConfig {
  const cfg = configOf(layer);
  const padding = stringField(layer, cfg, 'padding');
  if (padding !== 'same' && padding !== 'valid' && padding !== 'causal')
    return bad(layer, 'padding', "'same', 'valid' or 'causal'", padding);
  const dataFormat = cfg['dataFormat'];
  return {
    filters: numberField(layer, cfg, 'filters'),
    kernelSize: pairField(layer, cfg, 'kernelSize'),
    strides: pairField(layer, cfg, 'strides', [1, 1]),
    padding,
    dilationRate: pairField(layer, cfg, 'dilationRate', [1, 1]),
    activation: stringField(layer, cfg, 'activation'),
    useBias: booleanField(layer, cfg, 'useBias'),
    ...(typeof dataFormat === 'string' ? { dataFormat } : {}),
  };
}

export interface BatchNormConfig {
  axis: number;
  epsilon: number;
  momentum: number;
  center: boolean;
  scale: boolean;
}

export function batchNormConfig(layer: Layer): BatchNormConfig {
  const cfg = configOf(layer);
  return {
    axis: numberField(layer, cfg, 'axis'),
    epsilon: numberField(layer, cfg, 'epsilon'),
    momentum: numberField(layer, cfg, 'momentum'),
    center: booleanField(layer, cfg, 'center'),
    scale: booleanField(layer, cfg, 'scale'),
  };
}

/** An Activation layer's activation name ('relu', 'sigmoid', …). */
export function activationOf(layer: Layer): string {
  return stringField(layer, configOf(layer), 'activation');
}

/** A ReLU layer's cap; undefined when uncapped. */
export function reluMaxValue(layer: Layer): number | undefined {
  const value = configOf(layer)['maxValue'];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'number' ? value : bad(layer, 'maxValue', 'a number or null', value);
}

export function leakyReluAlpha(layer: Layer): number {
  return numberField(layer, configOf(layer), 'alpha');
}

/** The axis a Concatenate layer joins on. */
export function concatAxis(layer: Layer): number {
  return numberField(layer, configOf(layer), 'axis');
}
