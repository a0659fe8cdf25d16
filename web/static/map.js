// Draws every match of the page's search on a Leaflet map. The matches
// come from the search's GeoJSON address (read in the background; for a
// search with more matches than one answer holds, again for the part of
// the world in view after each move); markers at one place gather into
// clusters with their count, and a cluster whose markers share a point
// spreads them out when opened. The background needs no internet (see
// mapback.js). A tile server, when the instance
// has one, is drawn on top of it. The list under the map shows the same
// search without JavaScript and is the keyboard's path to every entry:
// markers are not Tab stops (see docs/WEB.md).
(function () {
  "use strict";
  var box = document.getElementById("map");
  var island = document.getElementById("map-data");
  var status = document.getElementById("map-status");
  if (!box || !island || !window.L || !L.markerClusterGroup) return;
  var data = JSON.parse(island.textContent);
  box.textContent = "";

  // Clusters are markers too: keep them out of the Tab order.
  L.MarkerCluster.mergeOptions({keyboard: false});

  var map = L.map(box, {scrollWheelZoom: false, minZoom: 1, maxZoom: 18});
  coopdirMap.panes(map);
  var drawBackground = once(function () { coopdirMap.background(map, data.background || {}); });
  if (data.tiles && data.tiles.url) {
    L.tileLayer(data.tiles.url, {maxZoom: 19, attribution: coopdirMap.escapeHTML(data.tiles.attribution || "")}).addTo(map);
  }
  var circle = null;
  if (data.near) {
    circle = L.circle([data.near.lat, data.near.lon], {radius: data.near.km * 1000, fill: false, weight: 1, interactive: false}).addTo(map);
  }
  var clusters = L.markerClusterGroup({showCoverageOnHover: false, maxClusterRadius: 48, spiderfyOnMaxZoom: true});
  map.addLayer(clusters);
  map.setView([20, 0], 2);

  var seq = 0, timer = 0;
  load("", true);

  // load reads the matches (inside bbox when given) and draws them; the
  // first answer also places the map.
  function load(bbox, first) {
    var n = ++seq;
    say(coopdirText("Loading the places of the results…"));
    var url = data.geojson + (bbox ? "&bbox=" + bbox : "");
    fetch(url, {headers: {Accept: "application/geo+json"}, credentials: "same-origin"}).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (fc) {
      if (n !== seq) return; // a newer request is on its way
      draw(fc.features || []);
      if (first) {
        place(fc.features || []);
        drawBackground();
        if (fc.truncated) map.on("moveend", moved);
      }
      describe(fc, bbox);
    }).catch(function () {
      if (first) drawBackground();
      if (n === seq) say(coopdirText("The map could not load the places of the results. They are listed below."));
    });
  }

  function moved() {
    clearTimeout(timer);
    timer = setTimeout(function () { load(coopdirMap.viewBox(map)); }, 300);
  }

  function draw(features) {
    clusters.clearLayers();
    var markers = [];
    features.forEach(function (f) {
      var c = f.geometry && f.geometry.coordinates;
      if (!c) return;
      var p = f.properties || {};
      var m = L.marker([c[1], c[0]], {title: p.name, alt: p.name, keyboard: false});
      m.bindPopup(popup(p));
      markers.push(m);
    });
    clusters.addLayers(markers);
  }

  // place shows every result. Without tiles the background has no
  // streets: closer than zoom 7 it would show only a blank of land.
  function place(features) {
    var points = features.map(function (f) { return [f.geometry.coordinates[1], f.geometry.coordinates[0]]; });
    var closest = data.tiles && data.tiles.url ? 14 : 7;
    if (circle) {
      map.fitBounds(circle.getBounds(), {padding: [24, 24]});
    } else if (points.length > 1) {
      map.fitBounds(points, {padding: [24, 24], maxZoom: closest});
    } else if (points.length === 1) {
      map.setView(points[0], Math.min(12, closest));
    }
  }

  function describe(fc, bbox) {
    var n = (fc.features || []).length, count = n.toLocaleString(document.documentElement.lang || undefined);
    var here = bbox ? " in this part of the map" : "";
    if (fc.truncated) {
      say(coopdirText("The map shows the newest %s results" + here + ", not all: zoom in to see the others.", count));
    } else if (n === 1) {
      say(coopdirText("1 result has a place on the map" + here + "."));
    } else {
      say(coopdirText("%s results have a place on the map" + here + ".", count));
    }
  }

  function say(text) { if (status) status.textContent = text; }

  // popup builds the popup of a marker with DOM nodes, so that no text from
  // the directory is ever parsed as HTML.
  function popup(p) {
    var div = document.createElement("div");
    var a = document.createElement("a");
    a.href = p.url;
    a.textContent = p.name;
    div.appendChild(a);
    var meta = [p.label, p.enterprise, p.address].filter(Boolean).join(" · ");
    if (meta) {
      var el = document.createElement("p");
      el.textContent = meta;
      div.appendChild(el);
    }
    return div;
  }

  function once(fn) {
    var done = false;
    return function () {
      if (!done && window.topojson) {
        done = true;
        fn();
      }
    };
  }
})();
