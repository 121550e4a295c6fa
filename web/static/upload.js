// The upload page: files chosen or dropped join the list of files to send, each shown
// with the facts it will be filed with; nothing is sent until "Upload" is pressed, and
// the facts are cleared once those files are sent (they belonged to them only). Each
// file is sent on its own request with progress, then followed while it is read and
// filed. Without this script the form still posts the files with their facts at once.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) { return; }
  var text = form.dataset;
  var zone = document.getElementById("dropzone");
  var input = document.getElementById("files");
  var pendingList = document.getElementById("pending");
  var empty = document.getElementById("pending-empty");
  var outcomes = document.getElementById("outcomes");
  var button = document.getElementById("upload-button");
  var token = document.querySelector("meta[name=csrf-token]").getAttribute("content");
  var maxBytes = parseInt(text.maxMb, 10) * 1024 * 1024;
  var FACTS = ["client_id", "document_type", "document_date"];
  var pending = [];

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content !== undefined) { node.textContent = content; }
    return node;
  }

  function typedFacts() {
    var facts = {};
    FACTS.forEach(function (name) { facts[name] = form.elements[name].value.trim(); });
    return facts;
  }

  function factsLine(facts) {
    var parts = [];
    var hint = document.getElementById("u-client_id-chosen");
    if (facts.client_id) {
      parts.push(text.msgClient + ": " + facts.client_id + (hint && hint.textContent ? " · " + hint.textContent : ""));
    }
    if (facts.document_type) {
      var select = form.elements.document_type;
      parts.push(text.msgType + ": " + select.options[select.selectedIndex].text);
    }
    if (facts.document_date) { parts.push(text.msgDate + ": " + facts.document_date); }
    return parts.length ? text.msgWith + " " + parts.join(" · ") : text.msgNone;
  }

  function refresh() {
    var facts = typedFacts();
    pending.forEach(function (entry) { entry.factsNode.textContent = factsLine(facts); });
    empty.hidden = pending.length > 0;
    button.textContent = pending.length === 1 ? text.msgSendOne
      : pending.length > 1 ? text.msgSendMany.replace("{count}", pending.length) : button.dataset.label;
  }

  function add(files) {
    Array.from(files).forEach(function (file) {
      var item = el("li", "pending-file");
      var name = el("span", "name", file.name);
      var factsNode = el("span", "facts-line");
      var remove = el("button", "link", text.msgRemove);
      remove.type = "button";
      remove.setAttribute("aria-label", text.msgRemove + " " + file.name);
      var entry = {file: file, item: item, factsNode: factsNode};
      remove.addEventListener("click", function () {
        pending = pending.filter(function (other) { return other !== entry; });
        item.remove();
        refresh();
        input.focus();
      });
      item.append(name, factsNode, remove);
      pendingList.appendChild(item);
      pending.push(entry);
    });
    refresh();
  }

  function resultRow(name, after) {
    var item = el("li", "outcome");
    var label = el("span", "name", name);
    var state = el("span", "state", text.msgSending);
    var bar = el("progress");
    bar.max = 100; bar.value = 0;
    bar.setAttribute("aria-label", name);
    item.append(label, state, bar);
    // A file's further documents (a stack's parts, a message's attachments) follow its first line.
    if (after) { after.after(item); } else { outcomes.prepend(item); }
    return {item: item, label: label, state: state, bar: bar};
  }

  function reading(line) {
    line.state.textContent = text.msgReading;
    line.bar.removeAttribute("value");  // no figure for reading: the bar shows it is busy
  }

  function show(line, outcome) {
    line.bar.remove();
    if (outcome.source) { line.label.textContent = outcome.source; }  // a stack's part is named by its pages
    line.item.classList.add(outcome.status);
    if (outcome.needs_review) { line.item.classList.add("review"); }
    var said = outcome.url ? el("a", null, outcome.message) : el("span", null, outcome.message);
    if (outcome.url) { said.href = outcome.url; }
    line.state.replaceWith(said);
    if (outcome.status === "filed" || outcome.status === "duplicate") {
      var client = (outcome.client_id || "—") + (outcome.client_name ? " · " + outcome.client_name : "");
      line.item.appendChild(el("span", "facts-line", text.msgClient + ": " + client + " · " + text.msgType + ": "
        + (outcome.type_label || "—") + " · " + text.msgDate + ": " + (outcome.date_shown || "—")));
      if (outcome.reasons_shown && outcome.reasons_shown.length) {
        line.item.appendChild(el("span", "reasons-line", text.msgReview + ": " + outcome.reasons_shown.join(", ")));
      }
    }
  }

  function follow(line, outcome) {
    // Handed to the filing queue: ask how it is going until it is filed.
    if ((outcome.status !== "received" && outcome.status !== "queued") || !outcome.id) { show(line, outcome); return Promise.resolve(); }
    reading(line);
    var url = text.statusUrl.replace(/0$/, String(outcome.id));
    return new Promise(function (resolve) {
      function ask() {
        fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
          .then(function (response) { return response.json(); })
          .then(function (now) {
            if (now.status === "received") { setTimeout(ask, 1000); return; }
            show(line, now);
            resolve();
          }, function () { setTimeout(ask, 2000); });
      }
      ask();
    });
  }

  function send(entry, facts) {
    var file = entry.file;
    var line = resultRow(file.name);
    if (file.size > maxBytes) {
      show(line, {status: "failed", message: text.msgFailed.replace("{reason}", text.msgTooLarge)});
      return Promise.resolve();
    }
    var data = new FormData();
    data.append("files", file, file.name);
    FACTS.forEach(function (name) { data.append(name, facts[name]); });
    return new Promise(function (resolve) {
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("X-CSRFToken", token);
      request.setRequestHeader("Accept", "application/json");
      request.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) { line.bar.value = Math.round(100 * event.loaded / event.total); }
      });
      request.upload.addEventListener("load", function () { reading(line); });
      request.addEventListener("load", function () {
        var body = {};
        try { body = JSON.parse(request.responseText); } catch (e) { body = {}; }
        if (body.outcomes) {
          // Each outcome is shown once: at once when filed, or once it has been read.
          var previous = line;
          Promise.all(body.outcomes.map(function (outcome, i) {
            var target = i === 0 ? line : resultRow(outcome.source, previous.item);
            previous = target;
            return follow(target, outcome);
          })).then(resolve);
          return;
        }
        show(line, {status: "failed", message: text.msgFailed.replace("{reason}", body.error || text.msgUnreachable)});
        if (body.fields && Object.keys(body.fields).length) { refused(entry, facts, body.fields); }
        resolve();
      });
      request.addEventListener("error", function () {
        show(line, {status: "failed", message: text.msgFailed.replace("{reason}", text.msgUnreachable)});
        resolve();
      });
      request.send(data);
    });
  }

  // Facts the server refused: the file goes back on the list and what was typed back in
  // its field, with the reason beside it, so a clerk in a hurry corrects it, not types it again.
  function refused(entry, facts, fields) {
    if (FACTS.every(function (name) { return !form.elements[name].value; })) {
      FACTS.forEach(function (name) { form.elements[name].value = facts[name]; });
    }
    FACTS.forEach(function (name) { fieldError(name, fields[name]); });
    add([entry.file]);
    refresh();
  }

  function fieldError(name, reason) {
    var field = form.elements[name];
    var id = "u-" + name + "-error";
    var node = document.getElementById(id);
    if (!reason) {
      if (node) { node.remove(); }
      field.removeAttribute("aria-invalid");
      return;
    }
    if (!node) {
      node = el("span", "field-error");
      node.id = id;
      field.closest(".field").appendChild(node);
    }
    node.textContent = reason;
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", id);
  }

  function sendAll() {
    if (!pending.length) {
      empty.textContent = text.msgChooseFirst;
      empty.hidden = false;
      input.focus();
      return;
    }
    // The facts go with exactly these files: taken now, then cleared for whatever comes next.
    var facts = typedFacts();
    var batch = pending;
    pending = [];
    pendingList.textContent = "";
    FACTS.forEach(function (name) { form.elements[name].value = ""; fieldError(name, null); });
    var hint = document.getElementById("u-client_id-chosen");
    if (hint) { hint.textContent = ""; }
    // The client look-up's list goes too: a name left open there would belong to no file.
    var options = document.getElementById("u-client_id-options");
    if (options) { options.hidden = true; form.elements.client_id.setAttribute("aria-expanded", "false"); }
    refresh();
    outcomes.focus();
    // One after another: the server keeps each one before the next is sent.
    batch.reduce(function (chain, entry) {
      return chain.then(function () { return send(entry, facts); });
    }, Promise.resolve());
  }

  button.dataset.label = button.textContent;
  outcomes.tabIndex = -1;
  input.addEventListener("change", function () { add(input.files); input.value = ""; });
  FACTS.forEach(function (name) {
    form.elements[name].addEventListener("input", refresh);
    form.elements[name].addEventListener("change", refresh);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); sendAll(); });
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (event) { add(event.dataTransfer.files); });
  refresh();
}());
