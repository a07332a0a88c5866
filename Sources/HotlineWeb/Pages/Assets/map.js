// 工单地图: draws the city's district and street shapes (the base map, or over a tile server's tiles when one is set),
// colours them by the number of orders (choropleth), and adds the newest points and the hot spots from /api/v1/map.
(function () {
  'use strict';
  var box = document.getElementById('order-map');
  var status = document.getElementById('map-status-line');
  if (!box) return;
  function say(text) { if (status) status.textContent = text; }
  if (typeof L === 'undefined') { say('地图组件未能加载，请参阅下方统计表。'); return; }
  var colours = ['#f7fbff', '#c6dbef', '#6baed6', '#2171b5', '#08306b'];
  // Classes 1–4 spread between the fewest and the most orders of the areas shown; 0 for none.
  function classOf(count, min, max) {
    if (!count) return 0;
    if (max <= min) return 2;
    return 1 + Math.min(3, Math.floor(4 * (count - min) / (max - min + 1)));
  }
  function range(list) {
    var counts = list.map(function (a) { return a.count; }).filter(function (n) { return n > 0; });
    return counts.length ? [Math.min.apply(null, counts), Math.max.apply(null, counts)] : [0, 0];
  }
  function getJSON(url) {
    return fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    });
  }
  var map = L.map(box, { zoomSnap: 0.25, attributionControl: false });
  if (box.dataset.tiles) L.tileLayer(box.dataset.tiles, { maxZoom: 18 }).addTo(map);
  Promise.all([getJSON(box.dataset.shapes), getJSON(box.dataset.endpoint)]).then(function (both) {
    var shapes = both[0], data = both[1];
    var byDistrict = {}, byStreet = {};
    data.districts.forEach(function (d) { byDistrict[d.name] = d.count; });
    data.streets.forEach(function (s) { byStreet[s.district + '|' + s.name] = s.count; });
    var districtRange = range(data.districts), streetRange = range(data.streets);
    function isDistrict(f) { return f.properties.level === 'district'; }
    var districts = L.geoJSON(shapes, {
      filter: isDistrict,
      style: function (f) {
        var n = byDistrict[f.properties.name] || 0;
        return { color: '#334155', weight: 2, fillColor: colours[classOf(n, districtRange[0], districtRange[1])], fillOpacity: 0.55 };
      },
      onEachFeature: function (f, layer) {
        var n = byDistrict[f.properties.name] || 0;
        layer.bindTooltip(f.properties.name + '：' + n + ' 件', { sticky: true });
        layer.on('add', function () { var el = layer.getElement(); if (el) { el.setAttribute('data-district', f.properties.name); } });
      }
    });
    var streets = L.geoJSON(shapes, {
      filter: function (f) { return !isDistrict(f); },
      style: function (f) {
        var n = byStreet[f.properties.district + '|' + f.properties.name] || 0;
        return { color: '#475569', weight: 1, dashArray: '4 3', fillColor: colours[classOf(n, streetRange[0], streetRange[1])], fillOpacity: 0.55 };
      },
      onEachFeature: function (f, layer) {
        var n = byStreet[f.properties.district + '|' + f.properties.name] || 0;
        layer.bindTooltip(f.properties.district + f.properties.name + '：' + n + ' 件', { sticky: true });
        layer.on('add', function () { var el = layer.getElement(); if (el) { el.setAttribute('data-street', f.properties.name); } });
      }
    });
    districts.addTo(map);
    var points = L.layerGroup(data.points.map(function (p) {
      var m = L.circleMarker([p.latitude, p.longitude], { radius: 4, color: '#9a3412', weight: 1, fillColor: '#d9480f', fillOpacity: 0.85, className: 'order-point' });
      var a = document.createElement('div');
      var link = document.createElement('a');
      link.href = '/orders/' + p.number;
      link.textContent = '工单 ' + p.number;
      a.appendChild(link);
      a.appendChild(document.createTextNode('（' + p.status_name + (p.category_name ? '，' + p.category_name : '') + '）'));
      m.bindPopup(a);
      return m;
    })).addTo(map);
    var spots = L.layerGroup(data.hot_spots.map(function (s) {
      return L.circle([s.latitude, s.longitude], { radius: Math.max(600, s.radius_metres), color: '#dc2626', weight: 2, fillColor: '#dc2626', fillOpacity: 0.25, className: 'hot-spot' })
        .bindTooltip('热点区域：' + s.count + ' 件');
    })).addTo(map);
    L.control.layers({ '按区县着色': districts, '按街道（乡镇）着色': streets }, { '工单位置': points, '热点区域': spots }, { collapsed: false }).addTo(map);
    map.fitBounds(L.geoJSON(shapes).getBounds(), { padding: [10, 10] });
    var legend = document.getElementById('map-legend');
    if (legend) {
      var items = [['q0', '无工单'], ['q1', '较少'], ['q2', '中等'], ['q3', '较多'], ['q4', '最多'], ['point', '工单位置'], ['spot', '热点区域']];
      items.forEach(function (it) {
        var span = document.createElement('span');
        var sw = document.createElement('i');
        sw.className = 'swatch ' + it[0];
        span.appendChild(sw);
        span.appendChild(document.createTextNode(it[1]));
        legend.appendChild(span);
      });
    }
    box.setAttribute('data-ready', 'true');
    box.setAttribute('data-points', String(data.points.length));
    say('已显示 ' + data.districts.length + ' 个区县、' + data.points.length + ' 个工单位置、' + data.hot_spots.length + ' 个热点区域。');
  }).catch(function () { say('地图数据加载失败，请刷新页面重试。'); });
})();
