/* The daily desk in the browser: suggestions under the search boxes, and the keyboard.
   "/" focuses search; j/k move through results, Enter opens; Ctrl+Enter saves on the review page. */
(function () {
  "use strict";

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function suggestBox(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    if (!list) { return; }
    var timer = null, active = -1, asked = "";

    function close() { list.hidden = true; list.innerHTML = ""; active = -1; input.setAttribute("aria-expanded", "false"); }
    function mark(index) {
      var items = list.querySelectorAll("li");
      items.forEach(function (li, i) { li.classList.toggle("active", i === index); li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
    }
    function show(found) {
      list.innerHTML = "";
      found.forEach(function (s, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.id = input.id + "-option-" + i;
        var a = document.createElement("a");
        a.href = s.url;
        var label = document.createElement("span");
        label.className = "label";
        label.textContent = s.label;
        var kind = document.createElement("span");
        kind.className = "kind kind-" + s.kind;
        kind.textContent = list.dataset["kind" + s.kind.charAt(0).toUpperCase() + s.kind.slice(1)] || s.kind;
        a.appendChild(label);
        if (s.detail) { var d = document.createElement("span"); d.className = "detail"; d.textContent = s.detail; a.appendChild(d); }
        a.appendChild(kind);
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = found.length === 0;
      input.setAttribute("aria-expanded", found.length ? "true" : "false");
      active = -1;
    }
    function ask() {
      var text = input.value.trim();
      if (text.length < 2 || text === asked) { if (text.length < 2) { close(); } return; }
      asked = text;
      var body = new FormData();
      body.append("q", text);
      var token = document.querySelector("meta[name=csrf-token]");
      fetch(input.dataset.suggest, {method: "POST", body: body, credentials: "same-origin",
                                    headers: {"Accept": "application/json", "X-CSRFToken": token ? token.getAttribute("content") : ""}})
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (found) { if (input.value.trim() === text) { show(found); } })
        .catch(function () { close(); });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 150); });
    input.addEventListener("keydown", function (event) {
      var items = list.querySelectorAll("li");
      if (list.hidden || !items.length) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); mark((active + 1) % items.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); mark((active - 1 + items.length) % items.length); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); window.location = items[active].querySelector("a").href; }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 200); });
  }

  function moveThroughResults(step) {
    var hits = Array.prototype.slice.call(document.querySelectorAll(".hit"));
    if (!hits.length) { return; }
    var current = hits.findIndex(function (h) { return h.classList.contains("selected"); });
    var next = current < 0 ? 0 : Math.min(hits.length - 1, Math.max(0, current + step));
    hits.forEach(function (h) { h.classList.remove("selected"); });
    hits[next].classList.add("selected");
    var link = hits[next].querySelector("a.title");
    if (link) { link.focus(); }
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      var form = document.getElementById("review-form");
      if (form) { event.preventDefault(); form.requestSubmit(); }
      return;
    }
    if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.key === "/") {
      var box = document.querySelector("main input[data-suggest]") || document.getElementById("header-q");
      if (box) { event.preventDefault(); box.focus(); box.select(); }
    } else if (event.key === "j") { moveThroughResults(1); }
    else if (event.key === "k") { moveThroughResults(-1); }
  });

  document.querySelectorAll("input[data-suggest]").forEach(suggestBox);

  // A bulk change takes seconds: say how many documents are being changed, and let the
  // button be pressed only once (a second press would send the change again).
  function busyWhileSent(form, count) {
    form.addEventListener("submit", function () {
      var n = count(), status = form.querySelector(".busy");
      if (status && n) { status.textContent = n === 1 ? form.dataset.busyOne : form.dataset.busy.replace("{count}", n); }
      setTimeout(function () { form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; }); }, 0);
    });
  }

  var bulk = document.getElementById("bulk-form");
  if (bulk) {
    var counter = bulk.querySelector(".selected-count");
    var checks = document.querySelectorAll(".hit-check");
    var all = bulk.querySelector("input[name=all]");
    var selected = function () {
      return all && all.checked ? Number(all.parentNode.textContent.replace(/\D/g, "")) :
        Array.prototype.filter.call(checks, function (c) { return c.checked; }).length;
    };
    var count = function () {
      var n = selected();
      counter.textContent = n ? counter.dataset.template.replace("{count}", n) : "";
    };
    checks.forEach(function (c) { c.addEventListener("change", count); });
    if (all) { all.addEventListener("change", count); }
    count();  // a refused change comes back with its boxes still ticked
    // A refused change is shown at the address it was posted to; Back from the next page
    // then asked to send the form again. The results page is what this is, so name it.
    // (bulk.action would be the form's "action" select, not its address.)
    var back = bulk.querySelector("input[name=back]");
    if (back && location.pathname === bulk.getAttribute("action")) { history.replaceState(null, "", back.value); }
    var page = document.getElementById("select-page");
    page.addEventListener("change", function () { checks.forEach(function (c) { c.checked = page.checked; }); count(); });
    // "All on this page" says whether all are: ticked back by a refused change, or one unticked by hand.
    var whole = function () { page.checked = checks.length > 0 && Array.prototype.every.call(checks, function (c) { return c.checked; }); };
    checks.forEach(function (c) { c.addEventListener("change", whole); });
    whole();
    var action = document.getElementById("bulk-action"), reason = document.getElementById("bulk-reason");
    var value = document.getElementById("bulk-value");
    var shape = function () {
      var hold = action.value === "hold";
      if (reason) { reason.parentNode.hidden = !hold; reason.required = hold; }
      value.parentNode.hidden = hold;
      value.required = !hold;
      value.type = action.value === "date" ? "date" : "text";
      var list = {type: "bulk-types", tag: "bulk-tags", untag: "bulk-tags"}[action.value];
      if (list) { value.setAttribute("list", list); } else { value.removeAttribute("list"); }
    };
    action.addEventListener("change", shape);
    shape();
    // Above the server's limit the next page asks first: nothing is being changed yet.
    busyWhileSent(bulk, function () { var n = selected(); return n > Number(bulk.dataset.askAbove) ? 0 : n; });
  }
  var confirmForm = document.getElementById("bulk-confirm");
  if (confirmForm) { busyWhileSent(confirmForm, function () { return Number(confirmForm.dataset.count); }); }
})();
