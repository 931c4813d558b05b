// The management charts (/insights/): each element with data-chart="…" draws the JSON of the
// <script> whose id is in data-source. The numbers come from the page; nothing is computed here.
(function () {
  "use strict";
  const COLOURS = {
    commit: "#1b7f3b", best_case: "#f0ad4e", pipeline: "#5b8def", not_computed: "#b8c0cc",
    renewal: "#1b7f3b", cross_sell: "#5b8def", new: "#f0ad4e", competitor: "#d9534f",
  };
  const money = (v) => (v == null ? "—" : Math.round(v).toLocaleString());

  const builders = {
    funnel(data) {
      return {
        tooltip: { trigger: "item", formatter: "{b}: <b>{c}</b>" },
        series: [{
          type: "funnel", sort: "none", left: "8%", right: "8%", top: 8, bottom: 8, minSize: "6%",
          label: { show: true, position: "inside", formatter: "{b}: {c}" }, data: data,
        }],
      };
    },
    contributions(data) {
      return {
        grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis", valueFormatter: (v) => (v == null ? "—" : v + " %") },
        xAxis: { type: "value", axisLabel: { formatter: "{value} %" } },
        yAxis: { type: "category", data: data.labels, inverse: true },
        series: [{
          type: "bar", data: data.values.map((v) => ({
            value: v, itemStyle: { color: v != null && v < 0 ? "#d9534f" : "#1b7f3b" },
          })),
          label: { show: true, position: "right", formatter: (p) => (p.value == null ? "" : p.value + " %") },
        }],
      };
    },
    wheel(data) {
      return {
        tooltip: { trigger: "item", formatter: (p) => p.name + ": <b>" + money(p.value) + "</b> (" + p.percent + "%)" },
        legend: { bottom: 0 },
        series: [{
          type: "pie", radius: ["35%", "68%"], center: ["50%", "45%"],
          label: { formatter: "{d}%" },
          data: data.map((d) => ({ name: d.name, value: d.value, itemStyle: { color: COLOURS[d.source] } })),
        }],
      };
    },
    forecast(data) {
      return {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: money },
        legend: { bottom: 0 },
        grid: { left: 8, right: 8, top: 16, bottom: 36, containLabel: true },
        xAxis: { type: "category", data: data.months },
        yAxis: { type: "value" },
        series: data.series.filter((s) => s.category !== "not_computed").map((s) => ({
          name: s.name, type: "bar", stack: "weighted", data: s.weighted,
          itemStyle: { color: COLOURS[s.category] },
        })),
      };
    },
    calibration(data) {
      const points = (rows) => rows.filter((r) => r.count > 0 && r.predicted != null)
        .map((r) => ({ value: [r.predicted * 100, r.won * 100], count: r.count, band: r.band }));
      const tip = (p) => p.seriesName + " · " + p.data.band + "<br>" + p.data.value[0].toFixed(1) +
        " % → " + p.data.value[1].toFixed(1) + " % (" + p.data.count + ")";
      const size = (v, p) => 6 + Math.min(18, Math.sqrt(p.data.count) * 2);
      return {
        tooltip: { trigger: "item", formatter: tip },
        legend: { bottom: 0 },
        grid: { left: 8, right: 16, top: 16, bottom: 36, containLabel: true },
        xAxis: { type: "value", min: 0, max: 100, name: "%", axisLabel: { formatter: "{value}" } },
        yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value} %" } },
        series: [
          { name: "TAS+", type: "line", data: points(data.tas), symbolSize: size, itemStyle: { color: "#1b7f3b" } },
          { name: "stage", type: "line", data: points(data.stage), symbolSize: size, lineStyle: { type: "dashed" }, itemStyle: { color: "#8a94a6" } },
          { type: "line", data: [[0, 0], [100, 100]], symbol: "none", silent: true, lineStyle: { color: "#ccc", type: "dotted" }, tooltip: { show: false } },
        ],
      };
    },
    curves(data) {
      return {
        tooltip: { trigger: "axis", valueFormatter: (v) => (v == null ? "—" : v.toFixed(0) + " %") },
        grid: { left: 8, right: 8, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: "time" },
        yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value} %" } },
        series: data.map((c) => ({ name: c.name, type: "line", step: "end", showSymbol: false, connectNulls: false, data: c.points })),
      };
    },
  };

  function draw(el) {
    const source = document.getElementById(el.dataset.source);
    const build = builders[el.dataset.chart];
    if (!source || !build || typeof echarts === "undefined") return;
    const chart = echarts.init(el);
    chart.setOption(build(JSON.parse(source.textContent)));
    window.addEventListener("resize", () => chart.resize());
    el.dataset.ready = "1";
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(draw);
  });
})();
