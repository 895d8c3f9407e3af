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
    if (!span.from && !span.to) { return true; }
    var days = fullDates(dates).sort();
    if (!days.length) { return true; }
    return (!span.to || days[0] <= span.to) && (!span.from || ongoing || days[days.length - 1] >= span.from);
  }
  // Articles and entities related only to articles are hidden until the toggle shows them.
  var showMinor = data.showMinor;
  document.getElementById("show-minor").checked = showMinor;
  var nodeView = new vis.DataView(nodes, { filter: function (n) {
    return (showMinor || !n.minor) && !hiddenKinds[n.kind] && inSpan(n.dates);
  } });
  var edgeView = new vis.DataView(edges, { filter: function (e) {
    return !hiddenRelations[e.relation] && inSpan(e.dates, e.ongoing);
  } });
  ["from", "to"].forEach(function (end) {
    document.getElementById("date-" + end).addEventListener("change", function (event) {
      span[end] = event.target.value;
      nodeView.refresh();
      edgeView.refresh();
      invalidateEdges();
    });
  });
  document.getElementById("show-minor").addEventListener("change", function (event) {
    showMinor = event.target.checked;
    nodeView.refresh();
    invalidateEdges();
  });
  var network = new vis.Network(document.getElementById("graph"), { nodes: nodeView, edges: edgeView },
                                data.options);
  // Large graphs: vis draws no edge (each costs a stroke of its own: 300 ms a frame at 15,000). They are
  // drawn here before vis draws the nodes, as one cached path per colour (rebuilt only when a filter, the
  // colouring or a node's place changes), skipping filtered relations and nodes not shown; the selected
  // node's edges are drawn on top, thicker, with their relation's name.
  var edgePaths = null;
  function invalidateEdges() { edgePaths = null; }
  if (data.batchEdges) {
    var bodyNodes = network.body.nodes;
    var communityOf = {};
    data.nodes.forEach(function (n) { communityOf[n.id] = n.community; });
    var edgesOf = {};
    data.edges.forEach(function (e) {
      (edgesOf[e.from] = edgesOf[e.from] || []).push(e);
      (edgesOf[e.to] = edgesOf[e.to] || []).push(e);
    });
    var shown = function (e) {  // a node the view hides is not in bodyNodes
      return bodyNodes[e.from] && bodyNodes[e.to] && !hiddenRelations[e.relation] && inSpan(e.dates, e.ongoing);
    };
    var buildPaths = function () {
      var paths = {};
      var drawn = 0;
      data.edges.forEach(function (e) {
        if (!shown(e)) { return; }
        var a = bodyNodes[e.from], b = bodyNodes[e.to];
        // edges within a community drawn stronger than those between: the communities stand out
        var colour = a.options.color.background + (communityOf[e.from] === communityOf[e.to] ? "" : " between");
        var path = paths[colour] = paths[colour] || new Path2D();
        path.moveTo(a.x, a.y);
        path.lineTo(b.x, b.y);
        drawn += 1;
      });
      window.kgEdgesDrawn = drawn;
      return paths;
    };
    network.on("dragging", function (params) { if (params.nodes.length) { invalidateEdges(); } });
    network.on("beforeDrawing", function (ctx) {
      edgePaths = edgePaths || buildPaths();
      var scale = network.getScale();
      ctx.save();
      ctx.lineWidth = Math.max(1, 0.7 / scale);  // still visible when zoomed out
      Object.keys(edgePaths).forEach(function (key) {
        var parts = key.split(" ");
        ctx.globalAlpha = parts.length > 1 ? 0.12 : 0.5;
        ctx.strokeStyle = parts[0];
        ctx.stroke(edgePaths[key]);
      });
      ctx.globalAlpha = 1;
      ctx.lineWidth = Math.max(2, 2 / scale);
      ctx.strokeStyle = "#1a4f8b";
      ctx.fillStyle = "#1a4f8b";
      ctx.font = Math.round(12 / Math.max(scale, 0.3)) + "px Noto Sans CJK SC, sans-serif";
      ctx.textAlign = "center";
      network.getSelectedNodes().forEach(function (id) {
        (edgesOf[id] || []).filter(shown).forEach(function (e) {
          var a = bodyNodes[e.from], b = bodyNodes[e.to];
          ctx.beginPath();
          ctx.moveTo(a.x, a.y);
          ctx.lineTo(b.x, b.y);
          ctx.stroke();
          ctx.fillText(e.label, (a.x + b.x) / 2, (a.y + b.y) / 2);
        });
      });
      ctx.restore();
    });
  }

  // Laid out in Python, physics off: the first frame drawn is the laid-out graph (timed from navigation).
  network.once("afterDrawing", function () { window.kgFirstPaintMs = performance.now(); });

  // Colour by type (the legend) or by community (Louvain, computed with the layout).
  var PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                 "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd"];
  document.getElementById("colour-by").addEventListener("change", function (event) {
    var byCommunity = event.target.value === "community";
    nodes.update(data.nodes.map(function (n) {
      return { id: n.id, color: byCommunity ? PALETTE[n.community % PALETTE.length] : n.typeColor };
    }));
    invalidateEdges();
  });

  // Filters: one checkbox per entity type (with its legend colour) and per relation present.
  function checkbox(container, name, color, hidden, refresh) {
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.value = name;
    box.addEventListener("change", function () { hidden[name] = !box.checked; refresh.refresh(); invalidateEdges(); });
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
    var heading = null;
    facts.forEach(function (fact) {
      var outgoing = fact.from === id;
      var other = nodes.get(outgoing ? fact.to : fact.from);
      if (fact.relation !== heading) {  // one group per relation: posts, meetings, events, ...
        heading = fact.relation;
        list.appendChild(el("li", fact.relation, "group"));
      }
      var item = el("li", undefined, "fact");
      var arrow = fact.arrows === "" ? " — " : (outgoing ? " → " : " ← ");
      item.appendChild(el("span", fact.relation + arrow, "relation"));
      var link = el("span", other ? other.fullLabel : "?", "other");
      link.addEventListener("click", function () { focusNode(other.id); });
      item.appendChild(link);
      var days = fullDates(other && other.dates.length ? other.dates : fact.dates).sort();
      if (days.length) {
        var when = days[0] === days[days.length - 1] ? days[0] : days[0] + " – " + days[days.length - 1];
        item.appendChild(el("span", " " + when + (fact.ongoing ? "（现任 still held）" : ""), "when"));
      }
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
    if (node.minor && !showMinor) {
      showMinor = true;
      document.getElementById("show-minor").checked = true;
      nodeView.refresh();
      invalidateEdges();
    }
    if (hiddenKinds[node.kind]) {
      hiddenKinds[node.kind] = false;
      document.querySelectorAll("#type-filters input").forEach(function (box) { if (box.value === node.kind) { box.checked = true; } });
      nodeView.refresh();
      invalidateEdges();
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
