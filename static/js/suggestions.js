// Keeps the suggestions section of an offer or need page up to date without a reload: polls the
// JSON feed named by data-suggestions-url and redraws the list when it changed.
(function () {
  "use strict";
  var section = document.getElementById("suggestions");
  if (!section) { return; }
  var list = section.querySelector("[data-suggestions-list]");
  var empty = section.querySelector("[data-suggestions-empty]");
  var url = section.getAttribute("data-suggestions-url");
  var last = "";
  var delay = 3000;

  function label(name) { return section.getAttribute("data-label-" + name) || name; }

  // The feed words reasons already (tag labels, no internal keys); the other side's collectivity
  // and distance come only when the modality makes them relevant (never for remote work).
  function reasonsText(reasons) {
    var parts = [];
    if (reasons.words && reasons.words.length) { parts.push(label("words") + " : " + reasons.words.join(", ")); }
    if (reasons.tags && reasons.tags.length) { parts.push(label("tags") + " : " + reasons.tags.join(", ")); }
    if (reasons.meaning_text) { parts.push(reasons.meaning_text); }
    if (reasons.collectivity) { parts.push(label("place") + " : " + reasons.collectivity); }
    if (reasons.distance_text) { parts.push(reasons.distance_text); }
    return parts.join(" · ");
  }

  function draw(items) {
    list.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "fr-mb-2w";
      var link = document.createElement("a");
      link.className = "fr-link";
      link.href = item.url;
      link.textContent = item.title;
      var score = document.createElement("span");
      score.className = "fr-badge fr-badge--sm fr-ml-1w";
      score.textContent = label("score") + " " + Math.round(item.score * 100) + " %";
      var why = document.createElement("p");
      why.className = "fr-hint-text fr-mb-0";
      why.textContent = reasonsText(item.reasons || {});
      li.appendChild(link);
      li.appendChild(score);
      li.appendChild(why);
      if (item.contact_url) {  // only for the people allowed to write to this agent
        var contact = document.createElement("a");
        contact.className = "fr-btn fr-btn--sm fr-btn--secondary fr-icon-mail-line fr-btn--icon-left fr-mt-1w";
        contact.href = item.contact_url;
        contact.textContent = label("contact");
        contact.setAttribute("title", label("contact") + " — " + item.title);
        li.appendChild(contact);
      }
      list.appendChild(li);
    });
    // (the hidden attribute loses against the design system's display rule for hint texts)
    empty.style.display = items.length > 0 ? "none" : "";
    empty.hidden = items.length > 0;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data) {
          var text = JSON.stringify(data.suggestions);
          if (text !== last) { last = text; draw(data.suggestions); delay = 3000; }
          else { delay = Math.min(delay * 2, 60000); }  // quieter while nothing changes
        }
      })
      .catch(function () { delay = Math.min(delay * 2, 60000); })
      .then(function () { window.setTimeout(poll, delay); });
  }
  poll();
})();
