// Draws the results listed on the page as markers on a Leaflet map. The
// data comes from a JSON island in the page (#map-data); the list under
// the map shows the same results without JavaScript.
(function () {
  "use strict";
  var box = document.getElementById("map");
  var island = document.getElementById("map-data");
  if (!box || !island || !window.L) return;
  var data = JSON.parse(island.textContent);
  box.textContent = "";
  var map = L.map(box, {scrollWheelZoom: false});
  if (data.tiles && data.tiles.url) {
    L.tileLayer(data.tiles.url, {maxZoom: 19, attribution: escapeHTML(data.tiles.attribution || "")}).addTo(map);
  }
  var points = [];
  (data.markers || []).forEach(function (m) {
    var marker = L.marker([m.lat, m.lon], {title: m.name, alt: m.name}).addTo(map);
    marker.bindPopup(popup(m));
    points.push([m.lat, m.lon]);
  });
  if (data.near) {
    L.circle([data.near.lat, data.near.lon], {radius: data.near.km * 1000, fill: false, weight: 1}).addTo(map);
    points.push([data.near.lat, data.near.lon]);
  }
  if (points.length > 1) {
    map.fitBounds(points, {padding: [24, 24], maxZoom: 14});
  } else if (points.length === 1) {
    map.setView(points[0], 12);
  } else {
    map.setView([20, 0], 2);
  }

  // popup builds the popup of a marker with DOM nodes, so that no text from
  // the directory is ever parsed as HTML.
  function popup(m) {
    var div = document.createElement("div");
    var a = document.createElement("a");
    a.href = m.url;
    a.textContent = m.name;
    div.appendChild(a);
    if (m.meta) {
      var p = document.createElement("p");
      p.textContent = m.meta;
      div.appendChild(p);
    }
    return div;
  }

  function escapeHTML(s) {
    var d = document.createElement("div");
    d.textContent = s;
    return d.innerHTML;
  }
})();
