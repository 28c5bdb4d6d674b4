import { createRequire } from 'node:module';

/**
 * The PDF's fonts come from the dejavu-fonts-ttf package, not from the system: the standard PDF
 * fonts have no Cyrillic, and a system path would differ between machines. DejaVu covers
 * Russian and Kyrgyz (ң, ө, ү).
 */
const require = createRequire(import.meta.url);

export const PDF_FONTS = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
  mono: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf'),
  monoBold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansMono-Bold.ttf'),
} as const;

export type PdfFont = keyof typeof PDF_FONTS;

/** DOCX names its fonts; Word and LibreOffice both have these with Cyrillic. */
export const DOCX_FONTS = { text: 'Times New Roman', mono: 'Courier New' } as const;
