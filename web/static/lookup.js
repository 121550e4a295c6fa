// Client look-up as you type (name, number, postcode or identifier) for every
// input with data-lookup, as an ARIA combobox: arrows move, Enter chooses, Escape
// closes. The text is sent by POST, so a BSN typed never lands in a URL or a log of
// addresses. Buttons with data-choose-client fill the named input.
(function () {
  "use strict";
  var token = document.querySelector("meta[name=csrf-token]").getAttribute("content");

  function choose(input, clientId, name) {
    input.value = clientId;
    var hint = document.getElementById(input.id + "-chosen");
    if (hint) { hint.textContent = name || ""; }
    input.dispatchEvent(new Event("change", {bubbles: true}));
  }

  function attach(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var timer = null;
    var active = -1;
    var found = [];

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function mark(index) {
      var items = list.querySelectorAll("[role=option]");
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0 && items[index]) { input.setAttribute("aria-activedescendant", items[index].id); }
    }

    function render(clients) {
      found = clients;
      list.textContent = "";
      clients.forEach(function (client, i) {
        var item = document.createElement("li");
        item.id = input.id + "-option-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        var place = [client.postcode, client.city].filter(Boolean).join(" ");
        item.textContent = client.client_id + " · " + client.name + (place ? " · " + place : "");
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(input, client.client_id, client.name);
          close();
        });
        list.appendChild(item);
      });
      if (clients.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
    }

    function ask() {
      var text = input.value.trim();
      if (text.length < 2) { render([]); return; }
      fetch(input.dataset.lookup, {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token},
        body: JSON.stringify({q: text})
      }).then(function (response) { return response.ok ? response.json() : []; })
        .then(render, function () { render([]); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); mark(Math.min(active + 1, found.length - 1)); }
      else if (event.key === "ArrowUp") { event.preventDefault(); mark(Math.max(active - 1, 0)); }
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(input, found[active].client_id, found[active].name);
        close();
      } else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  document.querySelectorAll("input[data-lookup]").forEach(attach);
  document.querySelectorAll("[data-choose-client]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.getElementById(button.dataset.target);
      if (input) { choose(input, button.dataset.chooseClient, button.dataset.clientName); input.focus(); }
    });
  });
  window.archiveLookup = {attach: attach};
}());
