// 消息提醒: the header's bell shows the unread count and keeps it up to date through the page's live stream (the
// `notices` event the home and page streams carry), or through a stream of its own on a page that has none.
(function () {
  var bell = document.getElementById('bell');
  if (!bell || !window.EventSource) return;
  var attached = false;
  function show(label) {
    var count = bell.querySelector('.bell-count');
    var none = label === '0';
    count.textContent = none ? '' : label;
    count.hidden = none;
    bell.classList.toggle('has-unread', !none);
    bell.setAttribute('aria-label', none ? '消息提醒' : '消息提醒，' + label + '条未读');
  }
  window.hotlineBell = function (source) {
    attached = true;
    source.addEventListener('notices', function (e) { show(e.data); });
  };
  document.addEventListener('DOMContentLoaded', function () {
    if (!attached) window.hotlineBell(new EventSource('/live/queues?tiles=none'));
  });
})();
