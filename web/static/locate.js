// The location picker of the admin forms: a small map under the latitude
// and longitude fields, opened with "Choose on a map", which loads Leaflet
// and the offline background then (the form pages stay light). Clicking
// the map (or dragging its marker) fills both fields; typing in them moves
// the marker. The fields stay the form's truth and its keyboard path, with
// the Place field beside them: the map only saves looking coordinates up.
// Without JavaScript it stays hidden.
(function () {
  "use strict";
  document.querySelectorAll("[data-locate]").forEach(function (box) {
    var lat = document.getElementById(box.getAttribute("data-lat"));
    var lon = document.getElementById(box.getAttribute("data-lon"));
    var open = box.querySelector(".locate-open");
    if (!lat || !lon || !open) return;
    box.hidden = false;
    open.addEventListener("click", function () {
      open.disabled = true;
      load(JSON.parse(box.getAttribute("data-assets") || "{}"), function () {
        open.parentNode.hidden = true;
        picker(box, lat, lon);
      }, function () {
        open.disabled = false;
      });
    });
  });

  // load adds the stylesheets, then the scripts one after the other (each
  // needs the one before), and calls done once the last has run.
  function load(assets, done, failed) {
    (assets.styles || []).forEach(function (href) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      document.head.appendChild(link);
    });
    var scripts = (assets.scripts || []).slice();
    (function next() {
      if (!scripts.length) {
        done();
        return;
      }
      var el = document.createElement("script");
      el.src = scripts.shift();
      el.onload = next;
      el.onerror = failed;
      document.head.appendChild(el);
    })();
  }

  function picker(box, lat, lon) {
    if (!window.L || !window.coopdirMap) return;
    var status = document.getElementById(box.getAttribute("data-status"));
    var el = box.querySelector(".locate-map");
    el.hidden = false;
    if (status) status.hidden = false;
    var map = L.map(el, {scrollWheelZoom: false, keyboard: false, minZoom: 1, maxZoom: 18});
    coopdirMap.panes(map);
    var files = JSON.parse(box.getAttribute("data-files") || "{}");
    var marker = null;

    var at = point();
    map.setView(at || [20, 0], at ? 10 : 2);
    if (at) put(at);
    if (window.topojson) coopdirMap.background(map, files);

    map.on("click", function (ev) { choose(ev.latlng); });
    [lat, lon].forEach(function (field) {
      field.addEventListener("change", function () {
        var p = point();
        if (p) {
          put(p);
          map.panTo(p);
        }
      });
    });

    // point reads the fields: [lat, lon] when both are numbers on the globe.
    function point() {
      var a = parseFloat(lat.value), o = parseFloat(lon.value);
      if (isNaN(a) || isNaN(o) || a < -90 || a > 90 || o < -180 || o > 180) return null;
      return [a, o];
    }

    function put(p) {
      if (marker) {
        marker.setLatLng(p);
        return;
      }
      marker = L.marker(p, {draggable: true, keyboard: false, title: coopdirText("The location")}).addTo(map);
      marker.on("dragend", function () { choose(marker.getLatLng()); });
    }

    // choose fills the fields with a point of the map, wrapped onto the
    // globe, to five decimals (about a metre).
    function choose(ll) {
      var w = ll.wrap();
      lat.value = w.lat.toFixed(5);
      lon.value = w.lng.toFixed(5);
      put([w.lat, w.lng]);
      if (status) status.textContent = coopdirText("Latitude and longitude set from the map: %s, %s. Save to keep them.", lat.value, lon.value);
    }
  }
})();
