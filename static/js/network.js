/* The network page: draws the alliances given in <script id="network-data" type="application/json">
   with Cytoscape (vendored in static/vendor/cytoscape). Without JavaScript the table below it remains.

   Points are sized by the money of their lines. Only the largest are named, and of those only names that do not
   overlap a larger company's name (a greedy pass, largest first); any other name shows while the pointer is on
   its point. Colours, patterns and shapes come with the data (deals.figures.network). */
(function () {
  "use strict";

  var FONT_SIZE = 12;
  var FONT = FONT_SIZE + "px Helvetica Neue, Helvetica, sans-serif";
  var LABEL_GAP = 4;
  var MIN_SIZE = 12;
  var MAX_SIZE = 30;
  // At most this share of the points, and never fewer than NAMED_AT_LEAST, are named before the overlap pass.
  var NAMED_SHARE = 0.2;
  var NAMED_AT_LEAST = 8;

  function weights(data) {
    var weight = {};
    data.nodes.forEach(function (node) {
      weight[node.id] = 0;
    });
    data.edges.forEach(function (edge) {
      weight[edge.source] += edge.width;
      weight[edge.target] += edge.width;
    });
    return weight;
  }

  function elementsOf(data) {
    var weight = weights(data);
    var heaviest = Math.max.apply(null, Object.values(weight).concat([1]));
    var nodes = data.nodes.map(function (node) {
      return {
        group: "nodes",
        data: {
          id: node.id,
          label: node.label,
          url: node.url,
          colour: node.colour,
          shape: node.shape || "ellipse",
          weight: weight[node.id],
          size: MIN_SIZE + (MAX_SIZE - MIN_SIZE) * Math.sqrt(weight[node.id] / heaviest)
        }
      };
    });
    var edges = data.edges.map(function (edge) {
      return {
        group: "edges",
        data: {
          id: "alliance:" + edge.id,
          source: edge.source,
          target: edge.target,
          width: edge.width,
          colour: edge.colour,
          line: edge.line || "solid",
          label: edge.label
        }
      };
    });
    return nodes.concat(edges);
  }

  /* Where a point's name is drawn, in the drawing's units (`scale`: those units per screen pixel). */
  function labelBox(node, measure, scale) {
    var position = node.position();
    var width = (measure.measureText(node.data("label")).width + 4) * scale;
    var top = position.y + node.data("size") / 2 + LABEL_GAP * scale;
    return { x1: position.x - width / 2, x2: position.x + width / 2, y1: top, y2: top + FONT_SIZE * 1.3 * scale };
  }

  function overlaps(a, b) {
    return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
  }

  /* Names the largest points whose names keep clear of every name already placed and of the larger points.
     Names are drawn FONT_SIZE pixels high at the zoom the drawing opens at. */
  function nameTheLargest(graph) {
    var scale = 1 / graph.zoom();
    graph.style().selector("node").style({ "font-size": FONT_SIZE * scale, "text-margin-y": LABEL_GAP * scale }).update();
    var measure = document.createElement("canvas").getContext("2d");
    measure.font = FONT;
    var byWeight = graph.nodes().sort(function (a, b) {
      return b.data("weight") - a.data("weight") || a.data("label").localeCompare(b.data("label"));
    });
    var candidates = Math.max(NAMED_AT_LEAST, Math.ceil(byWeight.length * NAMED_SHARE));
    var placed = [];
    byWeight.forEach(function (node, rank) {
      if (rank >= candidates) {
        return;
      }
      var box = labelBox(node, measure, scale);
      var clear = placed.every(function (other) {
        return !overlaps(box, other);
      });
      var clearOfPoints = byWeight.slice(0, rank).every(function (other) {
        var half = other.data("size") / 2;
        var p = other.position();
        return !overlaps(box, { x1: p.x - half, x2: p.x + half, y1: p.y - half, y2: p.y + half });
      });
      if (clear && clearOfPoints) {
        placed.push(box);
        node.addClass("named");
      }
    });
  }

  function draw() {
    var source = document.getElementById("network-data");
    var container = document.getElementById("network-graph");
    if (!source || !container || typeof window.cytoscape !== "function") {
      return;
    }
    var data = JSON.parse(source.textContent);
    if (!data.nodes.length) {
      return;
    }
    container.hidden = false;
    var graph = window.cytoscape({
      container: container,
      elements: elementsOf(data),
      style: [
        {
          selector: "node",
          style: {
            label: "",
            shape: "data(shape)",
            "background-color": "data(colour)",
            "border-width": 1.5,
            "border-color": "#1c2430",
            "font-size": FONT_SIZE,
            "font-family": "Helvetica Neue, Helvetica, sans-serif",
            color: "#1c2430",
            "text-valign": "bottom",
            "text-margin-y": LABEL_GAP,
            width: "data(size)",
            height: "data(size)"
          }
        },
        {
          selector: "node.named",
          style: {
            label: "data(label)",
            "text-background-color": "#ffffff",
            "text-background-opacity": 0.75,
            "z-index": 5
          }
        },
        {
          selector: "node.pointed",
          style: {
            label: "data(label)",
            "font-weight": "bold",
            "text-background-color": "#ffffff",
            "text-background-opacity": 0.9,
            "text-background-padding": 2,
            "z-index": 10,
            "border-width": 3
          }
        },
        {
          selector: "edge",
          style: {
            width: "data(width)",
            "line-color": "data(colour)",
            "line-style": "data(line)",
            "line-dash-pattern": [8, 4],
            opacity: 0.7,
            "curve-style": "straight"
          }
        },
        { selector: 'edge[line = "dotted"]', style: { "line-dash-pattern": [2, 4], "line-cap": "round" } },
        { selector: "node:active, node:selected", style: { "border-width": 3, "border-color": "#0b4a6e" } }
      ],
      layout: {
        name: data.nodes.length > 400 ? "circle" : "cose",
        animate: false,
        randomize: false,
        idealEdgeLength: function () {
          return 70;
        },
        nodeRepulsion: function () {
          return 12000;
        },
        nodeOverlap: 12,
        gravity: 0.6,
        // Spread over the box's width, not a square in its middle.
        boundingBox: { x1: 0, y1: 0, w: container.clientWidth, h: container.clientHeight }
      }
    });
    nameTheLargest(graph);
    // Kept on the element so the drawing can be inspected from outside (the browser tests do).
    container.cy = graph;
    graph.on("tap", "node", function (event) {
      window.location.assign(event.target.data("url"));
    });
    graph.on("mouseover", "node", function (event) {
      event.target.addClass("pointed");
      container.style.cursor = "pointer";
    });
    graph.on("mouseout", "node", function (event) {
      event.target.removeClass("pointed");
      container.style.cursor = "";
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
