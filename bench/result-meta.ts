// What every benchmark's JSON result says about where it ran: the machine (CPU model, cores, load at
// the end, which tells a busy machine's figures from a quiet one's) and the versions that did the work.
import { cpus, loadavg } from 'node:os';
import sharp from 'sharp';

export interface ResultMachine {
  cpu: string;
  cores: number;
  platform: string;
  loadavgAtEnd: number[];
}

export function resultMachine(): ResultMachine {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    platform: `${process.platform}-${process.arch}`,
    loadavgAtEnd: loadavg(),
  };
}

export async function resultVersions(): Promise<Record<'node' | 'onnxruntime' | 'sharp', string | undefined>> {
  return {
    node: process.versions.node,
    onnxruntime: (await import('onnxruntime-node')).env.versions.node,
    sharp: sharp.versions.sharp,
  };
}
