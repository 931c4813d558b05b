// Contact page: the seven elements of the relationship as a radar (1–5; unanswered → 0).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    const el = document.getElementById("elements-radar");
    const data = document.getElementById("elements-data");
    if (!el || !data || typeof echarts === "undefined") return;
    const rows = JSON.parse(data.textContent);
    const chart = echarts.init(el);
    chart.setOption({
      tooltip: {},
      radar: { indicator: rows.map(function (r) { return { name: r.label, max: 5 }; }), radius: "60%", splitNumber: 5 },
      series: [{ type: "radar", data: [{ value: rows.map(function (r) { return r.value === null ? 0 : r.value; }), areaStyle: { opacity: 0.25 } }] }],
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.ready = "1";
  });
})();
