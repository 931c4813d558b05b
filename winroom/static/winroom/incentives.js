// The incentive charts (/incentives/): each element with data-incentive-chart="…" draws the
// JSON of the <script> whose id is in data-source. The numbers come from the page.
(function () {
  "use strict";
  const GROUP_COLOURS = { top: "#1b7f3b", middle: "#8a94a6", bottom: "#f0ad4e" };
  const money = (v) => (v == null ? "—" : Math.round(v).toLocaleString());

  const builders = {
    ranking(data) {
      return {
        grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        xAxis: { type: "value", max: 100 },
        yAxis: { type: "category", data: data.map((r) => r.name), inverse: true },
        series: [{
          type: "bar",
          data: data.map((r) => ({ value: r.score, itemStyle: { color: GROUP_COLOURS[r.group] } })),
          label: { show: true, position: "right" },
        }],
      };
    },
    attainment(data) {
      return {
        grid: { left: 8, right: 8, top: 28, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis", valueFormatter: money },
        legend: { top: 0 },
        xAxis: { type: "category", data: data.months },
        yAxis: { type: "value" },
        series: [
          { name: data.labels.target, type: "bar", data: data.target, itemStyle: { color: "#b8c0cc" } },
          { name: data.labels.credited, type: "bar", data: data.credited, itemStyle: { color: "#1b7f3b" } },
        ],
      };
    },
  };

  function draw(el) {
    const source = document.getElementById(el.dataset.source);
    const build = builders[el.dataset.incentiveChart];
    if (!source || !build || typeof echarts === "undefined") return;
    const chart = echarts.init(el);
    chart.setOption(build(JSON.parse(source.textContent)));
    window.addEventListener("resize", () => chart.resize());
    el.dataset.ready = "1";
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-incentive-chart]").forEach(draw);
  });
})();
