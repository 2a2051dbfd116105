// renewcast: progressive enhancement only; every page works without this file.
(function () {
  "use strict";
  // Draw every chart from the JSON the page embeds beside it (plotly.min.js is served by the
  // app). The mode bar stays hidden: on a phone it covered the legend.
  function drawCharts() {
    var boxes = document.querySelectorAll(".plot[data-source]");
    if (!boxes.length) return;
    if (!window.Plotly) { window.setTimeout(drawCharts, 50); return; }
    Array.prototype.forEach.call(boxes, function (box) {
      var data = document.getElementById(box.getAttribute("data-source"));
      if (!data) return;
      var fig = JSON.parse(data.textContent);
      window.Plotly.newPlot(box, fig.data, fig.layout,
        {responsive: true, displaylogo: false, displayModeBar: false});
    });
  }
  // Title suggestions while typing, from /api/search.
  function suggest() {
    var input = document.getElementById("q");
    var list = document.getElementById("suggestions");
    if (!input || !list || !window.fetch) return;
    var timer = null;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) return;
      timer = window.setTimeout(function () {
        fetch("/api/search?limit=8&q=" + encodeURIComponent(q.slice(0, 200)))
          .then(function (r) { return r.ok ? r.json() : {matches: []}; })
          .then(function (body) {
            while (list.firstChild) list.removeChild(list.firstChild);
            body.matches.forEach(function (m) {
              var opt = document.createElement("option");
              opt.value = m.title;  // text only: never HTML
              list.appendChild(opt);
            });
          })
          .catch(function () {});
      }, 150);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { drawCharts(); suggest(); });
})();
