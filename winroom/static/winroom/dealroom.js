// Deal room charts: the win-rate curve with the cause of every move, and the health radar.
(function () {
  "use strict";
  function curve(el) {
    fetch(el.dataset.url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      const chart = echarts.init(el);
      const points = data.points.map(function (p) { return [p.at, p.rate === null ? null : Math.round(p.rate * 100), p.cause, p.week]; });
      el.dataset.count = String(points.length);
      el.dataset.weekly = String(data.points.filter(function (p) { return p.week; }).length);
      chart.setOption({
        grid: { left: 36, right: 12, top: 16, bottom: 28 },
        tooltip: { trigger: "axis", formatter: function (items) {
          const p = items[0].data;
          return echarts.format.formatTime("yyyy-MM-dd", p[0]) + "<br><b>" + (p[1] === null ? "—" : p[1] + "%") + "</b><br>" + (p[2] || "");
        } },
        xAxis: { type: "time", minInterval: 24 * 3600 * 1000, axisLabel: { formatter: "{MM}-{dd}", hideOverlap: true } },
        yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
        series: [{ type: "line", step: "end", data: points, connectNulls: false, symbolSize: 6, areaStyle: { opacity: 0.08 } }],
      });
      window.addEventListener("resize", function () { chart.resize(); });
      el.dataset.ready = "1";
    });
  }
  function radar(el) {
    const rows = JSON.parse(document.getElementById("health-data").textContent);
    const chart = echarts.init(el);
    chart.setOption({
      tooltip: {},
      radar: { indicator: rows.map(function (r) { return { name: r.label, max: 100 }; }), radius: "55%", center: ["50%", "52%"], axisName: { fontSize: 10, width: 70, overflow: "break" } },
      series: [{ type: "radar", data: [
        { name: el.dataset.actual || "actual", value: rows.map(function (r) { return r.actual; }), areaStyle: { opacity: 0.25 } },
        { name: el.dataset.standard || "standard", value: rows.map(function (r) { return r.standard; }), lineStyle: { type: "dashed" } },
      ] }],
    });
    el.dataset.ready = "1";
  }
  function decisionGraph(el) {
    const data = JSON.parse(document.getElementById("decision-graph-data").textContent);
    if (!data.nodes.length) { el.style.display = "none"; return; }
    const chart = echarts.init(el);
    chart.setOption({
      tooltip: { formatter: function (p) { return p.data.name ? p.data.name + (p.data.role ? " · " + p.data.role : "") : ""; } },
      series: [{
        type: "graph", layout: "force", roam: true, draggable: true,
        force: { repulsion: 220, edgeLength: [40, 90], gravity: 0.12 },
        edgeSymbol: ["none", "arrow"], edgeSymbolSize: 6,
        lineStyle: { color: "#aab3c0" },
        label: { show: true, position: "bottom", fontSize: 11, formatter: function (p) { return p.data.name + (p.data.coach ? " ★" : ""); } },
        data: data.nodes.map(function (n) {
          return { id: n.id, name: n.name, role: n.role, coach: n.coach, symbol: n.symbol,
                   symbolSize: n.mapped ? 18 : 10, itemStyle: { color: n.colour } };
        }),
        links: data.edges,
      }],
    });
    el.dataset.ready = "1";
  }
  document.addEventListener("DOMContentLoaded", function () {
    const g = document.getElementById("decision-graph");
    if (g) decisionGraph(g);
    const c = document.getElementById("curve");
    if (c) curve(c);
    const r = document.getElementById("radar");
    if (r) radar(r);
  });
})();
