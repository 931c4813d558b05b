// The account's org chart: the contacts' reporting tree with the political map over it
// (influence circles and influence lines), drawn by politicalmap.js from one JSON request.
(function () {
  "use strict";

  function spec(data, el) {
    return {
      root: { name: data.account },
      strengthLabel: el.dataset.strengthLabel || "",
      nodes: data.nodes.map(function (n) {
        return {
          id: String(n.id),
          name: n.name,
          parent: n.reports_to != null ? String(n.reports_to) : null,
          colour: n.colour,
          url: n.url,
          label: n.title ? n.name + "\n{t|" + n.title + "}" : n.name,
          tip: [n.name, n.title, n.department, n.status_label].filter(Boolean).join("<br>"),
        };
      }),
      circles: data.circles || [],
      influence: data.influence || [],
    };
  }

  function render(el) {
    fetch(el.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        el.dataset.count = String(data.nodes.length);
        if (data.nodes.length === 0) {
          const chart = echarts.getInstanceByDom(el);
          if (chart) chart.dispose();
          el.style.height = "auto";
          el.innerHTML = '<p class="text-muted p-3 mb-0">' + el.dataset.empty + "</p>";
          el.dataset.ready = "1";
          return;
        }
        window.WinroomPoliticalMap.render(el, spec(data, el));
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
    document.body.addEventListener("orgchart-changed", function () {
      delete el.dataset.ready;
      render(el);
    });
  });
})();
