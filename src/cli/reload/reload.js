// policybook serve: reloads the page when its edition is built again, and shows what the last
// check found in a banner. Served by `policybook serve` under /__policybook/, never written to an
// edition; an external file, so that the pages' Content-Security-Policy (script-src 'self',
// connect-src 'self') allows it. Text from sources is set with textContent only, never as HTML.
'use strict';

(function () {
  var BANNER = 'pb-serve-banner';
  var script = document.currentScript;
  // The number of the pages this page was served with: another number means new pages.
  var pages = script ? script.getAttribute('data-pages') : null;
  var shown = -1;

  function add(parent, tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text !== undefined) el.textContent = text;
    parent.appendChild(el);
    return el;
  }

  function diagnostic(list, d) {
    var li = add(list, 'li', 'pb-serve-' + d.severity);
    add(li, 'code', 'pb-serve-place', d.file + ':' + d.line + ':' + d.column);
    add(li, 'span', 'pb-serve-code', ' ' + d.severity + '[' + d.code + '] ');
    add(li, 'span', 'pb-serve-message', d.message);
    if (d.hint) add(li, 'p', 'pb-serve-hint', d.hint);
  }

  function show(report) {
    var old = document.getElementById(BANNER);
    if (old) old.parentNode.removeChild(old);
    if (report.errors + report.warnings === 0) return;
    var box = document.createElement('aside');
    box.id = BANNER;
    box.setAttribute('role', report.errors > 0 ? 'alert' : 'status');
    box.setAttribute('data-build', String(report.build));
    box.className = report.errors > 0 ? 'pb-serve-errors' : 'pb-serve-warnings';
    var close = add(box, 'button', 'pb-serve-close', '×');
    close.type = 'button';
    close.setAttribute('aria-label', report.close);
    close.addEventListener('click', function () { box.parentNode.removeChild(box); });
    add(box, 'p', 'pb-serve-title', report.title);
    if (report.note) add(box, 'p', 'pb-serve-note', report.note);
    if (report.failure) add(box, 'p', 'pb-serve-failure', report.failure);
    var list = add(box, 'ul', 'pb-serve-list');
    report.diagnostics.forEach(function (d) { diagnostic(list, d); });
    document.body.insertBefore(box, document.body.firstChild);
  }

  function update(state) {
    if (pages !== null && String(state.pages) !== pages) {
      location.reload();
      return;
    }
    if (state.build === shown) return;
    fetch('/__policybook/diagnostics.json', { cache: 'no-store' })
      .then(function (r) { return r.json(); })
      .then(function (report) {
        shown = report.build;
        show(report);
      })
      .catch(function () {});
  }

  // Polling the build number where Server-Sent Events are not available.
  function poll() {
    fetch('/__policybook/state', { cache: 'no-store' })
      .then(function (r) { return r.json(); })
      .then(update)
      .catch(function () {})
      .then(function () { setTimeout(poll, 1000); });
  }

  if (typeof EventSource === 'function') {
    var events = new EventSource('/__policybook/events');
    events.onmessage = function (e) { update(JSON.parse(e.data)); };
  } else {
    poll();
  }
})();
