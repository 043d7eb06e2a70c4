/** The width in points of `text` at `size`, in whatever font the caller sets it. */
export type Measure = (text: string, size: number) => number;

/**
 * Greedy word wrap into lines no wider than `maxWidth`; a word wider than a line (a long SKU, a
 * URL, or CJK text without spaces) is broken between characters rather than allowed to run into
 * the next column.
 */
export function wrapText(text: string, measure: Measure, size: number, maxWidth: number): string[] {
  const fits = (candidate: string) => measure(candidate, size) <= maxWidth;
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    const candidate = current === "" ? word : `${current} ${word}`;
    if (fits(candidate)) {
      current = candidate;
      continue;
    }
    if (current !== "") lines.push(current);
    current = "";
    for (const char of word) {
      if (current !== "" && !fits(current + char)) {
        lines.push(current);
        current = "";
      }
      current += char;
    }
  }
  if (current !== "") lines.push(current);
  return lines.length === 0 ? [""] : lines;
}

/** The largest size not above `size` at which `text` fits `maxWidth` (huge amounts shrink, never overflow). */
export function fittingSize(text: string, measure: Measure, size: number, maxWidth: number): number {
  const width = measure(text, size);
  return width <= maxWidth ? size : Math.max(4, (size * maxWidth) / width);
}
