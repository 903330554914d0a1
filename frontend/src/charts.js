// The chart island (ECharts), loaded only on pages with <div data-chart="<id of a json_script>">.
// The server sends the numbers as JSON (Django's json_script: no inline JS); this draws them and
// keeps them legible as the page resizes (phones included). Only the parts used are imported, so
// the bundle stays small. Every chart on a page also has a table with the same numbers beside it.
import * as echarts from "echarts/core";
import { BarChart, LineChart } from "echarts/charts";
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";

echarts.use([BarChart, LineChart, AriaComponent, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

function money(value, currency) {
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency, maximumFractionDigits: 0 }).format(value);
  } catch {
    return `${Math.round(value)} ${currency}`;
  }
}

// Stacked bars (bookings per month by stage), and where the server sends them, the month's value as a line.
function stagesOption(data, narrow) {
  const series = data.stages.map((s) => ({
    name: s.label, type: "bar", stack: "stages", data: s.counts, itemStyle: { color: s.colour },
    emphasis: { focus: "series" }, barMaxWidth: 36,
  }));
  const yAxis = [{ type: "value", minInterval: 1, name: narrow ? "" : "Bookings", axisLabel: { fontSize: 11 } }];
  if (data.values) {
    series.push({
      name: data.values.label, type: "line", yAxisIndex: 1, data: data.values.data, smooth: false,
      symbolSize: 7, itemStyle: { color: "#182433" }, lineStyle: { width: 2 },
      tooltip: { valueFormatter: (v) => money(v, data.values.currency) },
    });
    yAxis.push({
      type: "value", name: narrow ? "" : data.values.currency, splitLine: { show: false },
      axisLabel: { fontSize: 11, formatter: (v) => (v >= 1000 ? `${Math.round(v / 1000)}k` : v) },
    });
  }
  return {
    aria: { enabled: true },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { bottom: 0, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 12 } },
    grid: { left: 8, right: 8, top: narrow ? 16 : 32, bottom: narrow ? 56 : 40, containLabel: true },
    xAxis: { type: "category", data: narrow ? data.short_labels : data.labels, axisLabel: { fontSize: 11, interval: 0 } },
    yAxis,
    series,
  };
}

const KINDS = { stages: stagesOption };

function draw(element) {
  const source = document.getElementById(element.dataset.chart);
  if (!source) return;
  const data = JSON.parse(source.textContent);
  const build = KINDS[data.kind];
  if (!build) return;
  const chart = echarts.init(element, null, { renderer: "svg" });
  let narrow = element.clientWidth < 480;
  chart.setOption(build(data, narrow));
  new ResizeObserver(() => {
    const now = element.clientWidth < 480;
    if (now !== narrow) {
      narrow = now;
      chart.setOption(build(data, narrow), true);
    }
    chart.resize();
  }).observe(element);
}

function start() {
  document.querySelectorAll("[data-chart]").forEach(draw);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
