// The political map (政治版图) drawn over a reporting tree, with ECharts' graph series:
// people are placed by their reporting lines (a tidy tree), reporting lines are thin grey
// lines, influence lines are curved arrows whose width is the strength (1–3), and each
// influence circle is a coloured ring (with a soft halo) around its members — a person in
// two circles wears two rings. The legend toggles circles. Used by the account page's org
// chart and by every deal's decision map.
(function () {
  "use strict";

  const REPORTS = "#aab3c0";
  const INFLUENCE = "#c2255c";

  function rgba(hex, alpha) {
    const n = parseInt(hex.slice(1), 16);
    return "rgba(" + ((n >> 16) & 255) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha + ")";
  }

  // spec.nodes: [{id, name, parent, colour, symbol, size, url, tip, label}] (ids are strings);
  // spec.root: {name} to hang every top person under one root node (the account), or null.
  function layout(spec) {
    const byId = new Map();
    spec.nodes.forEach(function (n) { byId.set(n.id, { node: n, children: [] }); });
    const roots = [];
    if (spec.root) byId.set("root", { node: spec.root, children: [] });
    spec.nodes.forEach(function (n) {
      const parent = n.parent != null && byId.has(n.parent) && n.parent !== n.id ? byId.get(n.parent) : null;
      if (parent) parent.children.push(byId.get(n.id));
      else if (spec.root) byId.get("root").children.push(byId.get(n.id));
      else roots.push(byId.get(n.id));
    });
    const tops = spec.root ? [byId.get("root")] : roots;
    let leaves = 0;
    const count = function (t) {
      if (!t.children.length) { leaves += 1; return; }
      t.children.forEach(count);
    };
    tops.forEach(count);
    const wide = leaves > 8;
    let cursor = 0;
    const place = function (t, depth, seen) {
      if (seen.has(t)) return;
      seen.add(t);
      t.depth = depth;
      if (!t.children.length) { t.pos = cursor; cursor += 1; return; }
      t.children.forEach(function (c) { place(c, depth + 1, seen); });
      t.pos = (t.children[0].pos + t.children[t.children.length - 1].pos) / 2;
    };
    const seen = new Set();
    tops.forEach(function (t) { place(t, 0, seen); });
    const positions = new Map();
    byId.forEach(function (t, id) {
      if (t.pos === undefined) return;
      positions.set(id, wide ? { x: t.depth * 220, y: t.pos * 46 } : { x: t.pos * 120, y: t.depth * 110 });
    });
    return { positions: positions, byId: byId, wide: wide, leaves: leaves };
  }

  function option(spec) {
    const placed = layout(spec);
    const circles = spec.circles || [];
    const memberships = new Map();
    circles.forEach(function (c, index) {
      c.members.forEach(function (m) {
        const key = String(m);
        if (!memberships.has(key)) memberships.set(key, []);
        memberships.get(key).push(index);
      });
    });
    const data = [];
    // rings first, so that people are drawn on top of them
    placed.positions.forEach(function (p, id) {
      const t = placed.byId.get(id);
      const size = t.node.size || 11;
      (memberships.get(id) || []).forEach(function (index, k) {
        const c = circles[index];
        data.push({
          id: "ring:" + c.id + ":" + id, name: c.name, ring: true, circle: c.id, category: index,
          x: p.x, y: p.y, symbol: "circle", symbolSize: size + 10 + k * 8,
          itemStyle: { color: rgba(c.colour, 0.12), borderColor: c.colour, borderWidth: 2.5 },
          label: { show: false }, emphasis: { disabled: true },
        });
      });
    });
    placed.positions.forEach(function (p, id) {
      const t = placed.byId.get(id);
      const n = t.node;
      const isRoot = id === "root";
      data.push({
        id: id, name: n.name, x: p.x, y: p.y, url: n.url, tip: n.tip,
        symbol: isRoot ? "roundRect" : (n.symbol || "circle"),
        symbolSize: isRoot ? 12 : (n.size || 11),
        itemStyle: { color: isRoot ? "#1f3b5c" : (n.colour || "#8a94a6") },
        label: { formatter: n.label || n.name },
      });
    });
    const links = [];
    placed.byId.forEach(function (t, id) {
      t.children.forEach(function (c) {
        const childId = c.node.id === undefined ? null : String(c.node.id);
        if (childId === null) return;
        links.push({
          source: id, target: childId, kind: "reports",
          lineStyle: { color: REPORTS, width: 1.5, curveness: 0, type: "solid" },
          symbol: ["none", "none"],
        });
      });
    });
    (spec.influence || []).forEach(function (line) {
      const source = String(line.source), target = String(line.target);
      if (!placed.positions.has(source) || !placed.positions.has(target)) return;
      links.push({
        source: source, target: target, kind: "influence", strength: line.strength,
        tip: line.source_name + " → " + line.target_name + " · " + (spec.strengthLabel || "") + " " + line.strength
          + (line.note ? "<br>" + line.note : ""),
        lineStyle: { color: INFLUENCE, width: 0.5 + 1.5 * line.strength, curveness: 0.3, opacity: 0.85, type: "solid" },
        symbol: ["none", "arrow"], symbolSize: [0, 6 + 2 * line.strength],
      });
    });
    const wide = placed.wide;
    return {
      wide: wide,
      leaves: placed.leaves,
      option: {
        tooltip: {
          trigger: "item",
          formatter: function (p) {
            const d = p.data;
            if (p.dataType === "edge") return d.kind === "influence" ? d.tip : "";
            if (d.ring) return d.name;
            return d.tip || d.name;
          },
        },
        legend: circles.length ? [{ data: circles.map(function (c) { return c.name; }), top: 0, type: "scroll" }] : [],
        series: [{
          type: "graph", layout: "none", roam: true, draggable: false,
          top: circles.length ? 40 : 30, bottom: 40, left: wide ? 60 : 40, right: wide ? 140 : 40,
          categories: circles.map(function (c) { return { name: c.name, itemStyle: { color: c.colour } }; }),
          label: {
            show: true, position: wide ? "right" : "bottom", fontSize: 12, lineHeight: 15,
            rich: { t: { color: "#6c757d", fontSize: 11, lineHeight: 14 } },
          },
          edgeSymbol: ["none", "none"],
          emphasis: { focus: "none" },
          data: data,
          links: links,
        }],
      },
    };
  }

  // draw (or redraw) spec into el; returns the chart
  function render(el, spec) {
    const built = option(spec);
    const height = built.wide ? Math.max(420, built.leaves * 30) : 440;
    el.style.height = height + "px";
    let chart = echarts.getInstanceByDom(el);
    if (!chart) {
      el.innerHTML = "";
      chart = echarts.init(el, null, { renderer: "canvas" });
      chart.on("click", function (params) {
        if (params.dataType === "node" && params.data && params.data.url) window.location.href = params.data.url;
      });
      window.addEventListener("resize", function () { chart.resize(); });
    } else {
      chart.resize();
    }
    chart.setOption(built.option, true);
    el.dataset.circles = String((spec.circles || []).length);
    el.dataset.influence = String((spec.influence || []).length);
    return chart;
  }

  window.WinroomPoliticalMap = { option: option, render: render };
})();
