// Apache ECharts for the 预算说明 tab, with only the parts its charts use. This module is imported on demand
// (DocChart's dynamic import), so ECharts is fetched when the tab first shows a chart, not when the app starts.
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export { echarts };
