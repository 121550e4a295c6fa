// Upload several files by picking or dragging, one request per file, with progress.
// Without this script the form still posts all files at once.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) { return; }
  var zone = document.getElementById("dropzone");
  var input = document.getElementById("files");
  var list = document.getElementById("outcomes");
  var token = document.querySelector("meta[name=csrf-token]").getAttribute("content");
  var maxBytes = parseInt(form.dataset.maxMb, 10) * 1024 * 1024;

  function row(name, after) {
    var item = document.createElement("li");
    item.className = "outcome";
    var label = document.createElement("span");
    label.className = "name";
    label.textContent = name + ": ";
    var state = document.createElement("span");
    state.className = "state";
    state.textContent = form.dataset.msgUploading;
    var bar = document.createElement("progress");
    bar.max = 100; bar.value = 0;
    item.append(label, state, bar);
    if (after) { after.after(item); } else { list.prepend(item); }
    return {item: item, label: label, state: state, bar: bar};
  }

  function show(line, outcome) {
    line.bar.remove();
    line.item.classList.add(outcome.status);
    var target = outcome.status === "filed" ? outcome.id : outcome.duplicate_of;
    if (target) {
      var link = document.createElement("a");
      link.href = "/documents/" + target;
      link.textContent = outcome.message;
      line.state.replaceWith(link);
    } else {
      line.state.textContent = outcome.message;
    }
  }

  function send(file) {
    var line = row(file.name);
    if (file.size > maxBytes) {
      show(line, {status: "failed", message: form.dataset.msgTooLarge});
      return Promise.resolve();
    }
    var data = new FormData();
    data.append("files", file, file.name);
    ["client_id", "document_type", "document_date"].forEach(function (name) {
      data.append(name, form.elements[name].value);
    });
    return new Promise(function (resolve) {
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("X-CSRFToken", token);
      request.setRequestHeader("Accept", "application/json");
      request.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) { line.bar.value = Math.round(100 * event.loaded / event.total); }
      });
      request.addEventListener("load", function () {
        var body = {};
        try { body = JSON.parse(request.responseText); } catch (e) { body = {}; }
        if (body.outcomes && body.outcomes.length) {
          // A scanned stack gives one outcome per part, an e-mail one per attachment: a line each.
          var previous = null;
          body.outcomes.forEach(function (outcome) {
            var target = previous ? row(outcome.source, previous.item) : line;
            target.label.textContent = outcome.source + ": ";
            show(target, outcome);
            previous = target;
          });
        }
        // The server words its errors in the page's language; its status text would be English.
        else { show(line, {status: "failed", message: body.error || form.dataset.msgUnreachable}); }
        resolve();
      });
      request.addEventListener("error", function () {
        show(line, {status: "failed", message: form.dataset.msgUnreachable});
        resolve();
      });
      request.send(data);
    });
  }

  function sendAll(files) {
    // One after another: the server files each one fully before answering.
    Array.from(files).reduce(function (chain, file) {
      return chain.then(function () { return send(file); });
    }, Promise.resolve());
  }

  input.addEventListener("change", function () { sendAll(input.files); input.value = ""; });
  form.addEventListener("submit", function (event) { event.preventDefault(); sendAll(input.files); input.value = ""; });
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (event) { sendAll(event.dataTransfer.files); });
}());
