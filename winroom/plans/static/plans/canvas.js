// Canvas page: our scores and the customer's as two series of one radar (1–5; unscored → 0).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    const el = document.getElementById("canvas-radar");
    const data = document.getElementById("canvas-radar-data");
    if (!el || !data || typeof echarts === "undefined") return;
    const radar = JSON.parse(data.textContent);
    const chart = echarts.init(el);
    chart.setOption({
      tooltip: {},
      legend: { bottom: 0, data: radar.series.map(function (s) { return s.name; }) },
      color: ["#1d3557", "#e76f51"],
      radar: { indicator: radar.indicators, radius: "62%", splitNumber: 5 },
      series: [{
        type: "radar",
        data: radar.series.map(function (s) { return { name: s.name, value: s.value, areaStyle: { opacity: 0.2 } }; }),
      }],
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.ready = "1";
  });
})();
