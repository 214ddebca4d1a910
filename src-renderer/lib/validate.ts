// Inline validation with the contract's own schemas: the form says what the host would refuse,
// before it is sent, in the same words.
import type { z } from 'zod';

export function fieldError(schema: z.ZodType, value: unknown): string | null {
  const parsed = schema.safeParse(value);
  if (parsed.success) return null;
  return parsed.error.issues[0]?.message ?? 'This value is not allowed.';
}

/** Reads a number field: '' and non-numbers become NaN so the schema reports them. */
export function numberFrom(input: HTMLInputElement): number {
  return input.value.trim() === '' ? Number.NaN : Number(input.value);
}
