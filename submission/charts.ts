// The 预算说明's charts as PNG images for the .docx and the PDF: Apache ECharts renders each chart's option
// (core/document/charts.ts, the same option the app's 预算说明 tab draws) to SVG on the host, without a browser,
// and resvg (WebAssembly, no native module, no network) rasterises the SVG with the app's own CJK font, so a
// chart prints with the same glyphs on every machine.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { chartOption, chartSize, type DocChart } from '../core/document/charts.js';
import type { BudgetDocument } from '../core/document/draft.js';
import { defaultPdfFonts, type PdfFonts } from './pdf.js';

echarts.use([BarChart, PieChart, GridComponent, LegendComponent, SVGRenderer]);

const require = createRequire(import.meta.url);

/** The family name inside the shipped font files. */
export const CHART_FONT_FAMILY = 'Noto Sans SC';

/** Pixels per CSS pixel of the PNG: a 560 px wide chart prints 14 cm wide at about 200 dpi. */
export const CHART_SCALE = 2;

export interface ChartImage {
  png: Buffer;
  /** Size in CSS pixels (the PNG is CHART_SCALE times larger). */
  width: number;
  height: number;
}

let wasm: Promise<void> | null = null;

function ready(): Promise<void> {
  wasm ??= initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
  return wasm;
}

/** A chart as SVG text, drawn by ECharts exactly as the page draws it (server-side rendering). */
export function chartSvg(chart: DocChart): string {
  const { width, height } = chartSize(chart);
  const instance = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    const option = chartOption(chart);
    instance.setOption({ ...option, textStyle: { ...(option.textStyle as object), fontFamily: CHART_FONT_FAMILY } });
    return instance.renderToSVGString();
  } finally {
    instance.dispose();
  }
}

/** Every chart of the document as a PNG, by chart id (rendered once, for both the .docx and the PDF). */
export async function chartImages(doc: BudgetDocument, fonts: PdfFonts = defaultPdfFonts()): Promise<Map<string, ChartImage>> {
  const out = new Map<string, ChartImage>();
  if (doc.charts.length === 0) return out;
  await ready();
  const fontBuffers = [new Uint8Array(readFileSync(fonts.regular))];
  for (const chart of doc.charts) {
    const { width, height } = chartSize(chart);
    const resvg = new Resvg(chartSvg(chart), {
      fitTo: { mode: 'zoom', value: CHART_SCALE },
      background: '#ffffff',
      font: { fontBuffers, defaultFontFamily: CHART_FONT_FAMILY, sansSerifFamily: CHART_FONT_FAMILY },
    });
    try {
      const image = resvg.render();
      out.set(chart.id, { png: Buffer.from(image.asPng()), width, height });
      image.free();
    } finally {
      resvg.free();
    }
  }
  return out;
}
