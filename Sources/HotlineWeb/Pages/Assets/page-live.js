// Live updates of an open page (server-sent events): when what the page shows has changed, lists and the
// supervision board reload by themselves unless someone is typing or has a form open; other pages say so.
(function () {
  var banner = document.getElementById('live');
  if (!banner || !window.EventSource || !banner.getAttribute('data-path')) return;
  var auto = banner.getAttribute('data-auto') === 'true';
  var source = new EventSource('/live/page?path=' + encodeURIComponent(banner.getAttribute('data-path')));
  if (window.hotlineBell) window.hotlineBell(source);
  var first = null;
  // A form someone has started to fill in (the list's filters) is not thrown away by a reload.
  var edited = false;
  document.addEventListener('change', function (e) { if (e.target && e.target.form) edited = true; });
  function busy() {
    var active = document.activeElement;
    if (edited) return true;
    if (active && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName)) return true;
    return document.querySelector('details[open]') !== null;
  }
  source.addEventListener('page', function (e) {
    if (first === null) { first = e.data; return; }
    if (e.data === first) return;
    if (auto && !busy()) { source.close(); window.location.reload(); return; }
    banner.hidden = false;
  });
})();
