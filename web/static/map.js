// Draws every match of the page's search on a Leaflet map. The matches
// come from the search's GeoJSON address (read in the background; for a
// search with more matches than one answer holds, again for the part of
// the world in view after each move); markers at one place gather into
// clusters with their count, and a cluster whose markers share a point
// spreads them out when opened. The background needs no internet: Natural
// Earth's countries and the US Census Bureau's states, served by this
// instance as TopoJSON, with their names. A tile server, when the instance
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
  map.createPane("background").style.zIndex = 150; // under the tiles (200)
  map.createPane("places").style.zIndex = 160;
  map.getPane("background").setAttribute("aria-hidden", "true");
  map.getPane("places").setAttribute("aria-hidden", "true");
  var drawBackground = once(drawLayers);
  if (data.tiles && data.tiles.url) {
    L.tileLayer(data.tiles.url, {maxZoom: 19, attribution: escapeHTML(data.tiles.attribution || "")}).addTo(map);
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
    say("Loading the places of the results…");
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
      if (n === seq) say("The map could not load the places of the results. They are listed below.");
    });
  }

  function moved() {
    clearTimeout(timer);
    timer = setTimeout(function () { load(viewBox()); }, 300);
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
    var n = (fc.features || []).length;
    var where = bbox ? " in this part of the map" : "";
    if (fc.truncated) {
      say("The map shows the newest " + n.toLocaleString() + " results" + where + ", not all: zoom in to see the others.");
    } else {
      say(n.toLocaleString() + (n === 1 ? " result has" : " results have") + " a place on the map" + where + ".");
    }
  }

  // viewBox is the part of the world in view as bbox=west,south,east,north,
  // longitudes wrapped into -180..180 (west above east crosses the
  // antimeridian).
  function viewBox() {
    var b = map.getBounds();
    var s = Math.max(b.getSouth(), -90), n = Math.min(b.getNorth(), 90);
    var w = b.getWest(), e = b.getEast();
    if (e - w >= 360) {
      w = -180; e = 180;
    } else {
      w = wrap(w); e = wrap(e);
    }
    return [w, s, e, n].map(function (v) { return v.toFixed(4); }).join(",");
  }

  function wrap(lon) { return ((lon + 180) % 360 + 360) % 360 - 180; }

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

  function escapeHTML(s) {
    var d = document.createElement("div");
    d.textContent = s;
    return d.innerHTML;
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

  // drawLayers draws the offline background, once the map shows its
  // results: countries (the coarse file below zoom 4, the finer one from
  // there on), US states, and the names of both where they fit without
  // overlapping.
  function drawLayers() {
    var files = data.background || {};
    var renderer = L.svg({pane: "background", padding: 0.5});
    var opts = function (cls) {
      return {pane: "background", renderer: renderer, interactive: false, style: {className: cls, weight: 1}};
    };
    // Natural Earth's countries cover the Great Lakes; the Census Bureau's
    // states follow their shores. So the states draw the land of the
    // United States, and its country outline stays empty.
    var worldOpts = opts("map-land");
    worldOpts.style = function (f) {
      var us = f.properties && f.properties.name === "United States of America";
      return {className: us ? "map-land map-land-us" : "map-land", weight: 1};
    };
    var world = L.geoJSON(null, worldOpts).addTo(map);
    var states = L.geoJSON(null, opts("map-state")).addTo(map);
    world.getAttribution = function () { return "Background: Natural Earth, US Census Bureau"; };
    map.attributionControl.addAttribution(world.getAttribution());
    var names = L.layerGroup().addTo(map);
    var countries = [], provinces = [], cities = [], fine = false, citySeq = 0, credited = false;

    var coarse = function (fc) {
      if (fine) return;
      world.addData(fc);
      countries = labelsOf(fc, 2);
      layout();
    };
    if (map.getZoom() >= 4 && files.world50) {
      fine = true;
      getTopo(files.world50, "countries", function (fc) {
        world.addData(fc);
        countries = labelsOf(fc, 2);
        layout();
      });
    } else {
      getTopo(files.world110, "countries", coarse);
    }
    getTopo(files.states, "states", function (fc) {
      states.addData(fc);
      provinces = labelsOf(fc, 5);
      layout();
    });
    map.on("moveend", function () {
      layout();
      loadCities();
    });
    loadCities();
    map.on("zoomend", function () {
      if (!fine && map.getZoom() >= 4 && files.world50) {
        fine = true;
        getTopo(files.world50, "countries", function (fc) {
          world.clearLayers();
          world.addData(fc);
        });
      }
    });

    function getTopo(url, object, done) {
      if (!url) return;
      fetch(url).then(function (r) { return r.json(); }).then(function (topo) {
        done(topojson.feature(topo, topo.objects[object]));
      }).catch(function () {});
    }

    // loadCities reads the names of the biggest places in view (from the
    // instance's own gazetteer: no internet needed) once the map is close
    // enough for towns to matter.
    function loadCities() {
      if (!files.places || map.getZoom() < 4) {
        cities = [];
        return;
      }
      var n = ++citySeq;
      fetch(files.places + "?bbox=" + viewBox()).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      }).then(function (fc) {
        if (n !== citySeq) return;
        if (!credited && fc.attribution) {
          credited = true;
          map.attributionControl.addAttribution(escapeHTML(fc.attribution));
        }
        cities = (fc.features || []).map(function (f) {
          var c = f.geometry.coordinates;
          return {name: f.properties.name, at: [c[1], c[0]], minZoom: 4, cls: "map-city-name"};
        });
        layout();
      }).catch(function () {});
    }

    // layout shows the names in view that fit at this zoom: far out the
    // countries and states first, close in the towns (biggest first).
    function layout() {
      names.clearLayers();
      var z = map.getZoom(), view = map.getBounds().pad(0.2), taken = [];
      var order = z >= 6 ? cities.concat(provinces, countries) : countries.concat(provinces, cities);
      order.forEach(function (l) {
        if (z < l.minZoom || !view.contains(l.at)) return;
        var p = map.project(l.at, z), w = l.name.length * 6.5 + 8, h = 16;
        var r = {x1: p.x - w / 2, y1: p.y - h / 2, x2: p.x + w / 2, y2: p.y + h / 2};
        for (var i = 0; i < taken.length; i++) {
          var t = taken[i];
          if (r.x1 < t.x2 && t.x1 < r.x2 && r.y1 < t.y2 && t.y1 < r.y2) return;
        }
        taken.push(r);
        var el = document.createElement("span");
        el.textContent = l.name;
        L.marker(l.at, {pane: "places", interactive: false, keyboard: false,
          icon: L.divIcon({className: "map-place " + l.cls, html: el, iconSize: null})}).addTo(names);
      });
    }

    // labelsOf places each feature's name at the centre of its largest
    // ring, largest features first.
    function labelsOf(fc, minZoom) {
      var out = [];
      fc.features.forEach(function (f) {
        var g = f.geometry, name = f.properties && f.properties.name;
        if (!g || !name) return;
        var polys = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
        var best = null;
        polys.forEach(function (poly) {
          var c = centroid(poly[0]);
          if (c && (!best || c.area > best.area)) best = c;
        });
        if (best) out.push({name: name, at: [best.lat, best.lon], area: best.area, minZoom: minZoom, cls: minZoom > 2 ? "map-state-name" : "map-country-name"});
      });
      return out.sort(function (a, b) { return b.area - a.area; });
    }

    function centroid(ring) {
      var a = 0, x = 0, y = 0;
      for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        var f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
        a += f;
        x += (ring[j][0] + ring[i][0]) * f;
        y += (ring[j][1] + ring[i][1]) * f;
      }
      if (a === 0) return null;
      return {lon: x / (3 * a), lat: y / (3 * a), area: Math.abs(a / 2)};
    }
  }
})();
