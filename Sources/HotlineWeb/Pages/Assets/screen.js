// 话务大屏: reads GET /api/v1/screen every second and redraws the figures in place; after a failed read it says so on
// the screen and keeps trying (a wall display has nobody to press reload).
(function () {
  'use strict';
  function percent(v) { return v === null || v === undefined ? '—' : (v * 100).toFixed(1) + '%'; }
  function set(id, text, warn) {
    var value = document.getElementById('value-' + id);
    if (value) value.textContent = text;
    var tile = document.getElementById('tile-' + id);
    if (tile) tile.classList.toggle('warn', !!warn);
  }
  function list(id, rows) {
    var box = document.getElementById(id);
    if (!box) return;
    box.textContent = '';
    rows.forEach(function (row) {
      var li = document.createElement('li');
      var label = document.createElement('span');
      label.textContent = row.name;
      var count = document.createElement('b');
      count.textContent = String(row.count);
      li.appendChild(label);
      li.appendChild(count);
      box.appendChild(li);
    });
  }
  function lines(id, items, calm) {
    var box = document.getElementById(id);
    if (!box) return;
    box.textContent = '';
    if (!items.length && calm) {
      var li = document.createElement('li');
      li.className = 'calm';
      li.textContent = calm;
      box.appendChild(li);
    }
    items.forEach(function (text) {
      var li = document.createElement('li');
      li.textContent = text;
      box.appendChild(li);
    });
  }
  // 在班坐席 by team, and the standby agents not yet called in (排班).
  function shifts(teams, standby) {
    var box = document.getElementById('on-shift');
    if (box) {
      box.textContent = '';
      if (!teams.length) {
        var none = document.createElement('li');
        none.className = 'calm';
        none.textContent = '当前时段没有排班';
        box.appendChild(none);
      }
      teams.forEach(function (t) {
        var li = document.createElement('li');
        var label = document.createElement('span');
        label.textContent = t.team;
        var names = document.createElement('b');
        names.textContent = t.agents.join('、');
        li.appendChild(label);
        li.appendChild(names);
        box.appendChild(li);
      });
    }
    var spare = document.getElementById('standby');
    if (spare) spare.textContent = standby.length ? standby.join('、') : '无';
  }
  function draw(s) {
    set('offered', String(s.offered));
    set('connection', percent(s.connection_rate), s.connection_rate !== null && s.connection_rate < 0.9);
    set('answered15', percent(s.answered_in15_rate), s.answered_in15_rate !== null && s.answered_in15_rate < 0.8);
    set('avgwait', s.average_wait_seconds === null ? '—' : Math.round(s.average_wait_seconds) + '秒');
    set('maxwait', s.longest_wait_seconds + '秒', s.longest_wait_seconds >= 60);
    set('queue', String(s.queue), s.queue >= 10);
    set('orders', String(s.orders_today));
    set('direct', percent(s.direct_answer_rate));
    list('agents', s.agents);
    list('statuses', s.orders_by_status);
    list('channels', s.orders_by_channel);
    lines('topics', s.topics);
    lines('alerts', s.alerts, '运行平稳');
    shifts(s.on_shift || [], s.standby || []);
    var updated = document.getElementById('screen-updated');
    if (updated) updated.textContent = s.at.replace('T', ' ').slice(0, 19);
  }
  var state = document.getElementById('screen-state');
  function tick() {
    fetch('/api/v1/screen', { credentials: 'same-origin', headers: { 'Accept': 'application/json' } }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    }).then(function (s) {
      draw(s);
      if (state) state.textContent = '';
    }).catch(function () {
      if (state) state.textContent = '连接中断，正在重试……';
    }).then(function () { setTimeout(tick, 1000); });
  }
  setTimeout(tick, 1000);
})();
