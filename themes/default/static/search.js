// Client-side search over search/index.json: no server, no external service.
// Every query word must match (accents and case ignored); headline matches rank first.
(function () {
  "use strict";
  var script = document.currentScript;
  var input = document.getElementById("search-query");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var records = null;

  function fold(text) {
    return (text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function score(record, words) {
    var title = fold(record.t);
    var rest = fold([record.x, record.s, record.k].join(" "));
    var total = 0;
    for (var i = 0; i < words.length; i++) {
      if (title.indexOf(words[i]) !== -1) { total += 3; }
      else if (rest.indexOf(words[i]) !== -1) { total += 1; }
      else { return 0; }
    }
    return total;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function show(query) {
    list.textContent = "";
    var words = fold(query).split(/\s+/).filter(Boolean);
    if (!words.length) { status.textContent = ""; return; }
    var hits = records
      .map(function (record, order) { return { record: record, score: score(record, words), order: order }; })
      .filter(function (hit) { return hit.score > 0; })
      .sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    status.textContent = hits.length + (hits.length === 1 ? " article" : " articles") + " found";
    hits.slice(0, 50).forEach(function (hit) {
      var item = element("li", "teaser");
      var heading = element("h2", "teaser-title");
      var link = element("a", null, hit.record.t);
      link.href = hit.record.u;
      heading.appendChild(link);
      item.appendChild(heading);
      item.appendChild(element("p", "dateline", hit.record.s + " · " + hit.record.d));
      item.appendChild(element("p", "teaser-summary", hit.record.x));
      list.appendChild(item);
    });
  }

  var query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  fetch(script.dataset.index)
    .then(function (response) { return response.json(); })
    .then(function (data) {
      records = data;
      show(input.value);
      input.addEventListener("input", function () { show(input.value); });
    })
    .catch(function () { status.textContent = "The search index could not be loaded."; });
})();
