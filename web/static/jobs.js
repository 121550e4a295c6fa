// The auditor's checks: start one, follow its progress every second, show its outcome.
(function () {
  "use strict";
  var texts = document.getElementById("job-texts");
  if (!texts) { return; }
  var token = document.querySelector("meta[name=csrf-token]").getAttribute("content");

  // A check started again on the same page (after "start it again") begins with a fresh
  // box: the last one's bar was taken away, its list and download link are spent.
  function fresh(box) {
    box.querySelectorAll("ul, a, .job-note").forEach(function (old) { old.remove(); });
    var bar = box.querySelector("progress");
    if (!bar) {
      bar = document.createElement("progress"); bar.max = 100;
      box.insertBefore(bar, box.firstChild);
    }
    return bar;
  }

  function follow(form, job) {
    var box = form.querySelector(".job-progress");
    var bar = fresh(box);
    var state = box.querySelector(".job-state");
    box.hidden = false;
    function show(now) {
      if (now.total) {
        bar.max = now.total; bar.value = now.done;
        state.textContent = texts.dataset.working.replace("{done}", now.done).replace("{total}", now.total);
      } else {
        bar.removeAttribute("value");
        state.textContent = texts.dataset.workingOpen.replace("{done}", now.done);
      }
      // Its server has gone quiet: say so while the count stands still, not only once it is lost.
      if (now.quiet) { state.textContent += " " + now.quiet; }
      if (!now.finished) { setTimeout(ask, 1000); return; }
      bar.remove();
      form.querySelector("button[type=submit]").disabled = false;
      if (now.error) { state.textContent = texts.dataset.failed.replace("{reason}", now.error); return; }
      state.textContent = now.summary || "";
      if (now.problems && now.problems.length) {
        var list = document.createElement("ul");
        now.problems.forEach(function (problem) {
          var item = document.createElement("li"); item.textContent = problem; list.appendChild(item);
        });
        box.appendChild(list);
      }
      if (now.file) {
        var link = document.createElement("a");
        link.href = now.file; link.className = "button"; link.textContent = texts.dataset.download;
        // The bag is handed out once: a second click would only find it gone.
        link.addEventListener("click", function () {
          setTimeout(function () {
            var note = document.createElement("span");
            note.className = "job-note"; note.textContent = " " + texts.dataset.downloaded;
            link.replaceWith(note);
          }, 0);
        });
        box.appendChild(document.createTextNode(" "));
        box.appendChild(link);
      }
    }
    var misses = 0;
    function ask() {
      fetch(job.url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.json(); })
        .then(function (now) { misses = 0; show(now); })
        .catch(function () {
          // A moment without the server (a restart, the network): ask again, then say so.
          misses += 1;
          if (misses < 10) { setTimeout(ask, 2000); return; }
          bar.remove();
          form.querySelector("button[type=submit]").disabled = false;
          state.textContent = texts.dataset.lost;
        });
    }
    show(job);
  }

  document.querySelectorAll("form.job-form").forEach(function (form) {
    // A check this auditor started before the page was (re)loaded: followed again, on any node.
    if (form.dataset.jobUrl) {
      form.querySelector("button[type=submit]").disabled = true;
      fetch(form.dataset.jobUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.json(); })
        .then(function (job) {
          if (!job.url) { form.querySelector("button[type=submit]").disabled = false; return; }
          follow(form, job);
        })
        .catch(function () { form.querySelector("button[type=submit]").disabled = false; });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      form.querySelector("button[type=submit]").disabled = true;
      fetch(form.action, {method: "POST", credentials: "same-origin", body: new FormData(form),
                          headers: {"Accept": "application/json", "X-CSRFToken": token}})
        .then(function (response) { return response.json(); })
        .then(function (job) {
          if (job.error && !job.id) {
            form.querySelector(".job-progress").hidden = false;
            form.querySelector(".job-state").textContent = texts.dataset.failed.replace("{reason}", job.error);
            form.querySelector("button[type=submit]").disabled = false;
            return;
          }
          follow(form, job);
        });
    });
  });
}());
