// Live queue counts on the home page (server-sent events): the tiles update without a reload.
(function () {
  if (!window.EventSource) return;
  var source = new EventSource('/live/queues');
  if (window.hotlineBell) window.hotlineBell(source);
  source.addEventListener('queues', function (e) {
    var tiles = JSON.parse(e.data);
    tiles.forEach(function (t) {
      var tile = document.querySelector('.queue[data-label="' + t.label + '"]');
      if (!tile) return;
      tile.querySelector('.count').textContent = t.count;
      tile.classList.toggle('urgent', t.urgent);
    });
  });
})();
