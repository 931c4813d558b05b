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
    // the account's reporting lines with its political map (circles, influence) over them
    window.WinroomPoliticalMap.render(el, {
      root: null,
      strengthLabel: el.dataset.strengthLabel || "",
      nodes: data.nodes.map(function (n) {
        return {
          id: n.id, name: n.name, parent: n.parent, colour: n.colour, symbol: n.symbol,
          size: n.mapped ? 18 : 10, label: n.name + (n.coach ? " ★" : ""),
          tip: n.name + (n.role ? " · " + n.role : ""),
        };
      }),
      circles: data.circles || [],
      influence: data.influence || [],
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
