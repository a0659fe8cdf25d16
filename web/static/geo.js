// "Use my location": fills the near field of a search form with the
// browser's position. The form works without it; this only saves typing.
(function () {
  "use strict";
  if (!("geolocation" in navigator)) return;
  document.querySelectorAll("button[data-geolocate]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-geolocate"));
    var status = document.getElementById(button.getAttribute("aria-describedby"));
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      if (status) status.textContent = coopdirText("Finding your location…");
      navigator.geolocation.getCurrentPosition(function (pos) {
        // Three decimals (about 100 m) are plenty for "near" and keep the
        // shared URL from pinpointing a home.
        field.value = pos.coords.latitude.toFixed(3) + "," + pos.coords.longitude.toFixed(3);
        if (status) status.textContent = coopdirText("Location filled in. Press Search to use it.");
        field.focus();
      }, function (err) {
        if (status) status.textContent = err.code === 1 ?
          coopdirText("Your browser did not share your location. Type a place instead.") :
          coopdirText("Your location could not be found. Type a place instead.");
      }, {timeout: 10000, maximumAge: 600000});
    });
  });
})();
