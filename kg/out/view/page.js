// The graph page: network, legend-coloured filters, search and the fact panel.
// Everything that came from an article is set with textContent, never as HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }
  // vis shows a tooltip element as it is: hand it one whose text was set with textContent.
  data.nodes.forEach(function (n) { if (n.title) { n.title = el("div", n.title); } });
  data.edges.forEach(function (e, i) { e.id = "e" + i; if (e.title) { e.title = el("div", e.title); } });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var hiddenKinds = {};
  var hiddenRelations = {};
  // The span of dates shown (the from/to fields): a fact or event is shown when the days the articles
  // attest it overlap the span; what has no full date (no year) is always shown.
  var span = { from: "", to: "" };
  function fullDates(dates) { return (dates || []).filter(function (d) { return /^\d{4}-\d\d-\d\d$/.test(d); }); }
  // A post still held by the latest article (ongoing) runs on past its last attestation.
  function inSpan(dates, ongoing) {
    var days = fullDates(dates).sort();
    if (!days.length || (!span.from && !span.to)) { return true; }
    return (!span.to || days[0] <= span.to) && (!span.from || ongoing || days[days.length - 1] >= span.from);
  }
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return !hiddenKinds[n.kind] && inSpan(n.dates); } });
  var edgeView = new vis.DataView(edges, { filter: function (e) {
    return !hiddenRelations[e.relation] && inSpan(e.dates, e.ongoing);
  } });
  ["from", "to"].forEach(function (end) {
    document.getElementById("date-" + end).addEventListener("change", function (event) {
      span[end] = event.target.value;
      nodeView.refresh();
      edgeView.refresh();
    });
  });
  var network = new vis.Network(document.getElementById("graph"), { nodes: nodeView, edges: edgeView },
                                data.options);
  var started = performance.now();
  network.once("stabilizationIterationsDone", function () {
    // Stop the physics once laid out: a still page stays responsive on large graphs.
    network.setOptions({ physics: false });
    window.kgStabilizedMs = performance.now() - started;
  });

  // Filters: one checkbox per entity type (with its legend colour) and per relation present.
  function checkbox(container, name, color, hidden, refresh) {
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = name;
    box.addEventListener("change", function () { hidden[name] = !box.checked; refresh.refresh(); });
    label.appendChild(box);
    if (color) { var swatch = el("span", undefined, "swatch"); swatch.style.background = color; label.appendChild(swatch); }
    label.appendChild(el("span", name));
    container.appendChild(label);
  }
  var kindsPresent = {};
  data.nodes.forEach(function (n) { kindsPresent[n.kind] = true; });
  var relationsPresent = {};
  data.edges.forEach(function (e) { relationsPresent[e.relation] = true; });
  data.legend.forEach(function (item) {
    if (kindsPresent[item.name]) { checkbox(document.getElementById("type-filters"), item.name, item.color, hiddenKinds, nodeView); }
  });
  data.relations.forEach(function (name) {
    if (relationsPresent[name]) { checkbox(document.getElementById("relation-filters"), name, null, hiddenRelations, edgeView); }
  });

  // The panel: a node's names, then every relation it takes part in, each with its evidence.
  var panel = document.getElementById("panel");
  function showPanel(id) {
    var node = nodes.get(id);
    if (!node) { return; }
    document.getElementById("panel-title").textContent = node.fullLabel;
    document.getElementById("panel-kind").textContent = node.kind;
    var meta = [];
    if (node.aliases.length) { meta.push("又称 also: " + node.aliases.join("、")); }
    if (node.dates.length) { meta.push("日期 date: " + node.dates.join("、")); }
    meta.push((data.size === "pagerank" ? "PageRank: " : "度 degree: ") + node.importance);
    document.getElementById("panel-meta").textContent = meta.join(" · ");
    var list = document.getElementById("panel-facts");
    list.replaceChildren();
    var facts = edges.get({ filter: function (e) { return e.from === id || e.to === id; } });
    facts.sort(function (a, b) { return a.relation < b.relation ? -1 : a.relation > b.relation ? 1 : 0; });
    facts.forEach(function (fact) {
      var outgoing = fact.from === id;
      var other = nodes.get(outgoing ? fact.to : fact.from);
      var item = el("li", undefined, "fact");
      var arrow = fact.arrows === "" ? " — " : (outgoing ? " → " : " ← ");
      item.appendChild(el("span", fact.relation + arrow, "relation"));
      var link = el("span", other ? other.fullLabel : "?", "other");
      link.addEventListener("click", function () { focusNode(other.id); });
      item.appendChild(link);
      fact.evidence.forEach(function (ev) {
        var quote = el("blockquote", "「" + ev.sentence + "」", "evidence");
        quote.appendChild(el("div", "— " + ev.article + (ev.date ? " · " + ev.date : ""), "source"));
        item.appendChild(quote);
      });
      list.appendChild(item);
    });
    if (!facts.length) { list.appendChild(el("li", "(无 none)")); }
    showTimeline(id, facts);
    panel.hidden = false;
  }

  // A node's posts and events on one time axis: a post from the first to the last day an article attests
  // it, an event at its date; only what has full dates.
  function showTimeline(id, facts) {
    var rows = [];
    facts.forEach(function (fact) {
      var other = nodes.get(fact.from === id ? fact.to : fact.from);
      if (!other) { return; }
      var isEvent = fullDates(other.dates).length > 0;
      var days = (isEvent ? fullDates(other.dates) : fullDates(fact.dates)).sort();
      if (days.length) {
        rows.push({ label: fact.relation.split(" ")[0] + " " + other.fullLabel, first: days[0],
                    last: days[days.length - 1], event: isEvent, ongoing: !isEvent && fact.ongoing });
      }
    });
    var section = document.getElementById("panel-timeline");
    var list = document.getElementById("timeline");
    list.replaceChildren();
    section.hidden = !rows.length;
    if (!rows.length) { return; }
    rows.sort(function (a, b) { return a.first < b.first ? -1 : a.first > b.first ? 1 : a.label < b.label ? -1 : 1; });
    var lo = Date.parse(rows[0].first);
    var hi = Math.max.apply(null, rows.map(function (r) { return Date.parse(r.last); }));
    var range = Math.max(hi - lo, 1);
    rows.forEach(function (row) {
      var item = el("li", undefined, row.event ? "event" : "post");
      item.appendChild(el("div", row.label));
      var when = row.first === row.last ? row.first : row.first + " – " + row.last;
      item.appendChild(el("div", row.ongoing ? when + "（现任 still held）" : when, "when"));
      var track = el("div", undefined, "track");
      var bar = el("div", undefined, "bar");
      var left = 100 * (Date.parse(row.first) - lo) / range;
      bar.style.left = Math.min(left, 98.5) + "%";  // a dot at the axis's end stays on the track
      // a post still held runs to the axis's end
      bar.style.width = (row.ongoing ? 100 - left : 100 * (Date.parse(row.last) - Date.parse(row.first)) / range) + "%";
      track.appendChild(bar);
      item.appendChild(track);
      list.appendChild(item);
    });
  }
  document.getElementById("panel-close").addEventListener("click", function () { panel.hidden = true; });
  network.on("click", function (params) {
    if (params.nodes.length) { showPanel(params.nodes[0]); } else { panel.hidden = true; }
  });

  // Search by any name: the label or an alias, exact first, else a part of a label.
  var names = document.getElementById("names");
  var byName = {};
  data.nodes.forEach(function (n) {
    [n.fullLabel].concat(n.aliases).forEach(function (name) {
      (byName[name] = byName[name] || []).push(n.id);
    });
  });
  Object.keys(byName).sort().forEach(function (name) { var o = el("option"); o.value = name; names.appendChild(o); });
  function focusNode(id) {
    var node = nodes.get(id);
    if (hiddenKinds[node.kind]) {
      hiddenKinds[node.kind] = false;
      document.querySelectorAll("#type-filters input").forEach(function (box) { if (box.value === node.kind) { box.checked = true; } });
      nodeView.refresh();
    }
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: false });
    showPanel(id);
  }
  function search(text) {
    var status = document.getElementById("search-status");
    text = text.trim();
    if (!text) { status.textContent = ""; return null; }
    var ids = byName[text];
    if (!ids) {
      ids = data.nodes.filter(function (n) { return n.fullLabel.indexOf(text) >= 0; }).map(function (n) { return n.id; });
    }
    if (!ids.length) { status.textContent = "没有找到 not found: " + text; return null; }
    status.textContent = ids.length > 1 ? ids.length + " 个匹配 matches; showing the first" : "";
    focusNode(ids[0]);
    return ids[0];
  }
  document.getElementById("search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    search(document.getElementById("search").value);
  });

  window.kgNetwork = network;
  window.kgNodeCount = nodes.length;
  window.kgSearch = search;
})();
