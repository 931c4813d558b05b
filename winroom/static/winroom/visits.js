// Visits: suggestions from the deal room fill the plan; the skills charts.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-fill]");
    if (!button) return;
    const field = document.getElementById("id_" + button.dataset.fill);
    if (!field) return;
    const text = button.dataset.text || "";
    if (field.value.split("\n").indexOf(text) === -1) {
      field.value = field.value.trim() ? field.value.replace(/\s+$/, "") + "\n" + text : text;
    }
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.focus();
  });
  function skills() {
    const source = document.getElementById("skills-data");
    if (!source || typeof echarts === "undefined") return;
    const data = JSON.parse(source.textContent);
    const radarEl = document.getElementById("skills-radar");
    if (radarEl) {
      const chart = echarts.init(radarEl);
      chart.setOption({
        tooltip: {},
        legend: { bottom: 0, data: [data.labels.rep, data.labels.manager] },
        radar: { indicator: data.steps.map(function (s) { return { name: s, max: 5, min: 0 }; }), radius: "60%", center: ["50%", "48%"] },
        series: [{ type: "radar", data: [
          { name: data.labels.rep, value: data.rep.map(function (v) { return v === null ? 0 : v; }), areaStyle: { opacity: 0.2 } },
          { name: data.labels.manager, value: data.manager.map(function (v) { return v === null ? 0 : v; }), lineStyle: { type: "dashed" } },
        ] }],
      });
      window.addEventListener("resize", function () { chart.resize(); });
      radarEl.dataset.ready = "1";
    }
    const weeksEl = document.getElementById("skills-weeks");
    if (weeksEl) {
      const chart = echarts.init(weeksEl);
      chart.setOption({
        grid: { left: 36, right: 12, top: 16, bottom: 28 },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: data.weeks.map(function (w) { return w.slice(5); }) },
        yAxis: { type: "value", min: 0, minInterval: 1 },
        series: [{ name: data.labels.per_week, type: "line", data: data.per_week, symbolSize: 6, areaStyle: { opacity: 0.08 } }],
      });
      window.addEventListener("resize", function () { chart.resize(); });
      weeksEl.dataset.ready = "1";
    }
  }
  document.addEventListener("DOMContentLoaded", skills);
})();
