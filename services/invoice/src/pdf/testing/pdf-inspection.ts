import { spawnSync } from "node:child_process";

/** The file as a byte string (one char per byte), so string offsets are byte offsets. */
export function byteString(pdf: Uint8Array): string {
  return Buffer.from(pdf).toString("latin1");
}

/** The page count the document's page tree declares. */
export function pageCount(pdf: Uint8Array): number {
  return Number(/\/Type \/Pages\s*\/Count (\d+)/.exec(byteString(pdf))?.[1] ?? Number.NaN);
}

/** A CJK font on this machine (fontconfig), to try the fallback with; undefined when there is none. */
export function installedCjkFont(): string | undefined {
  const probe = spawnSync("fc-list", [":lang=ja", "file"], { encoding: "utf8" });
  if (probe.error !== undefined || probe.status !== 0) return undefined;
  return probe.stdout
    .split("\n")
    .map((line) => line.replace(/:\s*$/, "").trim())
    .find((path) => /\.(ttf|otf)$/i.test(path));
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
