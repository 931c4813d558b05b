// The account's org chart: contacts' reporting tree drawn with ECharts (served by the app).
(function () {
  "use strict";

  function buildForest(nodes, accountName) {
    const byId = new Map();
    nodes.forEach(function (n) {
      byId.set(n.id, {
        name: n.name,
        value: n.id,
        url: n.url,
        title: n.title,
        department: n.department,
        statusLabel: n.status_label,
        children: [],
        itemStyle: { color: n.colour, borderColor: n.colour },
        label: { formatter: n.title ? n.name + "\n{t|" + n.title + "}" : n.name },
      });
    });
    const roots = [];
    nodes.forEach(function (n) {
      const node = byId.get(n.id);
      const parent = n.reports_to != null ? byId.get(n.reports_to) : null;
      (parent ? parent.children : roots).push(node);
    });
    // several people at the top (or none with a manager) hang under the account itself
    return {
      name: accountName,
      value: null,
      itemStyle: { color: "#1f3b5c", borderColor: "#1f3b5c" },
      symbol: "roundRect",
      symbolSize: 12,
      children: roots,
    };
  }

  function countLeaves(node) {
    if (!node.children || node.children.length === 0) return 1;
    return node.children.reduce(function (s, c) { return s + countLeaves(c); }, 0);
  }

  function render(el) {
    fetch(el.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        el.dataset.count = String(data.nodes.length);
        if (data.nodes.length === 0) {
          el.style.height = "auto";
          el.innerHTML = '<p class="text-muted p-3 mb-0">' + el.dataset.empty + "</p>";
          return;
        }
        const tree = buildForest(data.nodes, data.account);
        const leaves = countLeaves(tree);
        const wide = leaves > 8;
        el.style.height = (wide ? Math.max(420, leaves * 24) : 420) + "px";
        let chart = echarts.getInstanceByDom(el);
        if (!chart) {
          el.innerHTML = "";
          chart = echarts.init(el, null, { renderer: "canvas" });
          chart.on("click", function (params) {
            if (params.data && params.data.url) window.location.href = params.data.url;
          });
          window.addEventListener("resize", function () { chart.resize(); });
        } else {
          chart.resize();
        }
        chart.setOption({
          tooltip: {
            trigger: "item",
            formatter: function (p) {
              const d = p.data;
              if (!d.url) return d.name;
              return [d.name, d.title, d.department, d.statusLabel].filter(Boolean).join("<br>");
            },
          },
          series: [{
            type: "tree",
            data: [tree],
            orient: wide ? "LR" : "TB",
            top: wide ? 10 : 40,
            bottom: wide ? 10 : 60,
            left: wide ? 80 : 20,
            right: wide ? 160 : 20,
            symbol: "circle",
            symbolSize: 11,
            roam: true,
            initialTreeDepth: -1,
            expandAndCollapse: true,
            animationDuration: 300,
            label: {
              position: wide ? "left" : "top",
              verticalAlign: "middle",
              align: wide ? "right" : "center",
              fontSize: 12,
              lineHeight: 16,
              distance: 6,
              rich: { t: { color: "#6c757d", fontSize: 11, lineHeight: 15 } },
            },
            leaves: { label: { position: wide ? "right" : "bottom", align: wide ? "left" : "center" } },
          }],
        }, true);
        el.dataset.ready = "1";
      })
      .catch(function () {
        el.innerHTML = '<p class="text-danger p-3 mb-0">⚠</p>';
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const el = document.getElementById("orgchart");
    if (!el) return;
    render(el);
    document.body.addEventListener("orgchart-changed", function () { render(el); });
  });
})();
