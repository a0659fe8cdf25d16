// The offline background of coopdir's maps, shared by the map page
// (map.js) and the location picker of the admin forms (locate.js):
// Natural Earth's countries and the US Census Bureau's states, served by
// this instance as TopoJSON, with their names, and from zoom 4 the names
// of the biggest towns in view, read from this instance's gazetteer
// (GET /map/places). Nothing of it needs the internet.
(function () {
  "use strict";

  // panes makes the map's panes for the background (under tiles, which
  // Leaflet puts at 200) and its names, hidden from screen readers.
  function panes(map) {
    map.createPane("background").style.zIndex = 150;
    map.createPane("places").style.zIndex = 160;
    map.getPane("background").setAttribute("aria-hidden", "true");
    map.getPane("places").setAttribute("aria-hidden", "true");
  }

  // background draws the offline background on map: countries (the coarse
  // file below zoom 4, the finer one from there on), US states, the names
  // of both and of the towns in view, where they fit without overlapping.
  // files names the TopoJSON files and the place-names address.
  function background(map, files) {
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
      fetch(files.places + "?bbox=" + viewBox(map)).then(function (r) {
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

  // viewBox is the part of the world in view as bbox=west,south,east,north,
  // longitudes wrapped into -180..180 (west above east crosses the
  // antimeridian).
  function viewBox(map) {
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

  function escapeHTML(s) {
    var d = document.createElement("div");
    d.textContent = s;
    return d.innerHTML;
  }

  window.coopdirMap = {panes: panes, background: background, viewBox: viewBox, escapeHTML: escapeHTML};
})();
