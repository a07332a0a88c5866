// 在地图上标出位置: the citizen taps the map to pin where the matter is; the form carries the point's latitude and
// longitude. The city's district shapes are the base map (or a tile server's tiles when the city has one).
(function () {
  'use strict';
  var box = document.getElementById('pin-map');
  var status = document.getElementById('pin-status');
  var lat = document.getElementById('latitude');
  var lng = document.getElementById('longitude');
  if (!box || !lat || !lng) return;
  function say(text) { if (status) status.textContent = text; }
  if (typeof L === 'undefined') { box.hidden = true; say('地图未能加载，可只填写地址。'); return; }
  var map = L.map(box, { zoomSnap: 0.25, attributionControl: false });
  if (box.dataset.tiles) L.tileLayer(box.dataset.tiles, { maxZoom: 18 }).addTo(map);
  var marker = null;
  function place(latlng) {
    if (marker) marker.setLatLng(latlng); else marker = L.marker(latlng).addTo(map);
    lat.value = latlng.lat.toFixed(6);
    lng.value = latlng.lng.toFixed(6);
    say('已标出位置（' + lat.value + '，' + lng.value + '）。再次点击可改动。');
  }
  fetch(box.dataset.shapes, { headers: { 'Accept': 'application/geo+json' } }).then(function (r) {
    if (!r.ok) throw new Error(String(r.status));
    return r.json();
  }).then(function (shapes) {
    var layer = L.geoJSON(shapes, { style: { color: '#7a8794', weight: 1, fillColor: '#dde5ee', fillOpacity: 0.5 } }).addTo(map);
    map.fitBounds(layer.getBounds());
    if (lat.value && lng.value) place(L.latLng(parseFloat(lat.value), parseFloat(lng.value)));
  }).catch(function () { map.setView([30.6, 114.3], 10); });
  map.on('click', function (e) { place(e.latlng); });
})();
