import { spawnSync } from "node:child_process";

/** The file as a byte string (one char per byte), so string offsets are byte offsets. */
export function byteString(pdf: Uint8Array): string {
  return Buffer.from(pdf).toString("latin1");
}

/**
 * Everything a reader relies on to find the objects, checked the hard way: header, trailer, that
 * startxref points at the xref table, that every xref entry points at its "n 0 obj", and that each
 * stream's /Length is its true byte length. Returns the problems found (none means sound).
 */
export function structuralProblems(pdf: Uint8Array): string[] {
  const file = byteString(pdf);
  const problems: string[] = [];
  if (!file.startsWith("%PDF-1.4\n")) problems.push("does not start with %PDF-1.4");
  if (!file.trimEnd().endsWith("%%EOF")) problems.push("does not end with %%EOF");
  const startxref = /startxref\n(\d+)\n%%EOF\s*$/.exec(file);
  if (startxref === null) return [...problems, "no startxref"];
  const xrefAt = Number(startxref[1]);
  if (!file.startsWith("xref\n", xrefAt)) return [...problems, `startxref ${xrefAt} does not point at xref`];
  const table = /^xref\n0 (\d+)\n/.exec(file.slice(xrefAt));
  if (table === null) return [...problems, "malformed xref header"];
  const count = Number(table[1]);
  const entriesAt = xrefAt + table[0].length;
  for (let n = 0; n < count; n++) {
    const entry = file.slice(entriesAt + n * 20, entriesAt + (n + 1) * 20);
    if (!/^\d{10} \d{5} [nf] \n$/.test(entry)) problems.push(`xref entry ${n} is not 20 well-formed bytes`);
    if (n === 0) continue;
    const offset = Number(entry.slice(0, 10));
    if (!file.startsWith(`${n} 0 obj\n`, offset))
      problems.push(`xref entry ${n} (${offset}) misses "${n} 0 obj"`);
  }
  const size = /trailer\n<< \/Size (\d+) /.exec(file.slice(xrefAt));
  if (size === null || Number(size[1]) !== count) problems.push("trailer /Size differs from the xref count");
  for (const match of file.matchAll(/<< \/Length (\d+) >>\nstream\n/g)) {
    const start = (match.index ?? 0) + match[0].length;
    const end = start + Number(match[1]);
    if (!file.startsWith("\nendstream", end)) problems.push(`stream at ${start} has a wrong /Length`);
  }
  return problems;
}

/** poppler's pdftotext, when the machine has it (apt-get install poppler-utils). */
export function pdftotextAvailable(): boolean {
  const probe = spawnSync("pdftotext", ["-v"], { encoding: "utf8" });
  return probe.error === undefined;
}

/** The text a reader extracts, in reading layout; throws if pdftotext rejects the file. */
export function extractText(pdf: Uint8Array): string {
  const result = spawnSync("pdftotext", ["-layout", "-enc", "UTF-8", "-", "-"], {
    input: pdf,
    encoding: "utf8",
  });
  if (result.error !== undefined) throw result.error;
  if (result.status !== 0 || result.stderr.trim() !== "") {
    throw new Error(`pdftotext failed (${result.status}): ${result.stderr}`);
  }
  return result.stdout;
}
