// The little of fontkit (a dependency of pdfkit, without types of its own) that invoice-fonts.ts uses.
declare module "fontkit" {
  export interface Font {
    hasGlyphForCodePoint(codePoint: number): boolean;
    layout(text: string): unknown;
  }
  export interface FontCollection {
    fonts: Font[];
  }
  export function create(buffer: Uint8Array): Font | FontCollection;
}
