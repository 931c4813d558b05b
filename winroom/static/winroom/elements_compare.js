// Account page: the seven elements of several people as one radar, a series per person
// (1–5; unanswered → 0).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    const el = document.getElementById("elements-compare-radar");
    const data = document.getElementById("elements-compare-data");
    if (!el || !data || typeof echarts === "undefined") return;
    const chart = JSON.parse(data.textContent);
    const radar = echarts.init(el);
    radar.setOption({
      tooltip: { trigger: "item" },
      legend: { type: "scroll", bottom: 0, data: chart.series.map(function (s) { return s.name; }) },
      radar: { indicator: chart.indicators, radius: "58%", splitNumber: 5 },
      series: [{ type: "radar", data: chart.series.map(function (s) { return { name: s.name, value: s.value, areaStyle: { opacity: 0.08 } }; }) }],
    });
    window.addEventListener("resize", function () { radar.resize(); });
    el.dataset.ready = "1";
  });
})();
