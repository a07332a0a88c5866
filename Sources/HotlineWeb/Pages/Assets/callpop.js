// 来电弹屏: when the call-centre system reports a call this agent answered, the console opens the intake desk with the
// caller looked up. An intake form with text already typed is not thrown away: a banner offers the new caller instead.
(function () {
  'use strict';
  if (!window.EventSource) return;
  var source = new EventSource('/live/calls');
  source.addEventListener('call', function (e) {
    var call;
    try { call = JSON.parse(e.data); } catch (err) { return; }
    var content = document.querySelector('textarea[name="content"]');
    if (content && content.value.trim() !== '') {
      var banner = document.getElementById('call-pop');
      if (!banner) {
        banner = document.createElement('p');
        banner.id = 'call-pop';
        banner.className = 'notice';
        banner.setAttribute('role', 'alert');
        var main = document.getElementById('main') || document.body;
        main.insertBefore(banner, main.firstChild);
      }
      banner.textContent = '来电已接通：' + call.caller + '。';
      var link = document.createElement('a');
      link.href = call.href;
      link.textContent = '打开受理台';
      banner.appendChild(link);
      return;
    }
    window.location.assign(call.href);
  });
})();
