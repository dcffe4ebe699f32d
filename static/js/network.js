/* The network page: draws the alliances given in <script id="network-data" type="application/json">
   with Cytoscape (vendored in static/vendor/cytoscape). Without JavaScript the table below it remains. */
(function () {
  "use strict";

  function elementsOf(data) {
    var nodes = data.nodes.map(function (node) {
      return {
        group: "nodes",
        data: {
          id: node.id,
          label: node.label,
          url: node.url,
          colour: node.colour
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
          label: edge.label
        }
      };
    });
    return nodes.concat(edges);
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
            label: "data(label)",
            "background-color": "data(colour)",
            "font-size": 11,
            "text-valign": "bottom",
            "text-margin-y": 4,
            width: 14,
            height: 14
          }
        },
        {
          selector: "edge",
          style: {
            width: "data(width)",
            "line-color": "data(colour)",
            opacity: 0.75,
            "curve-style": "haystack"
          }
        },
        { selector: "node:active, node:selected", style: { "border-width": 3, "border-color": "#0b4a6e" } }
      ],
      layout: { name: data.nodes.length > 400 ? "circle" : "cose", animate: false, randomize: false }
    });
    // Kept on the element so the drawing can be inspected from outside (the browser tests do).
    container.cy = graph;
    graph.on("tap", "node", function (event) {
      window.location.assign(event.target.data("url"));
    });
    graph.on("mouseover", "node", function () {
      container.style.cursor = "pointer";
    });
    graph.on("mouseout", "node", function () {
      container.style.cursor = "";
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
