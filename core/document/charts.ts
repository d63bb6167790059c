// The charts of the 预算说明 (支出结构 and 与上年对比), laid out once: the drafter gives each chart its figures
// (the same engine cells and the same rounding as the sentences beside it), and chartOption() turns a chart into
// an Apache ECharts option — plain JSON, no function in it — that the app's 预算说明 tab draws in the page and the
// .docx / PDF writers draw on the host (server-side SVG). So screen and document show the same chart.
//
// Amounts go into the option as the decimal strings the document prints ("560.8"); ECharts reads them as numbers
// only to size bars and slices. Every label is written out here, never formatted by ECharts (its own percentages
// would not follow the document's share rule).

export type ChartKind = 'pie' | 'bar' | 'compare';

export interface DocChart {
  id: string;
  /** The caption: "图1 2020年支出结构：基本支出与项目支出". */
  title: string;
  kind: ChartKind;
  /** The amounts' unit (万元 / 元). */
  unit: string;
  categories: string[];
  /** pie and bar: one series; compare: last year's, then this year's. Values as printed (narrativeAmount). */
  series: { name: string; values: string[] }[];
  /** pie and bar: each category's share of the whole (the document's share rule), as "32.23". */
  shares?: string[];
}

/** Colours that print well in black and white as well (distinct lightness), screen and document alike. */
export const CHART_COLORS = ['#2f5f9e', '#e08a2e', '#5b9e5a', '#b84a4a', '#7a62b0', '#3f9bb0', '#a89234', '#7f7f7f'];

/** Size of a chart in CSS pixels (and points of the PDF page, scaled to fit). */
export function chartSize(chart: DocChart): { width: number; height: number } {
  if (chart.kind === 'bar') return { width: 560, height: Math.max(150, 48 + 38 * chart.categories.length) };
  if (chart.kind === 'pie') return { width: 560, height: 270 };
  return { width: 560, height: 300 };
}

const label = (text: string) => ({ show: true, formatter: text });

/** The ECharts option of a chart (JSON only). The host sets the font family; the option sets everything else. */
export function chartOption(chart: DocChart): Record<string, unknown> {
  const unit = chart.unit;
  const base = { animation: false, color: CHART_COLORS, backgroundColor: '#ffffff', textStyle: { fontSize: 13 } };
  const [first] = chart.series;
  switch (chart.kind) {
    case 'pie':
      return {
        ...base,
        series: [
          {
            type: 'pie',
            radius: ['36%', '64%'],
            center: ['50%', '52%'],
            label: { fontSize: 13, lineHeight: 19 },
            labelLine: { length: 14, length2: 18 },
            data: chart.categories.map((name, i) => ({
              name,
              value: first?.values[i] ?? '0',
              label: label(`${name}\n${first?.values[i] ?? '0'}${unit}（${chart.shares?.[i] ?? ''}%）`),
            })),
          },
        ],
      };
    case 'bar':
      return {
        ...base,
        grid: { left: 12, right: 150, top: 16, bottom: 12, outerBoundsMode: 'same', outerBoundsContain: 'all' },
        xAxis: { type: 'value', splitLine: { lineStyle: { color: '#e4e4e4' } } },
        yAxis: { type: 'category', inverse: true, data: chart.categories, axisTick: { show: false } },
        series: [
          {
            type: 'bar',
            barMaxWidth: 22,
            data: chart.categories.map((_, i) => ({
              value: first?.values[i] ?? '0',
              label: { ...label(`${first?.values[i] ?? '0'}${unit}（${chart.shares?.[i] ?? ''}%）`), position: 'right' },
            })),
          },
        ],
      };
    case 'compare':
      return {
        ...base,
        legend: { top: 0, data: chart.series.map((s) => s.name) },
        grid: { left: 12, right: 16, top: 44, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'all' },
        xAxis: { type: 'category', data: chart.categories, axisTick: { show: false } },
        yAxis: { type: 'value', name: unit, nameGap: 10, splitLine: { lineStyle: { color: '#e4e4e4' } } },
        series: chart.series.map((s) => ({
          type: 'bar',
          name: s.name,
          barMaxWidth: 36,
          barGap: '10%',
          data: s.values.map((v) => ({ value: v, label: { ...label(v), position: 'top' } })),
        })),
      };
  }
}
