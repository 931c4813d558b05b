// The lead funnel: leads in → touched → qualified → won, from the page's own numbers.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    const el = document.getElementById("lead-funnel");
    if (!el) return;
    const stages = JSON.parse(document.getElementById("lead-funnel-data").textContent);
    const first = stages.length ? stages[0].value : 0;
    const chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "item", formatter: function (p) {
        const share = first ? Math.round((p.value / first) * 1000) / 10 + "%" : "—";
        return p.name + ": <b>" + p.value + "</b> (" + share + ")";
      } },
      series: [{
        type: "funnel", sort: "none", left: "8%", right: "8%", top: 8, bottom: 8, minSize: "8%",
        label: { show: true, position: "inside", formatter: "{b}: {c}" },
        data: stages,
      }],
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.ready = "1";
  });
})();
