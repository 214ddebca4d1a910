// Inline validation with the contract's own schemas: the form says what the host would refuse,
// before it is sent, in words written for people (not zod's developer messages).
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** One validation issue as a short sentence a person can act on. */
export function humanIssue(issue: Issue): string {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1 ? 'Required.' : `Use at least ${issue.minimum} characters.`;
      if (issue.origin === 'number') return `Use ${issue.inclusive ? 'at least' : 'more than'} ${issue.minimum}.`;
      return issue.message;
    case 'too_big':
      if (issue.origin === 'string') return `Use at most ${issue.maximum} characters.`;
      if (issue.origin === 'number') return `Use ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}.`;
      return issue.message;
    case 'invalid_type':
      return issue.expected === 'number' ? 'Enter a number.' : 'Required.';
    case 'not_multiple_of':
      return `Use a multiple of ${issue.divisor}.`;
    case 'invalid_value':
      return 'Choose one of the options.';
    default:
      return issue.message;
  }
}

export function fieldError(schema: z.ZodType, value: unknown): string | null {
  const parsed = schema.safeParse(value);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  return issue ? humanIssue(issue) : 'This value is not allowed.';
}

/** Reads a number field: '' and non-numbers become NaN so the schema reports them. */
export function numberFrom(input: HTMLInputElement): number {
  return input.value.trim() === '' ? Number.NaN : Number(input.value);
}
