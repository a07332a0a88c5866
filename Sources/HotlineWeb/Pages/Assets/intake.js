// The intake desk's assistant panel: while the agent types, ask the server for suggestions (a small, optional
// enhancement; the form works without it).
(function () {
  var form = document.getElementById('intake-form');
  var panel = document.getElementById('assist-body');
  if (!form || !panel) return;
  var csrf = form.querySelector('input[name=_csrf]').value;
  var timer = null;
  function el(tag, text, cls) { var e = document.createElement(tag); if (text) e.textContent = text; if (cls) e.className = cls; return e; }
  function section(title, items, render) {
    if (!items || !items.length) return;
    panel.appendChild(el('h3', title));
    var ul = el('ul');
    items.forEach(function (it) { ul.appendChild(render(it)); });
    panel.appendChild(ul);
  }
  function pct(x) { return Math.round(x * 100) + '%'; }
  // 受理范围: an emergency (119/120/110/122) or a matter outside the hotline named in red, with a one-click refusal
  // that records the transfer on the order.
  var alerts = document.getElementById('assist-alerts');
  function warn(warnings) {
    if (!alerts) return;
    alerts.textContent = '';
    (warnings || []).forEach(function (w) {
      var box = el('div', null, w.emergency ? 'alert emergency' : 'alert');
      box.appendChild(el('strong', w.emergency ? '疑似紧急情况：' + w.reason_name : '可能不属于受理范围：' + w.reason_name));
      box.appendChild(el('p', w.message));
      var b = el('button', w.redirect_number ? '不予受理，转' + w.redirect_number : '不予受理', 'danger');
      b.type = 'button';
      b.addEventListener('click', function () {
        var radio = document.getElementById('decision-reject'); var reason = document.getElementById('reject-reason');
        if (!radio || !reason) return;
        radio.checked = true; reason.value = w.reason;
        if (!form.title.value.trim()) form.title.value = form.content.value.trim().slice(0, 30) || w.reason_name;
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
      });
      box.appendChild(b);
      alerts.appendChild(box);
    });
  }
  function show(data) {
    warn(data.warnings);
    panel.textContent = '';
    section('分类推荐', data.detailed_categories && data.detailed_categories.length ? data.detailed_categories : data.categories, function (c) {
      var li = el('li'); var b = el('button', c.name + '（' + pct(c.score) + '）', 'link');
      b.type = 'button';
      b.addEventListener('click', function () { var s = document.getElementById('category_code'); if (s) s.value = c.code; });
      li.appendChild(b); return li;
    });
    section('承办单位推荐', data.units, function (u) { return el('li', u.name + '（' + pct(u.score) + '）' + (u.reasons.length ? '：' + u.reasons.join('；') : '')); });
    if (data.excluded_units && data.excluded_units.length) {
      panel.appendChild(el('p', '已排除退单单位：' + data.excluded_units.map(function (u) { return u.name; }).join('、'), 'hint'));
    }
    section('知识库', data.knowledge, function (k) {
      var li = el('li'); li.appendChild(el('strong', k.title)); li.appendChild(el('div', k.answer, 'answer'));
      // One click: the answer becomes the direct answer, recorded as this entry used.
      var use = el('button', '用此答复', 'link'); use.type = 'button';
      use.addEventListener('click', function () {
        var radio = form.querySelector('input[name="decision[type]"][value="answer_directly"]');
        if (radio) radio.checked = true;
        form.answer.value = k.answer;
        document.getElementById('knowledge-id').value = k.id;
        var cat = document.getElementById('category_code');
        if (cat && !cat.value && k.category_code) cat.value = k.category_code;
        form.answer.focus();
      });
      li.appendChild(use);
      return li;
    });
    // 话术: the standard wording for the matter (and the general scripts), each copied with one click.
    section('话术', data.scripts, function (t) {
      var li = el('li');
      li.appendChild(el('span', t.situation_name, 'badge tag')); li.appendChild(document.createTextNode(' '));
      li.appendChild(el('strong', t.title));
      li.appendChild(el('div', t.text, 'script-text'));
      var copy = el('button', '复制', 'link'); copy.type = 'button';
      copy.setAttribute('aria-label', '复制话术：' + t.title);
      copy.addEventListener('click', function () {
        copyText(t.text, function (ok) {
          copy.textContent = ok ? '已复制' : '复制失败，请手动选择';
          copy.className = ok ? 'link copied' : 'link';
          setTimeout(function () { copy.textContent = '复制'; copy.className = 'link'; }, 2000);
        });
      });
      li.appendChild(copy);
      return li;
    });
    var scriptList = panel.lastElementChild;
    if (data.scripts && data.scripts.length && scriptList) scriptList.className = 'assist-scripts';
    section('相似工单', data.similar, function (s) {
      var li = el('li'); var a = el('a', s.number + ' ' + s.title); a.href = '/orders/' + s.number; li.appendChild(a);
      li.appendChild(document.createTextNode('（' + s.status_name + (s.same_caller ? '，同一来电人' : '') + '）'));
      if (s.open) li.className = 'warn';
      return li;
    });
  }
  // The clipboard API where the page is a secure context; otherwise a hidden text area and the copy command.
  function copyText(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallbackCopy(text)); });
    } else {
      done(fallbackCopy(text));
    }
  }
  function fallbackCopy(text) {
    var area = document.createElement('textarea');
    area.value = text; area.setAttribute('readonly', ''); area.style.position = 'fixed'; area.style.opacity = '0';
    document.body.appendChild(area); area.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
  // The same facts the order will hold and the order page asks with: title, content, address, district, category.
  function ask() {
    var body = {
      title: form.title.value, content: form.content.value, address: form.address.value || null, district: form.district.value || null,
      category_code: form.category_code.value || null, caller_phone: form.caller_phone.value || null
    };
    if (!(body.title + body.content).trim()) return;
    fetch('/api/v1/intake/assist', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: JSON.stringify(body)
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (d) { if (d) show(d); }).catch(function () {});
  }
  ['title', 'content', 'address', 'district', 'category_code'].forEach(function (name) {
    var field = form[name]; if (!field) return;
    field.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(ask, 300); });
  });
  // 转专家坐席 takes the matter chosen so far, so the seat serving it comes first.
  var expert = document.getElementById('expert-link');
  if (expert) {
    expert.addEventListener('click', function () {
      var url = new URL(expert.href, location.href);
      var cat = form.category_code && form.category_code.value;
      if (cat) url.searchParams.set('category', cat); else url.searchParams.delete('category');
      expert.href = url.pathname + url.search;
    });
  }
})();
