// A chart of the 预算说明 as the document prints it: the host lays the chart out (its ECharts option, with
// every label written out from the document's figures) and this draws it with ECharts' SVG renderer. The
// option is the one the .docx and the PDF render on the host, so screen and document show the same chart.
import { useEffect, useRef, useState } from 'react';
import type { DocChartView } from '../../api/document.js';

type Loaded = typeof import('./echarts-setup.js');
let loading: Promise<Loaded> | null = null;

/** ECharts, fetched the first time a chart is shown. */
function loadEcharts(): Promise<Loaded> {
  loading ??= import('./echarts-setup.js');
  return loading;
}

export function DocChart({ chart }: { chart: DocChartView }) {
  const box = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const option = JSON.stringify(chart.option);

  useEffect(() => {
    let live = true;
    let instance: { dispose(): void; setOption(o: unknown, notMerge?: boolean): void } | null = null;
    loadEcharts()
      .then(({ echarts }) => {
        if (!live || !box.current) return;
        instance = echarts.init(box.current, null, { renderer: 'svg', width: chart.width, height: chart.height });
        const o = JSON.parse(option) as Record<string, unknown>;
        // The app's own font (the document's host rendering sets the embedded CJK font the same way).
        const fontFamily = getComputedStyle(box.current).fontFamily;
        instance.setOption({ ...o, textStyle: { ...(o.textStyle as object), fontFamily } }, true);
        box.current.dataset.state = 'drawn';
      })
      .catch(() => live && setError('无法显示图表'));
    return () => {
      live = false;
      instance?.dispose();
    };
  }, [option, chart.width, chart.height]);

  return (
    <figure className="doc-chart" data-chart={chart.id}>
      {error ? <div className="empty-state error">{error}</div> : <div ref={box} className="doc-chart-canvas" style={{ width: chart.width, height: chart.height }} />}
      <figcaption>{chart.title}</figcaption>
    </figure>
  );
}
