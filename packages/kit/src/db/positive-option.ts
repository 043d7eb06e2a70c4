/** A background worker's count or duration option: a positive integer, or a RangeError naming it. */
export function positiveOption(owner: string, name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${owner} option ${name} must be a positive integer, got ${value}`);
  }
  return value;
}
