/*
 * Collectivity autocomplete, as a progressive enhancement.
 *
 * Any <input data-autocomplete-url="/api/collectivites" data-autocomplete-target="ID"> becomes an
 * ARIA combobox: typing queries the URL (?q=...&kind=... from data-autocomplete-kind), results show
 * in a listbox (classes essaim-autocomplete__list), up/down move, Enter picks, Escape closes.
 * Picking writes the result id into the hidden input #ID and its label into the text input.
 * Without JavaScript the form still posts the typed text, which the server resolves.
 */
(function () {
  "use strict";

  var DELAY_MS = 200;
  var MIN_CHARS = 2;
  var counter = 0;

  function setup(input) {
    var hidden = document.getElementById(input.getAttribute("data-autocomplete-target"));
    if (!hidden || input.getAttribute("data-autocomplete-ready")) {
      return;
    }
    input.setAttribute("data-autocomplete-ready", "1");
    counter += 1;
    var listId = (input.id || "essaim-autocomplete-" + counter) + "-listbox";
    var wrapper = document.createElement("div");
    wrapper.className = "essaim-autocomplete";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);

    var list = document.createElement("ul");
    list.id = listId;
    list.className = "essaim-autocomplete__list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    wrapper.appendChild(list);

    var status = document.createElement("p");
    status.className = "fr-sr-only";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    wrapper.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    var results = [];
    var active = -1;
    var timer = null;
    var pending = null;
    var chosenLabel = hidden.value ? input.value : null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = list.querySelectorAll("li");
      active = index;
      for (var i = 0; i < items.length; i += 1) {
        items[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var item = results[index];
      if (!item) {
        return;
      }
      hidden.value = String(item.id);
      input.value = item.label;
      chosenLabel = item.label;
      hidden.dispatchEvent(new Event("change", { bubbles: true }));
      close();
    }

    function render(items) {
      results = items;
      list.textContent = "";
      items.forEach(function (item, index) {
        var option = document.createElement("li");
        option.id = listId + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = item.label; // textContent: names are never parsed as HTML
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the input
          choose(index);
        });
        list.appendChild(option);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
      // Announced to screen readers in the page's language: the template passes the words.
      var many = input.getAttribute("data-autocomplete-many") || "{n} résultats disponibles";
      var one = input.getAttribute("data-autocomplete-one") || "{n} résultat disponible";
      var none = input.getAttribute("data-autocomplete-none") || "Aucun résultat";
      status.textContent = items.length
        ? (items.length > 1 ? many : one).replace("{n}", String(items.length))
        : none;
      active = -1;
    }

    function search() {
      var query = input.value.trim();
      if (query.length < MIN_CHARS) {
        render([]);
        close();
        return;
      }
      var url = new URL(input.getAttribute("data-autocomplete-url"), window.location.href);
      url.searchParams.set("q", query);
      var kind = input.getAttribute("data-autocomplete-kind");
      if (kind) {
        url.searchParams.set("kind", kind);
      }
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      fetch(url.toString(), { headers: { Accept: "application/json" }, signal: pending.signal })
        .then(function (response) { return response.json(); })
        .then(function (body) { render(body.results || []); })
        .catch(function (error) {
          if (error.name !== "AbortError") {
            render([]);
          }
        });
    }

    input.addEventListener("input", function () {
      if (input.value !== chosenLabel) {
        hidden.value = ""; // the text no longer names the chosen collectivity
        chosenLabel = null;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && results.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) {
          search();
          return;
        }
        highlight(active + 1 >= results.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp") {
        if (open) {
          event.preventDefault();
          highlight(active <= 0 ? results.length - 1 : active - 1);
        }
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault(); // pick, do not submit the form
          choose(active);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        }
      }
    });

    input.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
  }

  function init() {
    var inputs = document.querySelectorAll("input[data-autocomplete-url][data-autocomplete-target]");
    for (var i = 0; i < inputs.length; i += 1) {
      setup(inputs[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
