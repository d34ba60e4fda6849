// policybook site script: keeps the language switch on the section being read, and runs the
// static search (the index is search-index.json; Japanese is matched by character bigrams,
// Latin text by words, as the index was built). No inline code, so the page CSP stays strict.
(function () {
  'use strict';

  function keepAnchor() {
    var links = document.querySelectorAll('a[data-pb-switch]');
    for (var i = 0; i < links.length; i++) {
      var a = links[i];
      var base = a.getAttribute('href').split('#')[0];
      a.setAttribute('href', base + (location.hash || ''));
    }
  }
  window.addEventListener('hashchange', keepAnchor);
  document.addEventListener('DOMContentLoaded', keepAnchor);

  function norm(c) {
    var n = c.charCodeAt(0);
    if (n >= 0xff01 && n <= 0xff5e) c = String.fromCharCode(n - 0xfee0);
    return c.toLowerCase();
  }
  function isWord(c) { return /^[a-z0-9]$/.test(c); }
  function isCjk(c) {
    var n = c.charCodeAt(0);
    return n === 0x3005 || n === 0x3006 || (n >= 0x3040 && n <= 0x30ff) || (n >= 0x3400 && n <= 0x4dbf) ||
      (n >= 0x4e00 && n <= 0x9fff) || (n >= 0xf900 && n <= 0xfaff) || (n >= 0xff66 && n <= 0xff9f);
  }
  // Mirrors search::tokens in the Rust renderer. Returns {words: [...], grams: [...]}.
  function tokens(text) {
    var words = [], grams = [], word = '', run = [];
    function flushRun() {
      if (run.length === 1) grams.push(run[0]);
      for (var k = 0; k + 1 < run.length; k++) grams.push(run[k] + run[k + 1]);
      run = [];
    }
    function flushWord() { if (word) { words.push(word); word = ''; } }
    for (var i = 0; i < text.length; i++) {
      var c = norm(text[i]);
      if (isWord(c)) { flushRun(); word += c; }
      else if (isCjk(c)) { flushWord(); run.push(c); }
      else { flushWord(); flushRun(); }
    }
    flushWord(); flushRun();
    return { words: words, grams: grams };
  }
  function normText(s) {
    var out = '';
    for (var i = 0; i < s.length; i++) out += norm(s[i]);
    return out;
  }
  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) i++; else j++;
    }
    return out;
  }
  function union(lists) {
    var seen = {}, out = [];
    lists.forEach(function (l) { l.forEach(function (x) { if (!seen[x]) { seen[x] = true; out.push(x); } }); });
    return out.sort(function (a, b) { return a - b; });
  }

  function search(index, query, lang) {
    var tk = tokens(query);
    var lists = [];
    tk.grams.forEach(function (g) { lists.push(index.terms[g] || []); });
    tk.words.forEach(function (w) {
      if (index.terms[w]) { lists.push(index.terms[w]); return; }
      var pre = [];
      Object.keys(index.terms).forEach(function (k) { if (k.indexOf(w) === 0) pre.push(index.terms[k]); });
      lists.push(union(pre));
    });
    if (!lists.length) return [];
    var hits = lists.reduce(intersect);
    var q = normText(query.trim());
    var scored = hits.map(function (n) {
      var e = index.entries[n];
      var score = 0;
      if (normText(e.t).indexOf(q) >= 0) score += 4;
      if (normText(e.x).indexOf(q) >= 0) score += 2;
      if (e.l === lang) score += 1;
      return { n: n, e: e, score: score };
    });
    scored.sort(function (a, b) { return b.score - a.score || a.n - b.n; });
    return scored.slice(0, 50);
  }

  function snippet(text, query) {
    var t = normText(text), q = normText(query.trim());
    var at = t.indexOf(q);
    var frag = document.createDocumentFragment();
    if (at < 0) {
      frag.appendChild(document.createTextNode(text.slice(0, 90) + (text.length > 90 ? '…' : '')));
      return frag;
    }
    var start = Math.max(0, at - 40), end = Math.min(text.length, at + q.length + 50);
    frag.appendChild(document.createTextNode((start > 0 ? '…' : '') + text.slice(start, at)));
    var m = document.createElement('mark');
    m.textContent = text.slice(at, at + q.length);
    frag.appendChild(m);
    frag.appendChild(document.createTextNode(text.slice(at + q.length, end) + (end < text.length ? '…' : '')));
    return frag;
  }

  function show(box, results, query) {
    box.textContent = '';
    var h = document.createElement('h3');
    h.textContent = box.getAttribute('data-results') + ': ' + query + ' (' + results.length + ')';
    box.appendChild(h);
    if (!results.length) {
      var p = document.createElement('p');
      p.textContent = box.getAttribute('data-none');
      box.appendChild(p);
      return;
    }
    var ol = document.createElement('ol');
    results.forEach(function (r) {
      var li = document.createElement('li');
      li.setAttribute('lang', r.e.l);
      var a = document.createElement('a');
      a.href = r.e.u;
      a.textContent = r.e.t;
      li.appendChild(a);
      var d = document.createElement('span');
      d.className = 'hit-doc';
      d.textContent = ' — ' + r.e.d;
      li.appendChild(d);
      var p = document.createElement('p');
      p.className = 'hit-snippet';
      p.appendChild(snippet(r.e.x, query));
      li.appendChild(p);
      ol.appendChild(li);
    });
    box.appendChild(ol);
  }

  document.addEventListener('DOMContentLoaded', function () {
    var form = document.getElementById('pb_search');
    var box = document.getElementById('pb_results');
    if (!form || !box) return;
    var input = document.getElementById('pb_q');
    var lang = form.getAttribute('data-lang');
    var loaded = null;
    function index() {
      if (!loaded) {
        loaded = fetch(form.getAttribute('data-index')).then(function (r) {
          if (!r.ok) throw new Error(r.status);
          return r.json();
        });
      }
      return loaded;
    }
    function run(query) {
      if (!query.trim()) { box.textContent = ''; return; }
      index().then(function (ix) { show(box, search(ix, query, lang), query); }, function () {
        box.textContent = box.getAttribute('data-unavailable');
      });
    }
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var q = input.value;
      if (history.replaceState) history.replaceState(null, '', '?q=' + encodeURIComponent(q));
      run(q);
    });
    var m = /[?&]q=([^&]*)/.exec(location.search);
    if (m) {
      var q = '';
      try { q = decodeURIComponent(m[1].replace(/\+/g, ' ')); } catch (e) { q = ''; }
      input.value = q;
      run(q);
    }
  });
})();
